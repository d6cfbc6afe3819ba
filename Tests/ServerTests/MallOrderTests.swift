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

/// My orders over HTTP on a real central: the list by status tab, an order's page (sums,
/// deadline, shipment, payments, refund requests), cancelling before payment (the coupon comes
/// back), confirming receipt, asking for a refund (head office's queue), someone else's order.
@Suite struct MallOrderTests {
    @Test func theListHasTabsByStatusAndTheOrderPageItsSumsAndDeadline() async throws {
        try await MallOrderShop.withAnn("mall-orders-list") { ann, central, clock in
            let pending = try MallOrderShop.order(central, [.line("TEA-01", 2), .line("BUN-01", 1)])
            let paid = try MallOrderShop.order(central)
            _ = try central.orders.transition(order: paid.id, to: .paid, pay: .card)
            let theirs = try MallOrderShop.order(central, member: "B")
            let all = try await ann.get("/mall/orders")
            #expect(all.status == .ok)
            #expect(all.body.contains(pending.id) && all.body.contains(paid.id) && !all.body.contains(theirs.id))
            for tab in ["tab-all", "tab-pending", "tab-paid", "tab-shipped", "tab-completed", "tab-refund"] {
                #expect(all.body.contains(#"id="\#(tab)""#), "\(tab)")
            }
            let toPay = try await ann.get("/mall/orders?status=pending")
            #expect(toPay.body.contains(pending.id) && !toPay.body.contains(paid.id))
            let toShip = try await ann.get("/mall/orders?status=paid")
            #expect(toShip.body.contains(paid.id) && !toShip.body.contains(pending.id))
            #expect(try await ann.get("/mall/orders?status=nonsense").status == .badRequest)

            let page = try await ann.get("/mall/orders/\(pending.id)")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<strong id="order-status" data-status="pending">待付款</strong>"#))
            #expect(page.body.contains("Green tea × 2") && page.body.contains(#"id="order-total">¥28.50"#))
            #expect(page.body.contains(#"id="order-shipping">¥0.00"#) && page.body.contains(#"id="cancel-order""#))
            // The deadline: created + 30 minutes, rendered by the server, ticked by a script file.
            let deadline = try #require(pending.created_at) + Orders.unpaidLifeMinutes * 60_000
            #expect(page.body.contains(#"id="expires-in" data-deadline="\#(deadline)""#))
            #expect(page.body.contains(#"<script src="/mall/assets/mall_order_countdown.js" defer></script>"#))
            #expect(!page.body.contains("<script>"))
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'self'"))
            let script = try await ann.get("/mall/assets/mall_order_countdown.js")
            #expect(script.status == .ok && script.body.contains("expires-in"))
            clock.advance(minutes: 31)
            #expect(try await ann.get("/mall/orders/\(pending.id)").body.contains("订单已超时"))
            let english = try await ann.get("/mall/orders/\(paid.id)?lang=en")
            #expect(english.body.contains("Paid, to ship") && !english.body.contains(#"id="cancel-order""#))
        }
    }

    @Test func cancellingAnUnpaidOrderGivesTheCouponAndTheStockBack() async throws {
        try await MallOrderShop.withAnn("mall-orders-cancel") { ann, central, _ in
            let order = try MallOrderShop.order(central, coupon: "SAVE5")
            #expect(order.total_cents == 4000 && order.coupon == "SAVE5")
            // Single use: while the order holds it, nobody else gets it.
            #expect(throws: NodeError.self) { try MallOrderShop.order(central, member: "B", coupon: "SAVE5") }
            let reserved = try #require(try central.inventory.levels(sku: "MUG-01").first)
            #expect(reserved.available == 49)
            let answer = try await ann.post("/mall/orders/\(order.id)/cancel", [("csrf", try await ann.csrf())])
            #expect(answer.status == .seeOther && answer.location == "/mall/orders/\(order.id)")
            #expect(try central.orders.find(order.id).status == "cancelled")
            #expect(try central.inventory.levels(sku: "MUG-01").first?.available == 50)
            let again = try MallOrderShop.order(central, member: "B", coupon: "SAVE5")
            #expect(again.total_cents == 4000 && again.coupon == "SAVE5")
            let twice = try await ann.post("/mall/orders/\(order.id)/cancel", [("csrf", try await ann.csrf())])
            #expect(twice.status == .conflict)
            let paid = try MallOrderShop.order(central)
            _ = try central.orders.transition(order: paid.id, to: .paid, pay: .card)
            let late = try await ann.post("/mall/orders/\(paid.id)/cancel", [("csrf", try await ann.csrf())])
            #expect(late.status == .conflict && late.body.contains("只有待付款的订单可以取消"))
            #expect(try central.orders.find(paid.id).status == "paid")
        }
    }

    @Test func aShippedOrderShowsItsParcelAndTheMemberConfirmsReceipt() async throws {
        try await MallOrderShop.withAnn("mall-orders-receive") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
            let early = try await ann.post("/mall/orders/\(order.id)/receive", [("csrf", try await ann.csrf())])
            #expect(early.status == .conflict)
            _ = try central.orders.transition(order: order.id, to: .shipped, carrier: "顺丰速运", tracking: "SF1234567890")
            let page = try await ann.get("/mall/orders/\(order.id)")
            #expect(page.body.contains(#"id="order-carrier">顺丰速运"#))
            #expect(page.body.contains(#"id="order-tracking">SF1234567890"#))
            #expect(page.body.contains(#"id="confirm-receipt""#) && page.body.contains("待收货"))
            let noToken = try await ann.post("/mall/orders/\(order.id)/receive", [])
            #expect(noToken.status == .forbidden)
            #expect(try central.orders.find(order.id).status == "shipped")
            let done = try await ann.post("/mall/orders/\(order.id)/receive", [("csrf", try await ann.csrf())])
            #expect(done.status == .seeOther)
            #expect(try central.orders.find(order.id).status == "completed")
            #expect(try await ann.get("/mall/orders?status=completed").body.contains(order.id))
        }
    }

    @Test func aRefundRequestWaitsInHeadOfficesQueue() async throws {
        try await MallOrderShop.withAnn("mall-orders-refund") { ann, central, _ in
            let order = try MallOrderShop.order(central)
            let pendingRefund = try await ann.post(
                "/mall/orders/\(order.id)/refund", [("csrf", try await ann.csrf()), ("reason", "不要了")])
            #expect(pendingRefund.status == .conflict)
            _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
            let page = try await ann.get("/mall/orders/\(order.id)")
            #expect(page.body.contains(#"id="refund-reason""#) && page.body.contains(#"id="request-refund""#))
            let empty = try await ann.post(
                "/mall/orders/\(order.id)/refund", [("csrf", try await ann.csrf()), ("reason", "  ")])
            #expect(empty.status == .badRequest && empty.body.contains("请填写退款原因"))
            let noToken = try await ann.post("/mall/orders/\(order.id)/refund", [("reason", "尺寸不对")])
            #expect(noToken.status == .forbidden)
            #expect(try central.orders.refundRequests().isEmpty)
            let asked = try await ann.post(
                "/mall/orders/\(order.id)/refund", [("csrf", try await ann.csrf()), ("reason", "尺寸不对")])
            #expect(asked.status == .seeOther)
            let queue = try central.orders.refundRequests(status: .requested)
            #expect(queue.count == 1 && queue.first?.order == order.id && queue.first?.reason == "尺寸不对")
            let shown = try await ann.get("/mall/orders/\(order.id)")
            #expect(shown.body.contains("等待总部审核") && !shown.body.contains(#"id="request-refund""#))
            #expect(try await ann.get("/mall/orders?status=refund").body.contains(order.id))
            let again = try await ann.post(
                "/mall/orders/\(order.id)/refund", [("csrf", try await ann.csrf()), ("reason", "再问一次")])
            #expect(again.status == .conflict)
            #expect(try central.orders.refundRequests().count == 1)
            // Head office approves in its queue: the member sees the decision.
            _ = try central.orders.decideRefund(request: try #require(queue.first?.id), approve: true, note: nil)
            let decided = try await ann.get("/mall/orders/\(order.id)")
            #expect(decided.body.contains("已同意，已退款") && decided.body.contains(#"id="order-refunded">¥45.00"#))
        }
    }

    @Test func theAfterSalePeriodShowsAndThenClosesTheRefundRequest() async throws {
        try await MallOrderShop.withAnn("mall-orders-after-sale") { ann, central, clock in
            _ = try central.orders.setAfterSaleDays(7)
            let order = try MallOrderShop.order(central)
            _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
            let open = try await ann.get("/mall/orders/\(order.id)")
            #expect(open.body.contains(#"id="after-sale">售后期至 20"#), "\(open.body)")
            #expect(open.body.contains(#"id="request-refund""#))
            clock.advance(minutes: 8 * 24 * 60)
            try await ann.login(central, phone: MallShop.annPhone)  // her session ended meanwhile
            let over = try await ann.get("/mall/orders/\(order.id)")
            #expect(over.body.contains("售后期已过，不能再申请退款") && !over.body.contains(#"id="request-refund""#))
            let asked = try await ann.post(
                "/mall/orders/\(order.id)/refund", [("csrf", try await ann.csrf()), ("reason", "太晚了")])
            #expect(asked.status == .conflict && asked.body.contains("售后期（7 天）已过"), "\(asked.body)")
            #expect(try central.orders.refundRequests().isEmpty, "nothing written")
        }
    }

    @Test func anotherMembersOrderIsNotFoundAndUntouched() async throws {
        try await MallOrderShop.withAnn("mall-orders-other") { ann, central, _ in
            let theirs = try MallOrderShop.order(central, member: "B")
            #expect(try await ann.get("/mall/orders/\(theirs.id)").status == .notFound)
            #expect(try await ann.get("/mall/orders/O-nope").status == .notFound)
            let csrf = try await ann.csrf()
            for action in ["cancel", "receive", "refund"] {
                let answer = try await ann.post(
                    "/mall/orders/\(theirs.id)/\(action)", [("csrf", csrf), ("reason", "x")])
                #expect(answer.status == .notFound, "\(action)")
            }
            #expect(try central.orders.find(theirs.id).status == "pending")
            #expect(try central.orders.refundRequests().isEmpty)
        }
    }

    @Test func signedOutVisitsGoToTheLoginAndComeBack() async throws {
        let dir = TempDirectory("mall-orders-login")
        defer { dir.remove() }
        let central = try MallOrderShop.make(dir, clock: ManualClock())
        try await mallApp(central).test(.router) { client in
            let phone = MallBrowser(client: client)
            let answer = try await phone.get("/mall/orders?status=pending")
            #expect(answer.status == .seeOther && answer.location?.hasPrefix("/mall/login?next=") == true)
        }
    }
}
