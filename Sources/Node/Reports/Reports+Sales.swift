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
                var t =
                    totals[key]
                    ?? SalesRow(
                        period: key, store: "*", orders: 0, revenue_cents: 0, refunds_cents: 0, net_cents: 0,
                        average_order_cents: 0)
                t.orders += r.orders
                t.revenue_cents += r.revenue_cents
                t.refunds_cents += r.refunds_cents
                t.net_cents += r.net_cents
                t.average_order_cents = t.orders > 0 ? t.revenue_cents / t.orders : 0
                totals[key] = t
            }
        }
        if Set(rows.map(\.period)).count == 1 { totals["total"] = nil }  // one period: its total is the grand total
        return rows
            + totals.values.sorted {
                ($0.period == "total" ? 1 : 0, $0.period) < ($1.period == "total" ? 1 : 0, $1.period)
            }
    }

    func salesRows(by period: String, store: String?, from: Int64?, to: Int64?) throws(NodeError) -> [SalesRow] {
        if let from, let to, from >= to {
            throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)")
        }
        let offset = try dayOffsetMillis()
        if period == "week" { return try weeklyReport(store: store, from: from, to: to) }
        let bucket: SalesBucket
        switch period {
        case "day": bucket = .day
        case "month": bucket = .month
        case "year": bucket = .year
        case "all": bucket = .all
        default: throw NodeError(.invalidInput, "\(Field.`by`) must be day, week, month, year or all")
        }
        return try read(.seeReports) { r in
            try r.salesTotals(by: bucket, offsetMillis: offset, in: OrderWindow(store: store, from: from, to: to)).map {
                row in
                let (orders, revenue, refunds) = (row.orders, row.revenue, row.refunds)
                return SalesRow(
                    period: row.period, store: row.store, orders: orders, revenue_cents: revenue,
                    refunds_cents: refunds, net_cents: revenue - refunds,
                    average_order_cents: orders > 0 ? revenue / orders : 0)
            }
        }
    }

    func weeklyReport(store: String?, from: Int64?, to: Int64?) throws(NodeError) -> [SalesRow] {
        let offset = try dayOffsetMillis()
        return try read(.seeReports) { r in
            var buckets: [String: (Int64, Int64, Int64)] = [:]
            for row in try r.soldOrders(in: OrderWindow(store: store, from: from, to: to)) {
                let key = NodeCalendar.isoWeek(row.createdAt, offset: offset) + "|" + row.store
                let (n, paid, refunded) = buckets[key] ?? (0, 0, 0)
                buckets[key] = (n + 1, paid + row.paid, refunded + row.refunded)
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
