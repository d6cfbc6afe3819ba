import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/reports`: sales by day, ISO week, month or year (Asia/Shanghai unless the node's
/// offset is set) per store and in total with a chart, payments by method, best sellers by SKU
/// and by category, and stored-value top-ups per store; each table is the use case's rows as
/// `fenxiao report sales|payments|top|topups` prints them, and downloads as CSV.
extension ConsoleFace {
    /// The report filters: period, store, a date range (the `to` day included).
    struct ReportFilter: Sendable {
        var period: ReportPeriod
        var store: String?
        var from: Int64?
        /// Exclusive: the start of the day after the `to` day given.
        var to: Int64?
        var fromText: String
        var toText: String
        var top: Int
        /// The screen is asked for a CSV (every row, not the page's first ones).
        var csv: Bool

        init(_ q: ConsoleQuery, offset: Int64, now: Int64) throws(NodeError) {
            period = try q.choice("period", ReportPeriod.day)
            store = try q.text("store")
            from = try q.day("from", offsetMillis: offset)
            to = try q.day("to", offsetMillis: offset).map { $0 + ConsoleCalendar.dayMillis }
            if from == nil && to == nil && period == .day {
                // Without dates, days show the last 31 (a month on one screen).
                from = ConsoleCalendar(offsetMillis: offset, now: now).today - 30 * ConsoleCalendar.dayMillis
            }
            if let from, let to, from >= to {
                throw q.refuse("to", zh: "不能早于开始日期", en: "must not be before from")
            }
            fromText = from.map { ConsoleQuery.date($0, offsetMillis: offset) } ?? ""
            toText = to.map { ConsoleQuery.date($0 - ConsoleCalendar.dayMillis, offsetMillis: offset) } ?? ""
            let topText = try q.text("top")
            guard let top = topText.map({ Int($0) }) ?? 10, (1...100).contains(top) else {
                throw q.refuse("top", zh: "必须是 1 到 100 的整数", en: "must be a whole number from 1 to 100")
            }
            self.top = top
            csv = q.wantsCSV
        }
    }

    func addReportRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/reports") { request, _ in
            let node = self.node
            return try await screen(request, .reports) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                let offset = try signed.node.dayOffsetMillis()
                let filter = try ReportFilter(q, offset: offset, now: node.store.wallNow())
                let sales = try signed.node.reports.sales(
                    by: filter.period, store: filter.store, from: filter.from, to: filter.to)
                let tables = try Self.reportTables(signed, filter, sales: sales, offset: offset, t: t)
                if q.wantsCSV { return try ConsoleTable.csv(tables, request: request, name: "report") }
                let stores = try signed.node.reports.sales(by: .all).map(\.store).filter { $0 != "*" }
                let periods: [[String: Any]] = ReportPeriod.allCases.map {
                    [
                        "value": $0.rawValue, "label": t["period_\($0.rawValue)"] ?? $0.rawValue,
                        "selected": $0 == filter.period,
                    ]
                }
                let storeOptions: [[String: Any]] = Set(stores).sorted().map {
                    ["value": $0, "selected": $0 == filter.store]
                }
                let context: [String: Any] = [
                    "t": t, "periods": periods, "stores": storeOptions, "from": filter.fromText,
                    "to": filter.toText, "top": filter.top,
                    "chart": Self.salesChart(sales, period: filter.period, title: t["report_chart"] ?? ""),
                    "tables": tables.map { $0.render(t: t, path: "/console/reports", query: q.carried) }.joined(),
                ]
                return page(request, signed, .reports, title: t["reports"] ?? "") {
                    ConsoleTemplates.render("reports", context)
                }
            }
        }
    }

    /// Net sales per period: the all-stores rows when several stores appear, else the one store's.
    static func salesChart(_ rows: [SalesRow], period: ReportPeriod, title: String) -> String {
        let several = rows.contains { $0.store == "*" }
        let points = rows.filter { $0.period != "total" && (several ? $0.store == "*" : true) }.map { r in
            let label: String
            switch period {
            case .day: label = String(r.period.dropFirst(5))
            case .week: label = String(r.period.suffix(3))
            case .month: label = String(r.period.dropFirst(2))
            case .year, .all: label = r.period
            }
            return (label: label, cents: r.net_cents)
        }
        return points.isEmpty ? "" : ConsoleChart.bars(points, title: title)
    }

    /// The report's tables, each the use case's rows in the order it returns them.
    static func reportTables(
        _ signed: ConsoleRequest, _ f: ReportFilter, sales: [SalesRow], offset: Int64, t: [String: String]
    ) throws(NodeError) -> [ConsoleTable] {
        func col(_ key: String, _ numeric: Bool = false) -> ConsoleTable.Column {
            ConsoleTable.Column(key: key, label: t["col_\(key)"] ?? key, numeric: numeric)
        }
        func storeCell(_ s: String) -> ConsoleTable.Cell { ConsoleTable.Cell(s == "*" ? t["total"] ?? s : s, csv: s) }
        func periodCell(_ p: String) -> ConsoleTable.Cell {
            ConsoleTable.Cell(p == "total" ? t["total"] ?? p : p, csv: p)
        }
        var salesTable = ConsoleTable(
            id: "sales", title: t["report_sales"] ?? "",
            columns: [
                col("period"), col("store"), col("orders", true), col("revenue", true), col("refunds", true),
                col("net", true), col("average_order", true),
            ])
        for (i, r) in sales.enumerated() {
            salesTable.rows.append([
                periodCell(r.period), storeCell(r.store), .int(r.orders), .yuan(r.revenue_cents),
                .yuan(r.refunds_cents),
                .yuan(r.net_cents), .yuan(r.average_order_cents),
            ])
            if r.store == "*" { salesTable.totals.insert(i) }
        }
        salesTable.note = t["report_note"]
        var payments = ConsoleTable(
            id: "payments", title: t["report_payments"] ?? "",
            columns: [
                col("period"), col("store"), col("method"), col("payments", true), col("paid", true),
                col("refund_count", true), col("refunded", true), col("net", true),
            ])
        for (i, r) in try signed.node.reports.payments(by: f.period, store: f.store, from: f.from, to: f.to)
            .enumerated()
        {
            payments.rows.append([
                periodCell(r.period), storeCell(r.store),
                ConsoleTable.Cell(t["pay_\(r.method)"] ?? r.method, csv: r.method), .int(r.payments),
                .yuan(r.paid_cents), .int(r.refunds), .yuan(r.refunded_cents), .yuan(r.net_cents),
            ])
            if r.store == "*" { payments.totals.insert(i) }
        }
        var tables = [salesTable, payments]
        for dimension in TopSellerDimension.allCases {
            var top = ConsoleTable(
                id: "top_\(dimension.rawValue)", title: t["report_top_\(dimension.rawValue)"] ?? "",
                columns: [col("rank", true), col(dimension.rawValue), col("units", true), col("revenue", true)])
            for (i, r) in try signed.node.reports.topSellers(by: dimension, limit: f.top).enumerated() {
                top.rows.append([.int(i + 1), ConsoleTable.Cell(r.key), .int(r.units), .yuan(r.revenue_cents)])
            }
            top.note = t["report_top_note"]
            tables.append(top)
        }
        var topups = ConsoleTable(
            id: "topups", title: t["report_topups"] ?? "",
            columns: [
                col("store"), col("topups", true), col("total", true), col("cash", true), col("card", true),
                col("wallet", true), col("qrpay", true), col("bonus", true), col("without_payment", true),
            ])
        var entries = ConsoleTable(
            id: "topup_entries", title: t["report_topup_entries"] ?? "",
            columns: [col("time"), col("store"), col("id"), col("member"), col("amount", true), col("payment")])
        for r in try signed.node.reports.topups(store: f.store) {
            topups.rows.append([
                storeCell(r.store), .int(r.count), .yuan(r.total_cents), .yuan(r.by_method["cash"] ?? 0),
                .yuan(r.by_method["card"] ?? 0), .yuan(r.by_method["wallet"] ?? 0),
                .yuan(r.by_method["qrpay"] ?? 0), .yuan(r.bonus_cents), .int(r.without_payment),
            ])
            for e in r.topups where (f.from.map { e.at >= $0 } ?? true) && (f.to.map { e.at < $0 } ?? true) {
                entries.rows.append([
                    ConsoleTable.Cell(ConsoleQuery.time(e.at, offsetMillis: offset)), storeCell(r.store),
                    ConsoleTable.Cell(e.id),
                    ConsoleTable.Cell(
                        e.member, href: signed.may(.manageMembers) ? "/console/members/\(Self.pathPart(e.member))" : nil
                    ),
                    .yuan(e.amount_cents), ConsoleTable.Cell(e.payment ?? "—", csv: e.payment ?? ""),
                ])
            }
        }
        topups.note = t["report_topups_note"]
        if !f.csv && entries.rows.count > Self.maxEntryRows {
            // The page shows the first 500 (the CSV has every one).
            entries.rows = Array(entries.rows.prefix(Self.maxEntryRows))
            entries.note = t["report_entries_capped"]
        }
        return tables + [topups, entries]
    }

    /// Top-up entries shown on the page at most (the CSV download has them all).
    static let maxEntryRows = 500

    /// An id as one path segment.
    static func pathPart(_ id: String) -> String {
        queryValue(id)
    }
}
