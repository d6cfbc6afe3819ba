import Commerce
import Foundation
import Hummingbird
import Node

/// `/console`: sales today / this week / this month per store and in total, a chart of the
/// last 14 days, each store's sync state (red when silent longer than `--silent-after`), open
/// conflicts by kind, and the to-do counts linking to their lists.
extension ConsoleFace {
    func addDashboardRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console") { request, _ in
            let silentAfter = self.silentAfterMillis
            let node = self.node
            return try await screen(request, .dashboard) { signed in
                let dashboard = try ConsoleDashboard.read(
                    signed, now: node.store.wallNow(), silentAfterMillis: silentAfter)
                let t = ConsoleText.catalog(signed.language)
                return page(request, signed, .dashboard, title: t["dashboard"] ?? "") {
                    ConsoleTemplates.render("dashboard", Self.context(dashboard, t: t, now: node.store.wallNow()))
                }
            }
        }
        router.get("/console/sales.csv") { request, _ in
            let node = self.node
            return try await screen(request, .dashboard) { signed in
                guard signed.may(.seeReports) else { throw Self.denied(signed, .seeReports) }
                let d = try ConsoleDashboard.read(signed, now: node.store.wallNow(), silentAfterMillis: 0)
                var rows = [["window", "from", "store", "orders", "revenue", "refunds", "net"]]
                for w in d.windows ?? [] {
                    for r in w.rows where r.store != "*" {
                        rows.append([
                            w.key, String(w.from), r.store, String(r.orders), CSV.yuan(r.revenue_cents),
                            CSV.yuan(r.refunds_cents), CSV.yuan(r.net_cents),
                        ])
                    }
                }
                return CSV.response(rows, name: "sales")
            }
        }
        router.get("/console/sync.csv") { request, _ in
            let node = self.node, silentAfter = self.silentAfterMillis
            return try await screen(request, .dashboard) { signed in
                guard signed.may(.seeReports) else { throw Self.denied(signed, .seeReports) }
                let d = try ConsoleDashboard.read(signed, now: node.store.wallNow(), silentAfterMillis: silentAfter)
                return CSV.response(
                    [["store", "last_sync", "changes_waiting", "clock_offset_ms", "silent", "push_refused"]]
                        + (d.stores ?? []).map {
                            [
                                $0.store, $0.lastSync.map(String.init) ?? "", String($0.waiting),
                                $0.clockOffsetMillis.map(String.init) ?? "", String($0.silent), String($0.blocked),
                            ]
                        }, name: "sync")
            }
        }
    }

    /// The sentence the CLI gives a role without `permission`, as a 403.
    static func denied(_ signed: ConsoleRequest, _ permission: Permission) -> NodeError {
        do {
            try signed.session.role.check(permission, user: signed.session.user)
            return NodeError(.forbidden, message: "not allowed")
        } catch { return NodeError(.forbidden, message: "\(error)") }
    }

    static func context(_ d: ConsoleDashboard, t: [String: String], now: Int64) -> [String: Any] {
        var c: [String: Any] = ["t": t]
        if let windows = d.windows {
            let stores = Set(windows.flatMap { $0.rows.map(\.store) }).subtracting(["*"]).sorted()
            func cell(_ w: ConsoleDashboard.Window, _ store: String?) -> [String: Any] {
                let rows = w.rows.filter { $0.store != "*" && (store == nil || $0.store == store) }
                return [
                    "orders": rows.reduce(0) { $0 + $1.orders },
                    "net": HTML.yuan(rows.reduce(0) { $0 + $1.net_cents }),
                ]
            }
            // Typed locals: a closure inside an `Any` literal may be inferred to return `()`.
            let headers: [String] = windows.map { t[$0.key] ?? $0.key }
            let rows: [[String: Any]] = stores.map { store in
                let cells: [[String: Any]] = windows.map { cell($0, store) }
                return ["store": store, "cells": cells]
            }
            let total: [[String: Any]] = windows.map { cell($0, nil) }
            c["sales"] = ["headers": headers, "rows": rows, "total": total] as [String: Any]
        }
        if let daily = d.daily {
            c["chart"] = ConsoleChart.bars(daily.map { ($0.day, $0.cents) }, title: t["chart"] ?? "")
        }
        if let stores = d.stores {
            let rows: [[String: Any]] = stores.map { s in
                [
                    "store": s.store, "waiting": s.waiting, "silent": s.silent, "blocked": s.blocked,
                    "lastSync": s.lastSync.map { Self.ago(now - $0, t) } ?? (t["never"] ?? ""),
                    "offset": s.clockOffsetMillis.map { "\($0 / 1000) \(t["seconds"] ?? "s")" } ?? "—",
                    "state": s.silent ? (t["silent"] ?? "") : s.blocked ? (t["blocked"] ?? "") : (t["online"] ?? ""),
                ] as [String: Any]
            }
            c["sync"] = ["stores": rows, "empty": stores.isEmpty] as [String: Any]
        }
        if let conflicts = d.conflictsByRule {
            let kinds: [[String: Any]] = conflicts.map {
                ["rule": $0.rule, "label": t["rule.\($0.rule)"] ?? $0.rule, "count": $0.count]
            }
            c["conflicts"] = ["kinds": kinds, "empty": conflicts.isEmpty] as [String: Any]
        }
        var todo: [[String: Any]] = []
        if let n = d.applications {
            todo.append(["label": t["applications_pending"] ?? "", "count": n, "href": "/console/applications"])
        }
        if let n = d.withdrawals {
            todo.append(["label": t["withdrawals_pending"] ?? "", "count": n, "href": "/console/withdrawals"])
        }
        if let n = d.refundRequests {
            todo.append(["label": t["refunds_pending"] ?? "", "count": n, "href": "/console/refunds"])
        }
        if let alerts = d.lowStock {
            let items: [[String: Any]] = alerts.prefix(5).map {
                ["sku": $0.sku, "warehouse": $0.warehouse, "available": $0.available, "threshold": $0.threshold]
            }
            c["lowStock"] = ["count": alerts.count, "items": items, "more": alerts.count > 5] as [String: Any]
        }
        if !todo.isEmpty { c["todo"] = ["items": todo] }
        return c
    }

    /// "5 min", "3 h", "2 d" ago.
    static func ago(_ millis: Int64, _ t: [String: String]) -> String {
        let minutes = max(0, millis / 60_000)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / 1440) d"
    }
}
