import Commerce
import Foundation
import Hummingbird
import Node

/// The distributor centre (`/mall/distributor`): before applying, the application form (`POST
/// /mall/distributor/apply`); after it, the review's status; once approved, the promotion
/// centre (available, frozen, pending and lifetime commission, today and this month) with links
/// to the link and QR code, the team (`/mall/distributor/team`), the commission ledger, the
/// monthly statement and withdrawals. Every figure comes from the member's own distributor
/// record through ``MemberSelfService``, the same use cases the CLI and the console show.
extension MallFace {
    func addDistributorRoutes(_ router: Router<BasicRequestContext>) {
        addReferralRoutes(router)
        addCommissionRoutes(router)
        addWithdrawRoutes(router)
        router.get("/mall/distributor") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) { try await distributorHome(request, signed, me) }
        }
        router.post("/mall/distributor/apply") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let form = try await Form.read(request)
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/distributor") }
            do {
                let (channels, experience, inviter) = (form["channels"] ?? "", form["experience"], form["inviter"])
                _ = try await blocking {
                    try me.applyAsDistributor(channels: channels, experience: experience, inviterCode: inviter)
                }
                return redirect("/mall/distributor")
            } catch let error as NodeError {
                return try await distributorHome(
                    request, signed, me, error: MallText.sentence(error, signed.language), status: error.status,
                    form: form)
            }
        }
        router.get("/mall/distributor/team") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let sort = MyTeamSort(query: request.uri.queryParameters.get("sort"))
                let tab =
                    ["customers", "level1", "level2"].first { $0 == request.uri.queryParameters.get("tab") }
                    ?? "customers"
                let node = self.node
                let (team, offset) = try await blocking { (try me.myTeam(sort: sort), try node.dayOffsetMillis()) }
                let t = MallText.catalog(signed.language)
                let rows: [MyTeamRow] =
                    switch tab {
                    case "level1": team.level1
                    case "level2": team.level2
                    default: team.customers
                    }
                let tabs: [[String: Any]] = [
                    ("customers", team.customers.count), ("level1", team.level1.count), ("level2", team.level2.count),
                ].map { key, count -> [String: Any] in
                    [
                        "key": key, "label": t["dist_tab_\(key)"] ?? key, "count": count, "current": key == tab,
                        "href": "/mall/distributor/team?tab=\(key)&sort=\(sort.rawValue)",
                    ]
                }
                let sorts: [[String: Any]] = MyTeamSort.allCases.map { s -> [String: Any] in
                    [
                        "key": s.rawValue, "label": t["dist_sort_\(s.rawValue)"] ?? s.rawValue,
                        "current": s == sort, "href": "/mall/distributor/team?tab=\(tab)&sort=\(s.rawValue)",
                    ]
                }
                let list: [[String: Any]] = rows.map { row -> [String: Any] in
                    [
                        "id": row.id, "name": row.name, "orders": row.orders,
                        "amount": Money(cents: row.amount_cents).yuan,
                        "joined": row.joined_at.map { ConsoleQuery.date($0, offsetMillis: offset) } ?? "—",
                    ]
                }
                return page(request, signed, title: t["dist_team"] ?? "") {
                    MallTemplates.render(
                        "mall_distributor_team",
                        [
                            "t": t, "tabs": tabs, "sorts": sorts, "rows": list, "empty": list.isEmpty, "tab": tab,
                            "sort": sort.rawValue,
                        ])
                }
            }
        }
    }

    /// A distributor page's work, with a use case's refusal shown as a page in the member's
    /// language (its 4xx status).
    func distributorPage(_ request: Request, _ signed: MallRequest, _ work: () async throws -> Response)
        async throws -> Response
    {
        do {
            return try await work()
        } catch let error as NodeError {
            return message(
                request, signed, MallText.sentence(error, signed.language), back: "/mall/distributor",
                status: error.status)
        }
    }

    /// The centre: the application form, the review status, or the promotion centre.
    func distributorHome(
        _ request: Request, _ signed: MallRequest, _ me: MemberSelfService, error: String? = nil,
        status: HTTPResponse.Status = .ok, form: Form? = nil
    ) async throws -> Response {
        let t = MallText.catalog(signed.language)
        let d = try await blocking { try me.myDistributor() }
        var context: [String: Any] = ["t": t, "csrf": signed.session.csrf, "error": error ?? false]
        if let d {
            context["applied"] = true
            context["status"] = d.status
            context["status_label"] = t["dist_status_\(d.status)"] ?? d.status
            context["reason"] = d.reason ?? false
            context["referral_code"] = d.referral_code
            if d.status == "active" || d.status == "frozen" {
                let o = try await blocking { try me.distributorOverview() }
                context["approved"] = true
                context["frozen_distributor"] = d.status == "frozen"
                context["available"] = Money(cents: o.account.available_cents).yuan
                context["frozen"] = Money(cents: o.account.frozen_cents).yuan
                context["pending"] = Money(cents: o.account.pending_cents).yuan
                context["balance"] = Money(cents: o.account.balance_cents).yuan
                context["withdrawn"] = Money(cents: o.account.withdrawn_cents).yuan
                context["lifetime"] = Money(cents: o.lifetime_cents).yuan
                context["today"] = Money(cents: o.today_cents).yuan
                context["month"] = Money(cents: o.month_cents).yuan
            }
        } else {
            context["apply"] = [
                "channels": form?["channels"] ?? "", "experience": form?["experience"] ?? "",
                "inviter": form?["inviter"] ?? "",
            ]
        }
        return page(request, signed, title: t["my_distributor"] ?? "", status: status) {
            MallTemplates.render("mall_distributor", context)
        }
    }
}
