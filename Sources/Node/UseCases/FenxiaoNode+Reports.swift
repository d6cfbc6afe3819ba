import Replication
import Storage

/// One row of the sales report.
public struct SalesRow: Sendable, Equatable, Codable {
    public var period: String
    public var store: String
    public var orders: Int64
    public var revenue_cents: Int64
    public var refunds_cents: Int64
    public var net_cents: Int64
    public var average_order_cents: Int64
}

extension FenxiaoNode {
    /// China Standard Time has no daylight saving: a fixed +8 h decides day boundaries.
    static let shanghaiOffsetMillis: Int64 = 8 * 3_600_000

    /// Sales per period and store, from the orders this node holds (merged data at central).
    /// Cancelled orders are excluded; revenue is what was paid, refunds what went back.
    public func salesReport(by period: String = "day", store: String? = nil) throws(NodeError) -> [SalesRow] {
        let bucket: String
        switch period {
        case "day": bucket = "strftime('%Y-%m-%d', (created_at + \(Self.shanghaiOffsetMillis)) / 1000, 'unixepoch')"
        case "month": bucket = "strftime('%Y-%m', (created_at + \(Self.shanghaiOffsetMillis)) / 1000, 'unixepoch')"
        case "year": bucket = "strftime('%Y', (created_at + \(Self.shanghaiOffsetMillis)) / 1000, 'unixepoch')"
        case "all": bucket = "'all'"
        default: throw NodeError(.invalidInput, "--by must be day, month, year or all")
        }
        return try read(.seeReports) { r in
            var sql = """
                SELECT \(bucket) AS period, COALESCE(store, '?') AS store, COUNT(*) AS orders,
                       SUM(paid_cents) AS revenue, SUM(refunded_cents) AS refunds
                FROM orders WHERE status <> 'cancelled' AND status <> 'pending'
                """
            var args: [any SQLValue] = []
            if let store {
                sql += " AND store = ?"
                args.append(store)
            }
            sql += " GROUP BY period, store ORDER BY period, store"
            return try r.rows(sql, args).map { row in
                let orders: Int64 = row["orders"]
                let revenue: Int64 = row["revenue"]
                let refunds: Int64 = row["refunds"]
                return SalesRow(
                    period: row["period"], store: row["store"], orders: orders, revenue_cents: revenue,
                    refunds_cents: refunds, net_cents: revenue - refunds,
                    average_order_cents: orders > 0 ? revenue / orders : 0)
            }
        }
    }
}
