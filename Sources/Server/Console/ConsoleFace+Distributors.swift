import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/distributors`: every distributor with status, group, team, sales and commission
/// totals, and the whole tree (each top distributor's downline as nested lists, `<details>` to
/// fold, no script); `/console/distributors/<id>`: one distributor with their commission ledger
/// (pending / frozen until / available / reversed, per order), monthly statement, withdrawals
/// and downline; `/console/distributors/commissions`: commission per level, distributor or
/// month (`fenxiao commission report`). Phones are the member's, masked for roles without
/// `view_contacts` by the use case.
extension ConsoleFace {
    func addDistributorRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/distributors") { request, _ in
            try await screen(request, .distributors) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                var status: DistributorRegister.Status?
                if let text = try q.text("status") {
                    status = DistributorRegister.Status(rawValue: text)
                    if status == nil {
                        throw q.refuse(
                            "status", zh: "必须是 applied, active, rejected, frozen, quit 之一",
                            en: "must be one of applied, active, rejected, frozen, quit")
                    }
                }
                let all = try signed.node.distribution.list()
                let shown = all.filter { status == nil || $0.status == status?.rawValue }
                let table = try Self.distributorTable(signed, shown, all: all, t: t)
                if q.wantsCSV { return try ConsoleTable.csv([table], request: request, name: "distributors") }
                let tree = try signed.node.distribution.forest().map { Self.treeHTML($0, all: all, t: t) }.joined()
                let statuses: [[String: Any]] = ["active", "frozen", "quit", "applied", "rejected"].map {
                    ["value": $0, "label": t["dstatus_\($0)"] ?? $0, "selected": $0 == status?.rawValue]
                }
                let context: [String: Any] = [
                    "t": t, "statuses": statuses, "tree": tree,
                    "table": table.render(t: t, path: "/console/distributors", query: q.carried),
                    "applications": signed.may(.approveDistributors),
                    "withdrawals": signed.may(.approveWithdrawals),
                ]
                return page(request, signed, .distributors, title: t["distributors"] ?? "") {
                    ConsoleTemplates.render("distributors", context)
                }
            }
        }
        router.get("/console/distributors/commissions") { request, _ in
            try await screen(request, .distributors) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                let offset = try signed.node.dayOffsetMillis()
                let by = try q.choice("by", CommissionReportDimension.distributor)
                let from = try q.day("from", offsetMillis: offset)
                let to = try q.day("to", offsetMillis: offset).map { $0 + ConsoleCalendar.dayMillis }
                if let from, let to, from >= to {
                    throw q.refuse("to", zh: "不能早于开始日期", en: "must not be before from")
                }
                let tables = [
                    Self.commissionReportTable(
                        try signed.node.distribution.commissionReport(by: by, from: from, to: to), by: by, t: t),
                    Self.topDistributorTable(try signed.node.distribution.topDistributors(from: from, to: to), t: t),
                ]
                if q.wantsCSV { return try ConsoleTable.csv(tables, request: request, name: "commissions") }
                let dimensions: [[String: Any]] = CommissionReportDimension.allCases.map {
                    ["value": $0.rawValue, "label": t["by_\($0.rawValue)"] ?? $0.rawValue, "selected": $0 == by]
                }
                let context: [String: Any] = [
                    "t": t, "dimensions": dimensions,
                    "from": from.map { ConsoleQuery.date($0, offsetMillis: offset) } ?? "",
                    "to": to.map { ConsoleQuery.date($0 - ConsoleCalendar.dayMillis, offsetMillis: offset) } ?? "",
                    "tables": tables.map {
                        $0.render(t: t, path: "/console/distributors/commissions", query: q.carried)
                    }.joined(),
                ]
                return page(request, signed, .distributors, title: t["commission_reports"] ?? "") {
                    ConsoleTemplates.render("commissions", context)
                }
            }
        }
        router.get("/console/distributors/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await screen(request, .distributors) { signed in
                let q = try ConsoleQuery(request, signed.language)
                let t = ConsoleText.catalog(signed.language)
                let offset = try signed.node.dayOffsetMillis()
                let distribution = signed.node.distribution
                let d = try distribution.find(id)
                let account = try distribution.commissionAccount(id)
                let performance = try distribution.performance(of: id)
                let phone = try? signed.node.members.find(d.member).phone
                let tables = [
                    Self.ledgerTable(account.entries, offset, t, orders: signed.may(.refund)),
                    Self.statementTable(try distribution.monthlyStatement(of: id), t),
                    Self.distributorWithdrawalTable(try distribution.withdrawals(distributor: id), t),
                ]
                let path = "/console/distributors/\(Self.pathPart(id))"
                if q.wantsCSV { return try ConsoleTable.csv(tables, request: request, name: "distributor-\(id)") }
                let facts: [[String: String]] = [
                    ("member", d.member), ("phone", (phone ?? nil) ?? "—"),
                    ("status", t["dstatus_\(d.status)"] ?? d.status), ("group", d.group ?? "—"),
                    ("referral", d.referral_code), ("inviter", d.inviter ?? "—"), ("channels", d.channels ?? "—"),
                    ("team", String(performance.team)), ("customers", String(performance.customers)),
                    ("sales", HTML.yuan(performance.sales_cents)), ("orders", String(performance.orders)),
                ].map { ["label": t["col_\($0.0)"] ?? $0.0, "value": $0.1, "key": $0.0] }
                let money: [[String: String]] = [
                    ("pending", account.pending_cents), ("frozen", account.frozen_cents),
                    ("available", account.available_cents), ("withdrawn", account.withdrawn_cents),
                    ("balance", account.balance_cents),
                ].map { ["label": t["col_\($0.0)"] ?? $0.0, "value": HTML.yuan($0.1), "key": $0.0] }
                let all = try distribution.list()
                let context: [String: Any] = [
                    "t": t, "facts": facts, "money": money, "member": Self.pathPart(d.member),
                    "members": signed.may(.manageMembers),
                    "tree": Self.treeHTML(try distribution.tree(id), all: all, t: t),
                    "tables": tables.map { $0.render(t: t, path: path, query: q.carried) }.joined(),
                ]
                return page(request, signed, .distributors, title: "\(t["distributor"] ?? "") \(d.id)") {
                    ConsoleTemplates.render("distributor", context)
                }
            }
        }
    }

    /// The downline as nested lists: each entry under the one before it at the depth above.
    static func treeHTML(_ entries: [DownlineEntry], all: [DistributorView], t: [String: String]) -> String {
        let views = Dictionary(all.map { ($0.id, $0) }) { first, _ in first }
        var html = "<ul class=\"tree\">"
        var depth = 0
        var open = false
        for e in entries {
            if open && e.depth > depth {
                html += "<ul>"
            } else if open {
                html += "</li>" + String(repeating: "</ul></li>", count: depth - e.depth)
            }
            depth = e.depth
            open = true
            let status = e.status?.rawValue ?? "?"
            let group = views[e.distributor]?.group.map { " · \(HTML.escape($0))" } ?? ""
            html +=
                "<li data-depth=\"\(e.depth)\"><a href=\"/console/distributors/\(HTML.escape(pathPart(e.distributor)))\">\(HTML.escape(e.distributor))</a> <span class=\"meta\">\(e.depth > 0 ? "L\(e.depth) · " : "")\(HTML.escape(t["dstatus_\(status)"] ?? status))\(group)</span>"
        }
        if open { html += "</li>" + String(repeating: "</ul></li>", count: depth) }
        return html + "</ul>"
    }

    /// The list with each distributor's team (from the list itself) and commission (one pass
    /// of `commissionReport(by: .distributor)`), so a chain of thousands of distributors is
    /// read once, not once per row; bound customers, sales and the balance are on their page.
    static func distributorTable(
        _ signed: ConsoleRequest, _ list: [DistributorView], all: [DistributorView], t: [String: String]
    ) throws(NodeError) -> ConsoleTable {
        var table = ConsoleTable(
            id: "distributors", title: t["distributor_list"] ?? "",
            columns: [
                column("id", t), column("member", t), column("phone", t), column("status", t), column("group", t),
                column("inviter", t), column("team", t, numeric: true), column("orders", t, numeric: true),
                column("net", t, numeric: true), column("pending", t, numeric: true),
                column("frozen", t, numeric: true), column("available", t, numeric: true),
                column("paid_out", t, numeric: true),
            ])
        let commission = Dictionary(
            try signed.node.distribution.commissionReport(by: .distributor).map { ($0.key, $0) }
        ) { first, _ in first }
        var team: [String: Int] = [:]
        for d in all { if let inviter = d.inviter { team[inviter, default: 0] += 1 } }
        for d in list {
            let phone = (try? signed.node.members.find(d.member).phone) ?? nil
            let c = commission[d.id]
            table.rows.append([
                ConsoleTable.Cell(d.id, href: "/console/distributors/\(pathPart(d.id))"), ConsoleTable.Cell(d.member),
                ConsoleTable.Cell(phone ?? "—", csv: phone ?? ""),
                ConsoleTable.Cell(t["dstatus_\(d.status)"] ?? d.status, csv: d.status),
                ConsoleTable.Cell(d.group ?? "—", csv: d.group ?? ""),
                ConsoleTable.Cell(d.inviter ?? "—", csv: d.inviter ?? ""), .int(team[d.id] ?? 0),
                .int(c?.orders ?? 0), .yuan(c?.net_cents ?? 0), .yuan(c?.pending_cents ?? 0),
                .yuan(c?.frozen_cents ?? 0), .yuan(c?.available_cents ?? 0), .yuan(c?.paid_out_cents ?? 0),
            ])
        }
        return table
    }

    static func ledgerTable(_ entries: [CommissionView], _ offset: Int64, _ t: [String: String], orders: Bool)
        -> ConsoleTable
    {
        var table = ConsoleTable(
            id: "commissions", title: t["commission_ledger"] ?? "",
            columns: [
                column("order", t), column("level", t, numeric: true), column("rule", t),
                column("earned", t, numeric: true), column("reversed", t, numeric: true),
                column("net", t, numeric: true), column("status", t), column("available_at", t),
            ])
        table.rows = entries.map { e in
            let at = e.available_at.map { ConsoleQuery.time($0, offsetMillis: offset) }
            var state = t["cstatus_\(e.status)"] ?? e.status
            if e.status == "frozen", let at { state += " → \(at)" }
            if e.reversed_cents > 0 { state += " · \(t["cstatus_reversed"] ?? "reversed")" }
            return [
                refCell(e.order, orders: orders), .int(e.level), ConsoleTable.Cell(e.rule), .yuan(e.earn_cents),
                .yuan(e.reversed_cents), .yuan(e.net_cents), ConsoleTable.Cell(state, csv: e.status),
                ConsoleTable.Cell(at ?? "—", csv: at ?? ""),
            ]
        }
        table.note = t["commission_ledger_note"]
        return table
    }

    static func statementTable(_ months: [StatementMonth], _ t: [String: String]) -> ConsoleTable {
        var table = ConsoleTable(
            id: "statement", title: t["commission_statement"] ?? "",
            columns: [
                column("month", t), column("earned", t, numeric: true), column("reversed", t, numeric: true),
                column("withdrawn", t, numeric: true),
            ])
        table.rows = months.map {
            [ConsoleTable.Cell($0.month), .yuan($0.earned_cents), .yuan($0.reversed_cents), .yuan($0.withdrawn_cents)]
        }
        return table
    }

    static func distributorWithdrawalTable(_ list: [WithdrawalView], _ t: [String: String]) -> ConsoleTable {
        var table = ConsoleTable(
            id: "withdrawals", title: t["withdrawals"] ?? "",
            columns: [
                column("id", t), column("amount", t, numeric: true), column("fee", t, numeric: true),
                column("received", t, numeric: true), column("method", t), column("status", t),
                column("reference", t),
            ])
        table.rows = list.map { w in
            [
                ConsoleTable.Cell(w.id), .yuan(w.amount_cents), .yuan(w.fee_cents), .yuan(w.received_cents),
                ConsoleTable.Cell(t["method.\(w.method)"] ?? w.method, csv: w.method),
                ConsoleTable.Cell(t[w.status] ?? w.status, csv: w.status),
                ConsoleTable.Cell(w.reference ?? w.reason ?? ""),
            ]
        }
        return table
    }

    static func commissionReportTable(_ rows: [CommissionReportRow], by: CommissionReportDimension, t: [String: String])
        -> ConsoleTable
    {
        var columns = [
            column(by.rawValue, t), column("orders", t, numeric: true), column("earned", t, numeric: true),
            column("reversed", t, numeric: true), column("net", t, numeric: true),
            column("pending", t, numeric: true), column("frozen", t, numeric: true),
            column("available", t, numeric: true),
        ]
        if by != .level { columns.append(column("paid_out", t, numeric: true)) }
        var table = ConsoleTable(id: "report", title: t["commission_by_\(by.rawValue)"] ?? "", columns: columns)
        table.rows = rows.map { r in
            var row: [ConsoleTable.Cell] = [
                by == .distributor
                    ? ConsoleTable.Cell(r.key, href: "/console/distributors/\(pathPart(r.key))")
                    : ConsoleTable.Cell(r.key),
                .int(r.orders), .yuan(r.earned_cents), .yuan(r.reversed_cents), .yuan(r.net_cents),
                .yuan(r.pending_cents), .yuan(r.frozen_cents), .yuan(r.available_cents),
            ]
            if by != .level { row.append(.yuan(r.paid_out_cents ?? 0)) }
            return row
        }
        table.note = t["commission_report_note"]
        return table
    }

    static func topDistributorTable(_ rows: [TopDistributor], t: [String: String]) -> ConsoleTable {
        var table = ConsoleTable(
            id: "top", title: t["commission_top"] ?? "",
            columns: [
                column("rank", t, numeric: true), column("distributor", t), column("net", t, numeric: true),
                column("orders", t, numeric: true), column("sales", t, numeric: true),
            ])
        table.rows = rows.enumerated().map { i, r in
            [
                .int(i + 1), ConsoleTable.Cell(r.distributor, href: "/console/distributors/\(pathPart(r.distributor))"),
                .yuan(r.net_cents), .int(r.orders), .yuan(r.sales_cents),
            ]
        }
        return table
    }
}
