import Commerce
import Foundation
import Node
import Replication

/// Typed values from a console form or query: each refusal names the field (a 400 page,
/// nothing changes).
enum ConsoleInput {
    /// Text fields are at most this many characters.
    static let maxText = 200

    /// Field `name`, trimmed; nil when absent or empty; refused above `max` characters.
    static func text(_ value: String?, _ name: String, max: Int = maxText) throws(NodeError) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        guard value.count <= max else {
            throw NodeError(.invalidInput, "\(Field(rawValue: name)) is at most \(max) characters")
        }
        return value
    }

    /// Field `name`, required.
    static func required(_ value: String?, _ name: String, max: Int = maxText) throws(NodeError) -> String {
        guard let text = try text(value, name, max: max) else {
            throw NodeError(.invalidInput, "\(Field(rawValue: name)) is required")
        }
        return text
    }

    /// A whole number of units in `range` (nil when empty).
    static func quantity(_ value: String?, _ name: String, _ range: ClosedRange<Int64> = 1...1_000_000)
        throws(NodeError) -> Int64?
    {
        guard let text = try text(value, name, max: 20) else { return nil }
        guard let n = Int64(text), range.contains(n) else {
            throw NodeError(
                .invalidInput,
                "\(Field(rawValue: name)) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A positive amount in yuan (nil when empty).
    static func money(_ value: String?, _ name: String) throws(NodeError) -> Money? {
        guard let text = try text(value, name, max: 20) else { return nil }
        guard let money = Money(parsing: text), money.cents > 0 else {
            throw NodeError(
                .invalidInput, "\(Field(rawValue: name)) must be a positive amount in yuan with at most 2 decimals")
        }
        return money
    }

    /// A `YYYY-MM-DD` day as the ms its local day starts at (`offsetMillis` from UTC); nil
    /// when empty.
    static func day(_ value: String?, _ name: String, offsetMillis: Int64) throws(NodeError) -> Int64? {
        guard let text = try text(value, name, max: 10) else { return nil }
        let parts = text.split(separator: "-").map { Int64($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1970...9999).contains(y),
            (1...12).contains(m), (1...31).contains(d)
        else {
            throw NodeError(.invalidInput, "\(Field(rawValue: name)) must be a date like 2026-12-02")
        }
        return daysFromCivil(y, m, d) * 86_400_000 - offsetMillis
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A local date and time of ms `millis`, `YYYY-MM-DD HH:MM`.
    static func time(_ millis: Int64, offsetMillis: Int64) -> String {
        let local = millis + offsetMillis
        let days = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
        let (y, m, d) = ConsoleCalendar.civil(days)
        let minute = (local - days * 86_400_000) / 60_000
        return String(format: "%04d-%02d-%02d %02d:%02d", y, m, d, minute / 60, minute % 60)
    }
}
