import Commerce
import Replication

/// Amounts and percentages typed by a user, validated with messages naming the field.
enum Amounts {
    /// An amount in yuan typed by a user (`12.50`), as fen, refused with a message naming the
    /// field unless it is within 0…`max` fen (no upper bound when `max` is nil).
    static func fen(_ text: String, _ what: Field, max: Int64? = nil) throws(NodeError) -> Int64 {
        guard let m = Money(parsing: text), m.cents >= 0, m.cents <= max ?? Int64.max else {
            let range = max.map { " from 0 to \(Money(cents: $0))" } ?? ""
            throw NodeError(.invalidInput, "\(what) '\(text)' must be an amount in yuan\(range)")
        }
        return m.cents
    }

    /// A typed amount, as fen, refused with a message naming the field unless it is within
    /// 0…`max` fen (no upper bound when `max` is nil).
    static func fen(_ amount: Money, _ what: Field, max: Int64? = nil) throws(NodeError) -> Int64 {
        guard amount.cents >= 0, amount.cents <= max ?? Int64.max else {
            let range = max.map { " from 0 to \(Money(cents: $0))" } ?? " of at least 0"
            throw NodeError(.invalidInput, "\(what) \(amount) must be an amount in yuan\(range)")
        }
        return amount.cents
    }

    /// A typed percentage as basis points, refused with a message naming the field unless it
    /// is within 0…`maxPercent` %.
    static func basisPoints(_ percent: Percent, _ what: Field, maxPercent: Int64) throws(NodeError) -> Int64 {
        guard (0...maxPercent * 100).contains(percent.basisPoints) else {
            throw NodeError(.invalidInput, "\(what) \(percent) must be a percentage from 0 to \(maxPercent)")
        }
        return percent.basisPoints
    }

    /// A percentage with at most two decimals (`0.6`), as basis points, within 0…`maxPercent` %.
    static func basisPoints(_ text: String, _ what: Field, maxPercent: Int64) throws(NodeError) -> Int64 {
        guard let m = Money(parsing: text), (0...maxPercent * 100).contains(m.cents) else {
            throw NodeError(
                .invalidInput,
                "\(what) '\(text)' must be a percentage from 0 to \(maxPercent) with at most two decimals")
        }
        return m.cents  // percent with two decimals = basis points
    }
}
