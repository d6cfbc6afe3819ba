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
        guard parts.count == 2, let date = CivilDate(text: parts[0]) else { return nil }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(time.count), time.allSatisfy({ $0.count == 2 }),
            let hh = Int64(time[0]), let mm = Int64(time[1]), (0...23).contains(hh), (0...59).contains(mm)
        else { return nil }
        let ss = time.count == 3 ? Int64(time[2]) : 0
        guard let ss, (0...59).contains(ss) else { return nil }
        return date.days * 86_400_000 + (hh * 3600 + mm * 60 + ss) * 1000 - offsetMillis
    }

    /// `ms` as `2026-12-12 09:30` at a UTC offset.
    static func localText(_ millis: Int64, offsetMillis: Int64) -> String {
        let (days, rest) = CivilDate.split(millis, offsetMillis: offsetMillis)
        return CivilDate(days: days).text + " " + CivilDate.pad(rest / 3_600_000, 2) + ":"
            + CivilDate.pad(rest / 60_000 % 60, 2)
    }
}
