import Commerce
import Foundation
import Node
import Replication

/// Reading the catalog and marketing forms: each value checked before a use case runs, and a
/// bad one refused with a sentence in the page's language that names the field by its label
/// (`价格（price）…`), so nothing changes.
struct ConsoleCatalogForm {
    let form: Form
    let language: TillLanguage

    init(_ form: Form, _ language: TillLanguage) {
        self.form = form
        self.language = language
    }

    /// The field's value trimmed; nil when absent or empty.
    func optional(_ name: String, max: Int = 200) throws(NodeError) -> String? {
        guard let raw = form[name] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return nil }
        guard value.utf8.count <= max else {
            throw refuse(name, zh: "最多 \(max) 字节", en: "must be at most \(max) bytes")
        }
        return value
    }

    /// The field's value, required.
    func required(_ name: String, max: Int = 200) throws(NodeError) -> String {
        guard let value = try optional(name, max: max) else { throw refuse(name, zh: "必须填写", en: "is required") }
        return value
    }

    /// A code (SKU, product, promotion, coupon): 1–64 letters, digits, `.`, `-` or `_`.
    func code(_ name: String) throws(NodeError) -> String {
        let value = try required(name, max: 64)
        guard SKUCode(value) != nil else {
            throw refuse(name, zh: "只能包含字母、数字、“.”、“-”或“_”（1–64 个）", en: "must be 1–64 letters, digits, '.', '-' or '_'")
        }
        return value
    }

    /// An amount in yuan (`12.50`), 0 up to `max` fen (the write rules' bound for a unit price).
    func money(_ name: String, positive: Bool = false, max: Int64 = Limits.maxUnitCents) throws(NodeError) -> Money {
        let text = try required(name, max: 32)
        guard let money = Money(parsing: text), money.cents >= (positive ? 1 : 0), money.cents <= max else {
            let most = Money(cents: max)
            throw refuse(
                name, zh: "必须是\(positive ? "大于 0 " : "")不超过 \(most) 的金额（元，如 12.50），不能为负",
                en: "must be an amount in yuan like 12.50, \(positive ? "above 0" : "0 or more") and at most \(most)")
        }
        return money
    }

    /// An optional amount in yuan.
    func optionalMoney(_ name: String, max: Int64 = Limits.maxUnitCents) throws(NodeError) -> Money? {
        try optional(name, max: 32) == nil ? nil : try money(name, max: max)
    }

    /// A whole number in `range`.
    func integer(_ name: String, _ range: ClosedRange<Int64>) throws(NodeError) -> Int64 {
        let text = try required(name, max: 20)
        guard let n = Int64(text), range.contains(n) else {
            throw refuse(
                name, zh: "必须是 \(range.lowerBound) 到 \(range.upperBound) 之间的整数",
                en: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// An instant from a `datetime-local` input (`2026-12-12T09:30`, also with seconds or a space),
    /// read in the node's time zone (`offsetMillis` east of UTC); nil when empty.
    func instant(_ name: String, offsetMillis: Int64) throws(NodeError) -> Int64? {
        guard let text = try optional(name, max: 32) else { return nil }
        guard let millis = Self.localMillis(text, offsetMillis: offsetMillis), millis > 0, millis <= Limits.maxMillis
        else {
            throw refuse(
                name, zh: "必须是日期时间，如 2026-12-12T09:30", en: "must be a date and time like 2026-12-12T09:30")
        }
        return millis
    }

    /// Lines of `NAME=V1,V2` (one spec per line) as spec name → values.
    func specs(_ name: String) throws(NodeError) -> [String: [String]] {
        var specs: [String: [String]] = [:]
        for line in try lines(name, max: 2000) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let values =
                parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            guard parts.count == 2, !parts[0].isEmpty, !values.isEmpty, values.allSatisfy({ !$0.isEmpty }),
                specs[parts[0]] == nil
            else {
                throw refuse(
                    name, zh: "每行写一个规格，如 size=S,M,L（“\(line)”不是）",
                    en: "must be one spec per line like size=S,M,L (not '\(line)')")
            }
            specs[parts[0]] = values
        }
        return specs
    }

    /// The non-empty lines of a text area.
    func lines(_ name: String, max: Int = 8000) throws(NodeError) -> [String] {
        guard let text = try optional(name, max: max) else { return [] }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    /// A refusal naming the field by its label in the page's language.
    func refuse(_ name: String, zh: String, en: String) -> NodeError {
        let label = ConsoleText.text("field_\(name)", language)
        let sentence = language == .zh ? "\(label)（\(name)）\(zh)" : "\(name) \(en)"
        return NodeError(.invalidInput, message: sentence, field: Field(rawValue: name))
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` at a UTC offset, in ms since the epoch; nil when malformed.
    static func localMillis(_ text: String, offsetMillis: Int64) -> Int64? {
        let parts = text.replacingOccurrences(of: " ", with: "T").split(separator: "T")
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2, (2...3).contains(time.count),
            time.allSatisfy({ $0.count == 2 }),
            let y = Int64(date[0]), let m = Int64(date[1]), let d = Int64(date[2]), (1...12).contains(m),
            let hh = Int64(time[0]), let mm = Int64(time[1]), (0...23).contains(hh), (0...59).contains(mm)
        else { return nil }
        let ss = time.count == 3 ? Int64(time[2]) : 0
        guard let ss, (0...59).contains(ss) else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[Int(m - 1)]).contains(d) else { return nil }
        // Days from civil (Howard Hinnant's algorithm), as the CLI reads a plain date.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        return days * 86_400_000 + (hh * 3600 + mm * 60 + ss) * 1000 - offsetMillis
    }

    /// `ms` as `2026-12-12 09:30` at a UTC offset.
    static func localText(_ millis: Int64, offsetMillis: Int64) -> String {
        let local = millis + offsetMillis
        var days = local / 86_400_000
        var rest = local % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(rest / 3_600_000)):\(two(rest / 60_000 % 60))"
    }
}
