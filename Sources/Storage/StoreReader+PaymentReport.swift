import Commerce
import GRDB

/// Money of one bucket, store and payment method: what the sold orders were paid by that
/// method and what their refunds gave back by it.
public struct MethodTotals: Sendable, Equatable {
    public var period: String
    public var store: String
    public var method: String
    /// Payments (parts of a split payment count one each).
    public var payments: Int64
    public var paid: Int64
    /// Refunds that gave money back by this method.
    public var refunds: Int64
    public var refunded: Int64
    /// The earliest order in the row (ms): places a day's row in its ISO week.
    public var firstAt: Int64
}

extension StoreReader {
    /// Payments and refund parts per date bucket of their order (in the reporting time zone,
    /// `offsetMillis` from UTC), store and method, over the orders the sales report counts
    /// (not cancelled, not pending), so a period's methods add up to its sales row. Sorted by
    /// bucket, store, method.
    public func paymentMethodTotals(by bucket: SalesBucket, offsetMillis offset: Int64, in window: OrderWindow)
        throws -> [MethodTotals]
    {
        let period = bucket.period(offsetMillis: offset, orders: "o")
        let (filter, args) = window.sql(orders: "o")
        let sold = "o.status <> 'cancelled' AND o.status <> 'pending'" + filter
        let paid = try rows(
            """
            SELECT \(period) AS period, COALESCE(o.store, '?') AS store, p.method AS method, COUNT(*) AS n,
                   SUM(p.amount_cents) AS cents, MIN(o.created_at) AS first_at
            FROM payments p JOIN orders o ON o.id = p.order_id WHERE \(sold)
            GROUP BY period, store, method
            """, args)
        let refunded = try rows(
            """
            SELECT \(period) AS period, COALESCE(o.store, '?') AS store, r.method AS method,
                   COUNT(DISTINCT r.refund_id) AS n, SUM(r.amount_cents) AS cents, MIN(o.created_at) AS first_at
            FROM refund_parts r JOIN orders o ON o.id = r.order_id WHERE \(sold)
            GROUP BY period, store, method
            """, args)
        var totals: [String: MethodTotals] = [:]
        for (row, isRefund) in paid.map({ ($0, false) }) + refunded.map({ ($0, true) }) {
            let (p, s, m): (String, String, String) = (row["period"], row["store"], row["method"])
            let key = "\(p)|\(s)|\(m)"
            var t =
                totals[key]
                ?? MethodTotals(
                    period: p, store: s, method: m, payments: 0, paid: 0, refunds: 0, refunded: 0,
                    firstAt: row["first_at"] ?? 0)
            if isRefund {
                (t.refunds, t.refunded) = (row["n"], row["cents"])
            } else {
                (t.payments, t.paid) = (row["n"], row["cents"])
            }
            t.firstAt = min(t.firstAt, row["first_at"] ?? t.firstAt)
            totals[key] = t
        }
        return totals.values.sorted { ($0.period, $0.store, $0.method) < ($1.period, $1.store, $1.method) }
    }
}
