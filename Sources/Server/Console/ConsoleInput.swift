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
        guard let date = CivilDate(text: text), (1970...9999).contains(date.year) else {
            throw NodeError(.invalidInput, "\(Field(rawValue: name)) must be a date like 2026-12-02")
        }
        return date.days * 86_400_000 - offsetMillis
    }

    /// A local date and time of ms `millis`, `YYYY-MM-DD HH:MM`.
    static func time(_ millis: Int64, offsetMillis: Int64) -> String {
        let (days, inDay) = CivilDate.split(millis, offsetMillis: offsetMillis)
        let minute = inDay / 60_000
        return CivilDate(days: days).text + " " + CivilDate.pad(minute / 60, 2) + ":" + CivilDate.pad(minute % 60, 2)
    }
}
