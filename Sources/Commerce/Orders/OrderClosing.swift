import Replication

/// The after-sale period: an order created with `close_days` (head office's setting at the
/// sale) closes that many days after its creation stamp. No change stamped after that — a
/// refund, a payment, a status change — may touch it: use cases refuse to write one and
/// central refuses one pushed. Because the rule is on stamps, every node decides it alike,
/// and once the stability frontier has passed an order's closing time nothing can change the
/// order any more, so a store may drop it (docs/STABILITY.md, "Closed orders").
public enum OrderClosing {
    public static let daysRange: ClosedRange<Int64> = 1...3650
    static let dayMillis: Int64 = 86_400_000

    /// The last wall-clock millisecond a change may be stamped at and still touch an order
    /// created at `created` with an after-sale period of `days`.
    public static func closesAtMillis(created: HLC, days: Int64) -> Int64 {
        created.wallMillis + min(max(days, 0), daysRange.upperBound) * dayMillis
    }

    /// Whether a change stamped `stamp` comes after the order's after-sale period.
    public static func isClosed(created: HLC, days: Int64?, at stamp: HLC) -> Bool {
        guard let days else { return false }
        return stamp.wallMillis > closesAtMillis(created: created, days: days)
    }

    /// Whether nothing can change the order any more once history up to `frontier` is final:
    /// every change still accepted is stamped at or before its closing millisecond, which lies
    /// below the frontier.
    public static func isFinal(created: HLC, days: Int64?, frontier: HLC) -> Bool {
        guard let days else { return false }
        return frontier.wallMillis > closesAtMillis(created: created, days: days)
    }
}
