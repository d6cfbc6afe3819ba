import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// Withdrawing commission (`/mall/distributor/withdraw`): the amount and method, a preview
/// (`?amount=&method=`, no change) with the fee, what arrives and the minimum, then the confirm
/// (`POST`, with the session's CSRF token and the preview's state: a confirm sent twice
/// withdraws once), and the member's withdrawals with their states.
extension MallFace {
    func addWithdrawRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/distributor/withdraw") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await distributorPage(request, signed) {
                let q = request.uri.queryParameters
                let amountText = q.get("amount").map { String($0.prefix(32)) }
                let methodText = q.get("method").map { String($0.prefix(32)) }
                guard amountText != nil || methodText != nil else {
                    return try await withdrawPage(request, signed, me, preview: nil)
                }
                let (amount, method) = try Self.withdrawalInput(amountText, methodText)
                let preview = try await blocking { try me.previewWithdrawal(amount: amount, method: method) }
                return try await withdrawPage(
                    request, signed, me, preview: preview,
                    status: preview.refusal?.status ?? .ok)
            }
        }
        router.post("/mall/distributor/withdraw") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let form = try await Form.read(request)
            guard Self.csrfMatches(form, signed) else {
                return csrfRefusal(request, signed, back: "/mall/distributor/withdraw")
            }
            return try await distributorPage(request, signed) {
                let (amount, method) = try Self.withdrawalInput(form["amount"], form["method"])
                let state = String((form["state"] ?? "").prefix(128))
                let done = try await blocking { try me.requestWithdrawal(amount: amount, method: method, state: state) }
                return redirect("/mall/distributor/withdraw?done=\(Self.query(done.id))")
            }
        }
    }

    /// The amount (yuan, positive) and method of a withdrawal form, or a refusal naming the field.
    static func withdrawalInput(_ amount: String?, _ method: String?) throws(NodeError) -> (Money, WithdrawalMethod) {
        guard let m = amount.flatMap(Money.init(parsing:)), m.cents > 0 else {
            throw NodeError(.invalidInput, "\(Field.amount) must be an amount in yuan such as 50 or 50.00")
        }
        guard let w = method.flatMap(WithdrawalMethod.init(rawValue:)) else {
            throw NodeError(.invalidInput, "\(Field.method) must be bank, thirdparty, stored_value or cash")
        }
        return (m, w)
    }

    func withdrawPage(
        _ request: Request, _ signed: MallRequest, _ me: MemberSelfService, preview: WithdrawalPreview?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (withdrawals, rules, balance) = try await blocking {
            let account = try me.distributorOverview().account
            return (try me.myWithdrawals(), try me.withdrawalRules(), account.balance_cents)
        }
        let t = MallText.catalog(signed.language)
        let chosen = preview?.method ?? .bank
        let methods: [[String: Any]] = WithdrawalMethod.allCases.map {
            [
                "value": $0.rawValue, "label": t["wmethod_\($0.rawValue)"] ?? $0.rawValue,
                "note": t["wmethod_note_\($0.rawValue)"] ?? "", "selected": $0 == chosen,
            ]
        }
        var context: [String: Any] = [
            "t": t, "csrf": signed.session.csrf, "methods": methods,
            "balance": Money(cents: balance).yuan, "minimum": Money(cents: rules.min_cents).yuan,
            "amount": preview.map { Money(cents: $0.amount_cents).yuan } ?? "",
            "fee_on_top": rules.fee_mode == .onTop,
            "done": request.uri.queryParameters.get("done").map { String($0.prefix(40)) } ?? false,
            "withdrawals": withdrawals.map { w -> [String: Any] in
                [
                    "id": w.id, "amount": Money(cents: w.amount_cents).yuan, "fee": Money(cents: w.fee_cents).yuan,
                    "received": Money(cents: w.received_cents).yuan, "status": w.status,
                    "status_label": t["wstatus_\(w.status)"] ?? w.status,
                    "method": t["wmethod_\(w.method)"] ?? w.method, "note": w.reason ?? w.reference ?? false,
                ]
            },
        ]
        if let p = preview {
            context["preview"] = [
                "amount": Money(cents: p.amount_cents).yuan, "method": p.method.rawValue,
                "method_label": t["wmethod_\(p.method.rawValue)"] ?? p.method.rawValue,
                "fee": Money(cents: p.fee_cents).yuan, "net": Money(cents: p.received_cents).yuan,
                "debited": Money(cents: p.debited_cents).yuan, "minimum": Money(cents: p.minimum_cents).yuan,
                "refusal": p.refusal.map { MallText.sentence($0, signed.language) } ?? false,
                "confirmable": p.refusal == nil, "state": p.state,
            ]
        }
        return page(request, signed, title: t["dist_withdraw"] ?? "", status: status) {
            MallTemplates.render("mall_distributor_withdraw", context)
        }
    }
}
