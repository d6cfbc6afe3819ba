import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// Central with stock for the mall's order tests: MallShop's member A (Ann, ¥35 stored value)
/// plus member B, 50 of each fixture SKU in central's warehouse and a single-use ¥5 coupon SAVE5.
enum MallOrderShop {
    static func make(_ dir: TempDirectory, clock: ManualClock) throws -> FenxiaoNode {
        let central = try MallShop.make(dir, clock: clock)
        for sku in ["TEA-01", "BUN-01", "MUG-01"] {
            _ = try central.inventory.move(sku: sku, quantity: 50, reason: .receive)
        }
        _ = try central.members.upsert(id: "B", name: "Bo", phone: "13800000002")
        _ = try central.marketing.defineCoupon(code: "SAVE5", amount: Money(cents: 500), minSpend: nil, singleUse: true)
        return central
    }

    /// An online order of `member`, pending, as checkout leaves it.
    static func order(
        _ central: FenxiaoNode, member: String = "A", _ lines: [LineRequest] = [.line("MUG-01", 1)],
        coupon: String? = nil
    ) throws -> OrderView {
        try central.orders.create(OrderRequest(lines: lines, member: member, coupon: coupon, channel: .online))
    }

    /// Runs `body` with central and Ann's phone, signed in.
    static func withAnn(
        _ label: String, _ body: @Sendable (MallBrowser, FenxiaoNode, ManualClock) async throws -> Void
    ) async throws {
        let dir = TempDirectory(label)
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try make(dir, clock: clock)
        try await mallApp(central).test(.router) { client in
            let ann = MallBrowser(client: client)
            try await ann.login(central, phone: MallShop.annPhone)
            try await body(ann, central, clock)
        }
    }

    /// A gateway's callback: `fields` as a form (or JSON), the signature in its header.
    static func callback(
        _ client: any TestClientProtocol, _ n: PaymentNotification, signature: String, json: Bool = false
    ) async throws -> MallBrowser.Answer {
        var fields: [(String, String)] = [
            ("payment", n.payment), ("order", n.order), ("amount", String(n.amountCents)),
            ("result", n.result.rawValue), ("nonce", n.nonce),
        ]
        if let txn = n.transaction { fields.append(("txn", txn)) }
        let body =
            json
            ? "{" + fields.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
            : fields.map { "\(MallBrowser.encode($0.0))=\(MallBrowser.encode($0.1))" }.joined(separator: "&")
        let headers: HTTPFields = [
            .contentType: json ? "application/json" : "application/x-www-form-urlencoded",
            try #require(HTTPField.Name("X-Fenxiao-Signature")): signature,
        ]
        return try await client.execute(
            uri: "/mall/pay/notify/sandbox", method: .post, headers: headers, body: ByteBuffer(string: body)
        ) { r in MallBrowser.Answer(status: r.status, body: String(buffer: r.body), headers: r.headers) }
    }

    /// Starts a sandbox payment of `order` through the pay page's form; the new payment.
    static func startSandbox(
        _ phone: MallBrowser, _ central: FenxiaoNode, order: String, method: String = "sandbox-wechat"
    ) async throws -> MallPaymentRow {
        let before = Set(try central.payments.payments(order: order).map(\.id))
        let answer = try await phone.post(
            "/mall/orders/\(order)/pay", [("csrf", try await phone.csrf()), ("method", method)])
        #expect(answer.status == .seeOther)
        let row = try #require(try central.payments.payments(order: order).first { !before.contains($0.id) })
        #expect(answer.location == "/mall/pay/sandbox/\(row.id)")
        return row
    }
}

/// Paying an order in the mall over HTTP on a real central: the pay page's methods, the sandbox
/// cashier page, the notify path a gateway calls (signed; the same callback twice, or at once,
/// pays once), failures, late successes, stored value, CSRF.
@Suite struct MallPaymentTests {
    @Test func thePayPageOffersTheSandboxWalletsAndStoredValueOnlyWhenItCoversTheTotal() async throws {
        try await MallOrderShop.withAnn("mall-pay-page") { ann, central, _ in
            let mug = try MallOrderShop.order(central)  // ¥45 > Ann's ¥35
            let page = try await ann.get("/mall/orders/\(mug.id)/pay")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"id="pay-sandbox-wechat""#) && page.body.contains(#"id="pay-sandbox-alipay""#))
            #expect(page.body.contains(#"id="pay-stored" disabled"#) && page.body.contains("¥45.00"))
            #expect(page.body.contains(#"id="expires-in""#))
            let buns = try MallOrderShop.order(central, [.line("BUN-01", 2)])
            let cheap = try await ann.get("/mall/orders/\(buns.id)/pay")
            #expect(cheap.body.contains(#"id="pay-stored">"#) && !cheap.body.contains(#"id="pay-stored" disabled"#))
        }
    }

    @Test func theSandboxButtonPaysThroughTheNotifyPathAndTheSameCallbackTwicePaysOnce() async throws {
        try await MallOrderShop.withAnn("mall-pay-twice") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            #expect(payment.amount_cents == 4500 && payment.method == "wechat" && payment.state == "created")
            let cashier = try await ann.get("/mall/pay/sandbox/\(payment.id)")
            #expect(cashier.body.contains(#"id="sandbox-pay""#) && cashier.body.contains(#"id="sandbox-fail""#))
            #expect(cashier.body.contains(#"action="/mall/pay/notify/sandbox""#))
            let paid = try await ann.post(
                "/mall/pay/notify/sandbox",
                [("csrf", try await ann.csrf()), ("payment", payment.id), ("result", "paid")])
            #expect(paid.status == .seeOther && paid.location == "/mall/orders/\(order.id)")
            // The gateway repeats its callback: answered SUCCESS, nothing paid twice.
            let sandbox = try central.payments.sandboxProvider()
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            for _ in 0..<2 {
                let again = try await MallOrderShop.callback(ann.client, n, signature: signature)
                #expect(again.status == .ok && again.body.contains("SUCCESS") && again.body.contains("already_settled"))
            }
            let shown = try central.orders.find(order.id)  // what `fenxiao order show` prints
            #expect(shown.status == "paid" && shown.payments.count == 1 && shown.paid_cents == shown.total_cents)
            #expect(shown.payments.first?.reference == payment.id)
            #expect(try central.payments.payments(order: order.id).map(\.state) == ["paid"])
            let page = try await ann.get("/mall/orders/\(order.id)")
            #expect(page.body.contains(#"data-status="paid">待发货"#) && page.body.contains("支付成功"))
        }
    }

    @Test func aGatewayCallbackPaysOnceWhetherFormOrJSON() async throws {
        try await MallOrderShop.withAnn("mall-pay-json") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id, method: "sandbox-alipay")
            let sandbox = try central.payments.sandboxProvider()
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let first = try await MallOrderShop.callback(ann.client, n, signature: signature, json: true)
            #expect(first.status == .ok && first.body.contains(#""outcome":"paid""#))
            let second = try await MallOrderShop.callback(ann.client, n, signature: signature)
            #expect(second.status == .ok && second.body.contains("already_settled"))
            let shown = try central.orders.find(order.id)
            #expect(shown.payments.map(\.method) == ["alipay"] && shown.paid_cents == 4500)
        }
    }

    @Test func aBadSignatureOrAmountIsRefusedAndChangesNothing() async throws {
        try await MallOrderShop.withAnn("mall-pay-bad") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            let sandbox = try central.payments.sandboxProvider()
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let forged = try await MallOrderShop.callback(
                ann.client, n, signature: String(repeating: "0", count: signature.count))
            #expect(forged.status == .unauthorized)
            var cheaper = n
            cheaper.amountCents = 100
            let replayed = try await MallOrderShop.callback(ann.client, cheaper, signature: signature)
            #expect(replayed.status == .unauthorized)
            let mismatch = try await MallOrderShop.callback(ann.client, cheaper, signature: sandbox.sign(cheaper))
            #expect(mismatch.status == .badRequest)
            var otherOrder = n
            otherOrder.order = try MallOrderShop.order(central).id
            let moved = try await MallOrderShop.callback(ann.client, otherOrder, signature: sandbox.sign(otherOrder))
            #expect(moved.status == .badRequest)
            let garbage = try await MallOrderShop.callback(
                ann.client,
                PaymentNotification(
                    payment: "x'; DROP TABLE orders", order: n.order, amountCents: 1, result: .paid, nonce: "n",
                    transaction: nil), signature: "abc")
            #expect(garbage.status == .badRequest)
            let shown = try central.orders.find(order.id)
            #expect(shown.status == "pending" && shown.payments.isEmpty && shown.paid_cents == 0)
            #expect(try central.payments.payments(order: order.id).map(\.state) == ["created"])
        }
    }

    @Test func concurrentIdenticalCallbacksPayOnce() async throws {
        try await MallOrderShop.withAnn("mall-pay-race") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            let sandbox = try central.payments.sandboxProvider()
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let client = ann.client
            let answers = try await withThrowingTaskGroup(of: MallBrowser.Answer.self) { group in
                for _ in 0..<6 { group.addTask { try await MallOrderShop.callback(client, n, signature: signature) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .ok })
            #expect(answers.filter { $0.body.contains(#""outcome":"paid""#) }.count == 1)
            let shown = try central.orders.find(order.id)
            #expect(shown.payments.count == 1 && shown.paid_cents == shown.total_cents)
        }
    }

    @Test func aFailedPaymentLeavesTheOrderPendingAndItCanBePaidAgain() async throws {
        try await MallOrderShop.withAnn("mall-pay-fail") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let first = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            let failed = try await ann.post(
                "/mall/pay/notify/sandbox",
                [("csrf", try await ann.csrf()), ("payment", first.id), ("result", "failed")])
            #expect(failed.status == .seeOther)
            #expect(try central.orders.find(order.id).status == "pending")
            #expect(try await ann.get("/mall/orders/\(order.id)").body.contains("支付失败"))
            // The failed payment's cashier page is over; a new payment pays.
            #expect(try await ann.get("/mall/pay/sandbox/\(first.id)").location == "/mall/orders/\(order.id)")
            let second = try await MallOrderShop.startSandbox(ann, central, order: order.id, method: "sandbox-alipay")
            _ = try await ann.post(
                "/mall/pay/notify/sandbox",
                [("csrf", try await ann.csrf()), ("payment", second.id), ("result", "paid")])
            let shown = try central.orders.find(order.id)
            #expect(shown.status == "paid" && shown.payments.map(\.method) == ["alipay"])
            #expect(try central.payments.payments(order: order.id).map(\.state) == ["failed", "paid"])
            // Paid: the pay page sends the member back to the order.
            #expect(try await ann.get("/mall/orders/\(order.id)/pay").location == "/mall/orders/\(order.id)")
        }
    }

    @Test func storedValuePaysAtOnceAndDebitsTheWalletOnce() async throws {
        try await MallOrderShop.withAnn("mall-pay-stored") { ann, central, _ in
            let buns = try MallOrderShop.order(central, [.line("BUN-01", 2)])  // ¥7.00
            let csrf = try await ann.csrf()
            let paid = try await ann.post("/mall/orders/\(buns.id)/pay", [("csrf", csrf), ("method", "stored")])
            #expect(paid.status == .seeOther && paid.location == "/mall/orders/\(buns.id)")
            let again = try await ann.post("/mall/orders/\(buns.id)/pay", [("csrf", csrf), ("method", "stored")])
            #expect(again.status == .conflict)
            #expect(try central.members.find("A").wallet_cents == 3500 - 700)
            let shown = try central.orders.find(buns.id)
            #expect(shown.status == "paid" && shown.payments.map(\.method) == ["stored"] && shown.paid_cents == 700)
            #expect(try central.payments.payments(order: buns.id).map(\.state) == ["paid"])
            // ¥45 is more than the ¥28 left: refused, nothing debited.
            let mug = try MallOrderShop.order(central)
            let short = try await ann.post("/mall/orders/\(mug.id)/pay", [("csrf", csrf), ("method", "stored")])
            #expect(short.status == .conflict && short.body.contains("储值余额"))
            #expect(try central.members.find("A").wallet_cents == 2800)
            #expect(try central.orders.find(mug.id).status == "pending")
        }
    }

    @Test func aSuccessForACancelledOrderIsKeptAsARefundDue() async throws {
        try await MallOrderShop.withAnn("mall-pay-late") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            let csrf = try await ann.csrf()
            #expect(try await ann.post("/mall/orders/\(order.id)/cancel", [("csrf", csrf)]).status == .seeOther)
            let sandbox = try central.payments.sandboxProvider()
            let (n, signature) = sandbox.notification(for: payment, result: .paid)
            let late = try await MallOrderShop.callback(ann.client, n, signature: signature)
            #expect(late.status == .ok && late.body.contains("refund_due"))
            let shown = try central.orders.find(order.id)
            #expect(shown.status == "cancelled" && shown.payments.isEmpty)
            #expect(try central.payments.list(state: "refund_due").map(\.id) == [payment.id])
            #expect(try await ann.get("/mall/orders/\(order.id)").body.contains("已到账，待退回"))
        }
    }

    @Test func everyPaymentFormNeedsTheSessionsCSRFToken() async throws {
        try await MallOrderShop.withAnn("mall-pay-csrf") { ann, central, _ in
            let order = try MallOrderShop.order(central, [.line("BUN-01", 1)])
            let noToken = try await ann.post("/mall/orders/\(order.id)/pay", [("method", "stored")])
            #expect(noToken.status == .forbidden)
            let wrong = try await ann.post(
                "/mall/orders/\(order.id)/pay", [("csrf", "x"), ("method", "sandbox-wechat")])
            #expect(wrong.status == .forbidden)
            #expect(try central.payments.payments(order: order.id).isEmpty)
            let payment = try await MallOrderShop.startSandbox(ann, central, order: order.id)
            let button = try await ann.post("/mall/pay/notify/sandbox", [("payment", payment.id), ("result", "paid")])
            #expect(button.status == .forbidden)
            #expect(try central.orders.find(order.id).status == "pending")
            #expect(try central.members.find("A").wallet_cents == 3500)
            let bogus = try await ann.post(
                "/mall/orders/\(order.id)/pay", [("csrf", try await ann.csrf()), ("method", "sandbox-cash")])
            #expect(bogus.status == .badRequest)
        }
    }

    @Test func anotherMembersPaymentPageIsNotFound() async throws {
        try await MallOrderShop.withAnn("mall-pay-other") { ann, central, _ in
            let theirs = try MallOrderShop.order(central, member: "B")
            let sandbox = try central.payments.sandboxProvider()
            let payment = try central.selfService(member: "B").startPayment(
                order: theirs.id, provider: sandbox, method: .wechat)
            #expect(try await ann.get("/mall/pay/sandbox/\(payment.id)").status == .notFound)
            #expect(try await ann.get("/mall/orders/\(theirs.id)/pay").status == .notFound)
            let press = try await ann.post(
                "/mall/pay/notify/sandbox",
                [("csrf", try await ann.csrf()), ("payment", payment.id), ("result", "paid")])
            #expect(press.status == .notFound)
            let pay = try await ann.post(
                "/mall/orders/\(theirs.id)/pay", [("csrf", try await ann.csrf()), ("method", "stored")])
            #expect(pay.status == .notFound)
            #expect(try central.orders.find(theirs.id).status == "pending")
            #expect(try central.members.find("A").wallet_cents == 3500)
        }
    }
}
