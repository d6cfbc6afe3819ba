import Commerce
import Foundation
import Hummingbird
import Node

/// A distributor's commission ledger (`/mall/distributor/commissions`: each order's commission
/// with its step — pending, frozen until a date, available, reversed with the refund's reason,
/// or a store's sale awaiting that store's sync — and the totals `fenxiao distributor account`
/// shows) and monthly statement (`/mall/distributor/statement?month=YYYY-MM`).
extension MallFace {
    func addCommissionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/distributor/commissions") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let node = self.node
                let (account, rows, offset) = try await blocking {
                    let (account, rows) = try me.myCommissions()
                    return (account, rows, try node.dayOffsetMillis())
                }
                let t = MallText.catalog(signed.language)
                let list: [[String: Any]] = rows.map { row in
                    let e = row.entry
                    return [
                        "order": e.order, "level": e.level, "state": row.state,
                        "state_label": t["cstate_\(row.state)"] ?? row.state,
                        "earned": Money(cents: e.earn_cents).yuan, "net": Money(cents: e.net_cents).yuan,
                        "reversed": e.reversed_cents > 0 ? Money(cents: e.reversed_cents).yuan : false,
                        "frozen_until": row.state == "frozen"
                            ? (e.available_at.map { ConsoleQuery.time($0, offsetMillis: offset) } ?? false) : false,
                        "reasons": row.reasons.isEmpty ? false : row.reasons.joined(separator: "；"),
                        "awaiting_sync": row.awaitingStoreSync,
                    ]
                }
                return page(request, signed, title: t["dist_commissions"] ?? "") {
                    MallTemplates.render(
                        "mall_distributor_commissions",
                        [
                            "t": t, "rows": list, "empty": list.isEmpty,
                            "available": Money(cents: account.available_cents).yuan,
                            "frozen": Money(cents: account.frozen_cents).yuan,
                            "pending": Money(cents: account.pending_cents).yuan,
                            "withdrawn": Money(cents: account.withdrawn_cents).yuan,
                            "balance": Money(cents: account.balance_cents).yuan,
                        ])
                }
            }
        }
        router.get("/mall/distributor/statement") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let wanted = request.uri.queryParameters.get("month").map { String($0.prefix(16)) }
                let s = try await blocking { try me.myStatement(month: wanted?.isEmpty == false ? wanted : nil) }
                let t = MallText.catalog(signed.language)
                let m = s.month
                let months: [[String: Any]] = s.months.map {
                    ["month": $0, "href": "/mall/distributor/statement?month=\($0)", "current": $0 == m.month]
                }
                return page(request, signed, title: t["dist_statement"] ?? "") {
                    MallTemplates.render(
                        "mall_distributor_statement",
                        [
                            "t": t, "month": m.month, "orders": s.orders, "earned": Money(cents: m.earned_cents).yuan,
                            "reversed": Money(cents: m.reversed_cents).yuan,
                            "net": Money(cents: m.earned_cents - m.reversed_cents).yuan,
                            "withdrawn": Money(cents: m.withdrawn_cents).yuan, "months": months,
                            "has_months": !months.isEmpty,
                        ])
                }
            }
        }
    }
}
