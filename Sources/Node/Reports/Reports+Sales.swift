import Commerce
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

extension Reports {
    /// Sales per period and store, from the orders this node holds (merged data at central).
    /// Cancelled orders are excluded; revenue is what was paid, refunds what went back.
    public func sales(by period: ReportPeriod = .day, store: String? = nil, from: Int64? = nil, to: Int64? = nil)
        throws(NodeError) -> [SalesRow]
    {
        let rows = try salesRows(by: period.rawValue, store: store, from: from, to: to)
        // A total row per period across stores ("*"), and a grand total, when several stores appear.
        guard Set(rows.map(\.store)).count > 1 else { return rows }
        var totals: [String: SalesRow] = [:]
        for r in rows {
            for key in [r.period, "total"] {
                var t = totals[key] ?? SalesRow(period: key, store: "*", orders: 0, revenue_cents: 0, refunds_cents: 0, net_cents: 0, average_order_cents: 0)
                t.orders += r.orders
                t.revenue_cents += r.revenue_cents
                t.refunds_cents += r.refunds_cents
                t.net_cents += r.net_cents
                t.average_order_cents = t.orders > 0 ? t.revenue_cents / t.orders : 0
                totals[key] = t
            }
        }
        if Set(rows.map(\.period)).count == 1 { totals["total"] = nil }  // one period: its total is the grand total
        return rows + totals.values.sorted { ($0.period == "total" ? 1 : 0, $0.period) < ($1.period == "total" ? 1 : 0, $1.period) }
    }

    /// The SQL of the store and date-window filters shared by the sales reports.
    static func orderWindow(store: String?, from: Int64?, to: Int64?) -> (String, [any SQLValue]) {
        var sql = ""
        var args: [any SQLValue] = []
        if let store {
            sql += " AND store = ?"
            args.append(store)
        }
        if let from {
            sql += " AND created_at >= ?"
            args.append(from)
        }
        if let to {
            sql += " AND created_at < ?"
            args.append(to)
        }
        return (sql, args)
    }

    func salesRows(by period: String, store: String?, from: Int64?, to: Int64?) throws(NodeError) -> [SalesRow] {
        if let from, let to, from >= to { throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)") }
        let offset = try dayOffsetMillis()
        if period == "week" { return try weeklyReport(store: store, from: from, to: to) }
        let bucket: String
        switch period {
        case "day": bucket = "strftime('%Y-%m-%d', (created_at + \(offset)) / 1000, 'unixepoch')"
        case "month": bucket = "strftime('%Y-%m', (created_at + \(offset)) / 1000, 'unixepoch')"
        case "year": bucket = "strftime('%Y', (created_at + \(offset)) / 1000, 'unixepoch')"
        case "all": bucket = "'all'"
        default: throw NodeError(.invalidInput, "\(Field.`by`) must be day, week, month, year or all")
        }
        return try read(.seeReports) { r in
            var sql = """
                SELECT \(bucket) AS period, COALESCE(store, '?') AS store, COUNT(*) AS orders,
                       SUM(paid_cents) AS revenue, SUM(refunded_cents) AS refunds
                FROM orders WHERE status <> 'cancelled' AND status <> 'pending'
                """
            var args: [any SQLValue] = []
            let (filter, filterArgs) = Self.orderWindow(store: store, from: from, to: to)
            sql += filter
            args += filterArgs
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

    func weeklyReport(store: String?, from: Int64?, to: Int64?) throws(NodeError) -> [SalesRow] {
        let offset = try dayOffsetMillis()
        return try read(.seeReports) { r in
            var sql = "SELECT created_at, COALESCE(store, '?') AS store, paid_cents, refunded_cents FROM orders WHERE status <> 'cancelled' AND status <> 'pending'"
            var args: [any SQLValue] = []
            let (filter, filterArgs) = Self.orderWindow(store: store, from: from, to: to)
            sql += filter
            args += filterArgs
            var buckets: [String: (Int64, Int64, Int64)] = [:]
            for row in try r.rows(sql, args) {
                let key = NodeCalendar.isoWeek(row["created_at"] ?? 0, offset: offset) + "|" + (row["store"] as String)
                let (n, paid, refunded) = buckets[key] ?? (0, 0, 0)
                buckets[key] = (n + 1, paid + row["paid_cents"], refunded + row["refunded_cents"])
            }
            return buckets.sorted { $0.key < $1.key }.map { key, v in
                let parts = key.split(separator: "|").map(String.init)
                return SalesRow(
                    period: parts[0], store: parts.count > 1 ? parts[1] : "?", orders: v.0, revenue_cents: v.1,
                    refunds_cents: v.2, net_cents: v.1 - v.2, average_order_cents: v.0 > 0 ? v.1 / v.0 : 0)
            }
        }
    }
}
