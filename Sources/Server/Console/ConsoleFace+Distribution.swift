import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/applications` (distributor applications: approve / reject, as `fenxiao distributor
/// review`) and `/console/withdrawals` (approve / reject, then paid / failed, as `fenxiao
/// withdrawal …`). Each row names the distributor's member and phone, masked for a role
/// without `view_contacts` (the use case masks it).
extension ConsoleFace {
    func addDistributionRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/applications") { request, _ in
            try await screen(request, .applications) { signed in
                let t = ConsoleText.catalog(signed.language)
                let rows = try Self.applicationRows(signed)
                let items: [[String: Any]] = rows.map { row in
                    [
                        "id": row.d.id, "member": row.d.member, "phone": row.phone ?? "—",
                        "referral": row.d.referral_code, "inviter": row.d.inviter ?? "—",
                        "channels": row.d.channels ?? "—",
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "empty": rows.isEmpty, "applications": items,
                ]
                return page(request, signed, .applications, title: t["applications"] ?? "") {
                    ConsoleTemplates.render("applications", context)
                }
            }
        }
        router.post("/console/applications/:id/review") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .applications) { signed, form in
                let reason = form["reason"].flatMap { $0.isEmpty ? nil : $0 }
                _ = try signed.node.distribution.review(
                    id: id, approve: form["decision"] == "approve", reason: reason, group: nil)
                return "/console/applications"
            }
        }
        router.get("/console/applications.csv") { request, _ in
            try await screen(request, .applications) { signed in
                CSV.response(
                    [["id", "member", "phone", "referral_code", "inviter", "channels"]]
                        + (try Self.applicationRows(signed)).map {
                            [
                                $0.d.id, $0.d.member, $0.phone ?? "", $0.d.referral_code, $0.d.inviter ?? "",
                                $0.d.channels ?? "",
                            ]
                        }, name: "applications")
            }
        }
        router.get("/console/withdrawals") { request, _ in
            try await screen(request, .withdrawals) { signed in
                let t = ConsoleText.catalog(signed.language)
                let rows = try Self.withdrawalRows(signed)
                let items: [[String: Any]] = rows.map { row in
                    let w = row.w
                    return [
                        "id": w.id, "distributor": w.distributor, "phone": row.phone ?? "—",
                        "amount": HTML.yuan(w.amount_cents), "fee": HTML.yuan(w.fee_cents),
                        "received": HTML.yuan(w.received_cents), "method": t["method.\(w.method)"] ?? w.method,
                        "status": t[w.status] ?? w.status, "requested": w.status == "requested",
                        "approved": w.status == "approved", "reference": w.reference ?? w.reason ?? "",
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "empty": rows.isEmpty, "withdrawals": items,
                ]
                return page(request, signed, .withdrawals, title: t["withdrawals"] ?? "") {
                    ConsoleTemplates.render("withdrawals", context)
                }
            }
        }
        router.post("/console/withdrawals/:id/settle") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await action(request, .withdrawals) { signed, form in
                guard let step = form["step"].flatMap(WithdrawalStep.init(rawValue:)) else {
                    throw NodeError(.invalidInput, "step must be approved, rejected, paid or failed", field: "step")
                }
                func given(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
                _ = try signed.node.distribution.settleWithdrawal(
                    id: id, to: step, reference: given("reference"), reason: given("reason"))
                return "/console/withdrawals"
            }
        }
        router.get("/console/withdrawals.csv") { request, _ in
            try await screen(request, .withdrawals) { signed in
                CSV.response(
                    [
                        [
                            "id", "distributor", "phone", "amount", "fee", "received", "method", "status", "reference",
                            "reason",
                        ]
                    ]
                        + (try Self.withdrawalRows(signed)).map { r in
                            let w = r.w
                            return [
                                w.id, w.distributor, r.phone ?? "", CSV.yuan(w.amount_cents), CSV.yuan(w.fee_cents),
                                CSV.yuan(w.received_cents), w.method, w.status, w.reference ?? "", w.reason ?? "",
                            ]
                        }, name: "withdrawals")
            }
        }
    }

    /// Pending applications with the applicant's phone (masked by the use case when the role may
    /// not see contacts).
    static func applicationRows(_ signed: ConsoleRequest) throws(NodeError) -> [(d: DistributorView, phone: String?)] {
        try signed.node.distribution.list(status: .applied).map { d throws(NodeError) in
            (d, try? signed.node.members.find(d.member).phone)
        }
    }

    /// Every withdrawal, the newest work first (requested, then approved, then the settled ones).
    static func withdrawalRows(_ signed: ConsoleRequest) throws(NodeError) -> [(w: WithdrawalView, phone: String?)] {
        let order = ["requested": 0, "approved": 1]
        let all = try signed.node.distribution.withdrawals().sorted {
            (order[$0.status] ?? 2, $0.id) < (order[$1.status] ?? 2, $1.id)
        }
        var phones: [String: String?] = [:]
        return all.map { w in
            if phones[w.distributor] == nil {
                let member = try? signed.node.distribution.find(w.distributor).member
                phones[w.distributor] = member.flatMap { try? signed.node.members.find($0).phone }
            }
            return (w, phones[w.distributor] ?? nil)
        }
    }
}
