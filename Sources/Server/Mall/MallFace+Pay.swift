import Commerce
import Foundation
import Hummingbird
import Node
import Storage

/// Paying an order: the pay page (`/mall/orders/<id>/pay`: the sandbox's WeChat Pay and Alipay,
/// or the member's stored value when it covers the whole amount), the sandbox gateway's cashier
/// page (`/mall/pay/sandbox/<payment>`), and the notify path every provider calls
/// (`POST /mall/pay/notify/<provider>`).
///
/// The notify path takes a provider's callback (form or JSON fields, the signature in
/// `X-Fenxiao-Signature`) and answers `{"result":"SUCCESS"}` once it is recorded, or the
/// refusal as JSON (4xx, nothing recorded). The sandbox's buttons post to the same path from
/// the member's browser, without the header: the handler checks the session's CSRF token, signs
/// the notification as the sandbox gateway would, and hands it to the same use case.
extension MallFace {
    static let signatureHeader = "X-Fenxiao-Signature"

    func addPayRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/orders/:id/pay") { request, context in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let id = context.parameters.get("id") ?? ""
            let t = MallText.catalog(signed.language)
            let node = self.node
            let now = node.store.wallNow()
            do {
                let (order, wallet) = try await blocking {
                    (try me.order(id), try node.members.mallMember(me.member).wallet)
                }
                guard order.status == OrderStatus.pending.rawValue else { return redirect("/mall/orders/\(order.id)") }
                let due = Money(cents: order.total_cents - order.paid_cents)
                var context: [String: Any] = [
                    "t": t, "id": order.id, "due": due.yuan, "wallet": wallet.yuan, "storedEnough": wallet >= due,
                    "csrf": signed.session.csrf,
                ]
                context.merge(Self.deadlineContext(order, t, now: now)) { _, new in new }
                return page(request, signed, title: t["pay_title"] ?? "") {
                    MallTemplates.render("mall_order_pay", context)
                }
            } catch let error as NodeError {
                return refusal(request, signed, error, back: "/mall/orders")
            }
        }
        router.post("/mall/orders/:id/pay") { request, context in
            let form = try await Form.read(request)
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let id = context.parameters.get("id") ?? ""
            let back = "/mall/orders/\(Self.pathSafe(id))"
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: back) }
            let node = self.node
            do {
                switch form["method"] {
                case "stored":
                    _ = try await blocking { try me.payStored(order: id) }
                    return redirect(back)
                case let choice? where choice.hasPrefix("sandbox-"):
                    guard let method = PaymentMethod(rawValue: String(choice.dropFirst("sandbox-".count))) else {
                        break
                    }
                    let go = try await blocking {
                        let provider = try node.payments.sandboxProvider()
                        return provider.payURL(try me.startPayment(order: id, provider: provider, method: method))
                    }
                    return redirect(go)
                default:
                    break
                }
                return message(
                    request, signed, MallText.text("bad_pay_method", signed.language), back: back + "/pay",
                    status: .badRequest)
            } catch let error as NodeError {
                return refusal(request, signed, error, back: back)
            }
        }
        router.get("/mall/pay/sandbox/:payment") { request, context in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let id = context.parameters.get("payment") ?? ""
            let t = MallText.catalog(signed.language)
            do {
                let payment = try await blocking { try me.payment(id) }
                guard payment.state == "created", payment.provider == SandboxPaymentProvider.providerName else {
                    return redirect("/mall/orders/\(payment.order)")
                }
                return page(request, signed, title: t["sandbox_title"] ?? "") {
                    MallTemplates.render(
                        "mall_pay_sandbox",
                        [
                            "t": t, "payment": payment.id, "order": payment.order,
                            "method": t["method_\(payment.method)"] ?? payment.method,
                            "amount": Money(cents: payment.amount_cents).yuan, "csrf": signed.session.csrf,
                        ])
                }
            } catch let error as NodeError {
                return refusal(request, signed, error, back: "/mall/orders")
            }
        }
        router.post("/mall/pay/notify/:provider") { request, context in
            let name = context.parameters.get("provider") ?? ""
            if let signature = header(request, Self.signatureHeader) {
                return try await gatewayCallback(request, provider: name, signature: signature)
            }
            guard name == SandboxPaymentProvider.providerName else {
                throw NodeError(.notFound, "no payment provider \(String(name.prefix(32))) here")
            }
            return try await sandboxButton(request)
        }
    }

    /// The provider behind `/mall/pay/notify/<name>`: the sandbox (a real gateway's provider
    /// is added here, with its own key).
    static func paymentProvider(_ name: String, _ node: FenxiaoNode) throws -> any PaymentProvider {
        switch name {
        case SandboxPaymentProvider.providerName: return try node.payments.sandboxProvider()
        default: throw NodeError(.notFound, "no payment provider \(String(name.prefix(32))) here")
        }
    }

    /// A provider's own callback: the signed fields in a form or JSON body.
    func gatewayCallback(_ request: Request, provider name: String, signature: String) async throws -> Response {
        let node = self.node
        let provider = try await blocking { try Self.paymentProvider(name, node) }
        let fields = try await Self.notificationFields(request)
        let outcome = try await blocking {
            try node.payments.notify(PaymentNotification.parse(fields), signature: signature, provider: provider)
        }
        return json(.ok, encodeJSON(NotifyAnswer(result: "SUCCESS", outcome: Self.outcomeName(outcome))))
    }

    /// The sandbox cashier page's buttons: the member's browser, signed in, with the CSRF token.
    func sandboxButton(_ request: Request) async throws -> Response {
        let form = try await Form.read(request)
        guard let (signed, me) = try await member(request) else { return toLogin(request) }
        guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/orders") }
        guard let result = form["result"].flatMap(PaymentResult.init(rawValue:)) else {
            return message(
                request, signed, MallText.text("bad_pay_method", signed.language), back: "/mall/orders",
                status: .badRequest)
        }
        let id = String((form["payment"] ?? "").prefix(64))
        let node = self.node
        do {
            let order = try await blocking {
                let provider = try node.payments.sandboxProvider()
                _ = try me.sandboxResult(payment: id, result: result, provider: provider)
                return try me.payment(id).order
            }
            return redirect("/mall/orders/\(order)")
        } catch let error as NodeError {
            return refusal(request, signed, error, back: "/mall/orders")
        }
    }

    /// What a gateway is answered once its notification is recorded.
    struct NotifyAnswer: Encodable {
        let result: String
        let outcome: String
    }

    static func outcomeName(_ outcome: PaymentNotifyOutcome) -> String {
        switch outcome {
        case .paid: return "paid"
        case .alreadySettled: return "already_settled"
        case .failed: return "failed"
        case .refundDue: return "refund_due"
        }
    }

    /// A callback's fields: a JSON object (strings or integers) or a form, at most 16 KiB.
    static func notificationFields(_ request: Request) async throws -> [String: String] {
        if header(request, "Content-Type")?.lowercased().hasPrefix("application/json") == true {
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: 16 * 1024) } catch {
                throw NodeError(.tooLarge, "a payment notification is at most 16 KiB")
            }
            guard
                let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            else {
                throw NodeError(.invalidInput, "a payment notification must be a JSON object or a form")
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                if let s = value as? String {
                    fields[key] = s
                } else if let n = value as? Int64 {
                    fields[key] = String(n)
                }
            }
            return fields
        }
        return try await Form.read(request).fields
    }
}
