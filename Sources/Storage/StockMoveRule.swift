/// Which stock movements count: **when an intention loses, all its effects lose with it.**
///
/// A movement a cancel wrote (`cancel_of` = the order, e.g. the release of its reservation)
/// counts only while that order's derived status is `cancelled`. When a payment recorded
/// elsewhere beats the cancel (`fact_beats_cancel`), the release stops counting: the
/// reservation is open again and shipping or completing the order turns it into a sale, as if
/// the order had never been cancelled. A movement whose order is not held yet counts.
public enum StockMoveRule {
    /// An SQL condition, over `stock_moves` aliased `alias`, true for the movements that count.
    public static func counts(_ alias: String) -> String {
        "(\(alias).cancel_of IS NULL OR COALESCE((SELECT o.status FROM orders o WHERE o.id = \(alias).cancel_of), 'cancelled') = 'cancelled')"
    }
}
