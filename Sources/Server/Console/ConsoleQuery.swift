import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// The GET filters of a console screen (`?period=week&from=2026-11-01…`), read strictly: an
/// oversized value, an unknown choice or a date that does not exist is a 400 whose sentence
/// names the field, in the page's language; nothing is guessed and nothing reaches SQL unchecked.
struct ConsoleQuery: Sendable {
    /// The longest value a filter takes (ids, names, phones, dates).
    static let maxValue = 64
    /// The longest query string a screen reads.
    static let maxQuery = 1024

    let values: [String: String]
    let language: TillLanguage
    /// The query as sent, without the parts that only pick a view (`table`, `format`, `lang`),
    /// for a screen's CSV links.
    let carried: String

    init(_ request: Request, _ language: TillLanguage) throws(NodeError) {
        self.language = language
        let raw = request.uri.query ?? ""
        guard raw.utf8.count <= Self.maxQuery else {
            throw NodeError(
                .invalidInput,
                message: language == .zh
                    ? "查询条件过长（最多 \(Self.maxQuery) 个字符）" : "the query is too long (at most \(Self.maxQuery) characters)")
        }
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        self.values = values
        carried = raw.split(separator: "&").filter { part in
            !["table", "format", "lang"].contains(part.prefix { $0 != "=" })
        }.joined(separator: "&")
    }

    /// Whether the screen is asked for its CSV (`format=csv`).
    var wantsCSV: Bool { values["format"] == "csv" }

    /// A field's name as the page shows it.
    func label(_ name: String) -> String { ConsoleText.text("field_\(name)", language) }

    func refuse(_ name: String, zh: String, en: String) -> NodeError {
        NodeError(
            .invalidInput, message: language == .zh ? "\(label(name))（\(name)）\(zh)" : "\(name) \(en)",
            field: Field(rawValue: name))
    }

    /// A text filter: nil when absent or blank, refused past `max` characters.
    func text(_ name: String, max: Int = maxValue) throws(NodeError) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        guard value.count <= max else {
            throw refuse(name, zh: "最多 \(max) 个字符", en: "must be at most \(max) characters")
        }
        return value
    }

    /// One of a fixed set of values (an enum's raw values); `fallback` when absent.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ fallback: T) throws(NodeError) -> T
    where T.RawValue == String {
        guard let value = try text(name) else { return fallback }
        guard let chosen = T(rawValue: value) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw refuse(name, zh: "必须是 \(allowed) 之一", en: "must be one of \(allowed)")
        }
        return chosen
    }

    /// A calendar day `YYYY-MM-DD` as the instant its day starts at the reporting offset.
    func day(_ name: String, offsetMillis: Int64) throws(NodeError) -> Int64? {
        guard let value = try text(name) else { return nil }
        guard let days = Self.days(value) else {
            throw refuse(
                name, zh: "必须是存在的日期，如 2026-11-01", en: "must be a date that exists, like 2026-11-01")
        }
        return days * ConsoleCalendar.dayMillis - offsetMillis
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date (years 2000–2100), nil when it is not one.
    static func days(_ text: String) -> Int64? {
        guard let date = CivilDate(text: text), (2000...2100).contains(date.year) else { return nil }
        return date.days
    }

    /// `a&b`, without a dangling `&` when `a` is empty.
    static func joined(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "&" + b }

    /// `YYYY-MM-DD HH:mm` of `millis` at the reporting offset.
    static func time(_ millis: Int64, offsetMillis: Int64) -> String {
        let (days, rest) = CivilDate.split(millis, offsetMillis: offsetMillis)
        let minutes = rest / 60_000
        return CivilDate(days: days).text + " " + CivilDate.pad(minutes / 60, 2) + ":" + CivilDate.pad(minutes % 60, 2)
    }

    /// `YYYY-MM-DD` of the day that starts at `millis` (at the reporting offset).
    static func date(_ millis: Int64, offsetMillis: Int64) -> String {
        String(time(millis, offsetMillis: offsetMillis).prefix(10))
    }
}
