import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// `/console/orders`, an order's story, its ship / refund / cancel actions, `/console/refunds`
/// and the one-click conflict fixes, over HTTP on a real central: each POST changes the node
/// exactly as the CLI's use case does; forged forms, bad input and a role without the
/// permission change nothing.
@Suite struct ConsoleOrderTests {
    /// ConsoleShop plus: an online order of member A (2 teas and a mug) paid by card, waiting
    /// to ship; an online order of member B still pending; M9's counter order of 4 mugs.
    struct Shop: Sendable {
        let central: FenxiaoNode
        let toShip: String
        let pending: String
        let counter: String
    }

    func withOrders(_ body: @Sendable (ConsoleBrowser, Shop) async throws -> Void) async throws {
        let dir = TempDirectory("console-orders")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let boss = central.acting(as: "boss")
        for sku in ["TEA-01", "BUN-01"] { _ = try boss.inventory.move(sku: sku, quantity: 50, reason: .receive) }
        let counter = try #require(try boss.orders.list(matching: .init(member: "M9")).first)
        let online = try boss.orders.create(
            OrderRequest(lines: [.line("TEA-01", 2), .line("MUG-01", 1)], member: "A", channel: .online))
        _ = try boss.orders.transition(order: online.id, to: .paid, pay: .card)
        let pending = try boss.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], member: "B", channel: .online))
        let shop = Shop(central: boss, toShip: online.id, pending: pending.id, counter: counter.id)
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            try await body(browser, shop)
        }
    }

    /// Today at central, `YYYY-MM-DD` in its time zone.
    static func today(_ node: FenxiaoNode, plusDays: Int = 0) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: Int(try node.dayOffsetMillis() / 1000)) ?? .gmt
        let date = Date().addingTimeInterval(Double(plusDays) * 86_400)
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    @Test func theListSearchesByPhoneStoreSKUDateAndStatusAndExportsCSV() async throws {
        try await withOrders { browser, shop in
            let all = try await browser.get("/console/orders")
            #expect(all.status == .ok)
            #expect(all.body.contains("<h1>订单</h1>"))
            for id in [shop.toShip, shop.pending, shop.counter] { #expect(all.body.contains("order-\(id)")) }
            #expect(all.body.contains(#"data-status="paid""#) && all.body.contains("已付款"))
            // Member A by phone (13800000000), then by id.
            for member in ["13800000000", "A"] {
                let byMember = try await browser.get("/console/orders?member=\(member)")
                #expect(byMember.body.contains("order-\(shop.toShip)"), "\(member)")
                #expect(!byMember.body.contains("order-\(shop.counter)"), "\(member)")
            }
            let bySKU = try await browser.get("/console/orders?sku=BUN-01")
            #expect(bySKU.body.contains("order-\(shop.pending)") && !bySKU.body.contains("order-\(shop.toShip)"))
            let byStatus = try await browser.get("/console/orders?status=pending&store=central")
            #expect(byStatus.body.contains("order-\(shop.pending)") && !byStatus.body.contains("order-\(shop.counter)"))
            let today = try Self.today(shop.central)
            let inRange = try await browser.get("/console/orders?from=\(today)&to=\(today)")
            #expect(inRange.body.contains("order-\(shop.counter)"))
            let yesterday = try Self.today(shop.central, plusDays: -1)
            let before = try await browser.get("/console/orders?to=\(yesterday)")
            #expect(!before.body.contains("order-") && before.body.contains("暂无记录"))
            let csv = try await browser.get("/console/orders.csv?member=13800000000")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                csv.body.hasPrefix(
                    "\u{FEFF}id,created,store,member,channel,status,total,paid,refunded,carrier,tracking\r\n"))
            #expect(csv.body.contains("\(shop.toShip),\(today) "))
            #expect(csv.body.contains(",central,A,online,paid,70.00,70.00,0.00,,\r\n"))
            #expect(!csv.body.contains(shop.counter))
            // Bad search values are refused, naming the field.
            for (query, field) in [
                ("status=lost", "status"), ("from=2026-13-01", "from"), ("page=0", "page"),
                ("sku=" + String(repeating: "x", count: 65), "sku"),
            ] {
                let bad = try await browser.get("/console/orders?\(query)")
                #expect(bad.status == .badRequest, "\(query)")
                #expect(bad.body.contains(field), "\(query)")
            }
        }
    }

    @Test func shippingWithCarrierAndTrackingShowsInTheOrdersStory() async throws {
        try await withOrders { browser, shop in
            let story = try await browser.get("/console/orders/\(shop.toShip)")
            #expect(story.status == .ok)
            #expect(story.body.contains("商品明细") && story.body.contains("TEA-01") && story.body.contains("¥70.00"))
            #expect(
                story.body.contains("尚未发货") && story.body.contains(#"action="/console/orders/\#(shop.toShip)/ship""#))
            // Sold without an after-sale period: it never closes, and the page says so.
            #expect(story.body.contains(#"<dd id="closes">不限（下单时未设售后期）</dd>"#))
            let csrf = try #require(ConsoleBrowser.hidden("csrf", in: story.body))
            // Without a tracking number nothing ships.
            let missing = try await browser.post(
                "/console/orders/\(shop.toShip)/ship", [("csrf", csrf), ("carrier", "顺丰速运")])
            #expect(missing.status == .badRequest && missing.body.contains("tracking"))
            #expect(try shop.central.orders.find(shop.toShip).status == "paid")
            let shipped = try await browser.post(
                "/console/orders/\(shop.toShip)/ship",
                [("csrf", csrf), ("carrier", "顺丰速运"), ("tracking", "SF1234567890")])
            #expect(shipped.status == .seeOther)
            #expect(shipped.location == "/console/orders/\(shop.toShip)")
            let order = try shop.central.orders.find(shop.toShip)
            #expect(order.status == "shipped" && order.carrier == "顺丰速运" && order.tracking == "SF1234567890")
            // The reservation left the warehouse, as `fenxiao order ship` does.
            #expect(try shop.central.inventory.levels(sku: "TEA-01").first?.reserved == 0)
            let after = try await browser.get("/console/orders/\(shop.toShip)")
            #expect(after.body.contains(#"<dd class="carrier">顺丰速运</dd>"#))
            #expect(after.body.contains(#"<dd class="tracking">SF1234567890</dd>"#))
            #expect(after.body.contains("<td data-label=\"状态\">已发货</td>"))
            #expect(after.body.contains("顺丰速运 SF1234567890"))  // the status step with its parcel
            // The changes that made it: the order's creation, lines, payment, reservations and steps.
            let changes = try shop.central.orders.story(shop.toShip).changes
            #expect(changes.contains { $0.kind == "order" && $0.op == "upsert" })
            #expect(changes.contains { $0.kind == "payment" } && changes.contains { $0.kind == "stock_move" })
            #expect(changes.filter { $0.kind == "order" }.compactMap(\.status) == ["pending", "paid", "shipped"])
            for c in changes { #expect(after.body.contains("<th>\(c.id)</th>")) }
            #expect(!after.body.contains(#"/ship""#))  // shipped: no ship form any more
        }
    }

    @Test func aPartialParcelShipsOnlyItsUnits() async throws {
        try await withOrders { browser, shop in
            let csrf = try await browser.csrf("/console/orders/\(shop.toShip)")
            let answer = try await browser.post(
                "/console/orders/\(shop.toShip)/ship",
                [("csrf", csrf), ("carrier", "EMS"), ("tracking", "E1"), ("ship_1", "2"), ("ship_2", "")])
            #expect(answer.status == .seeOther)
            #expect(try shop.central.orders.find(shop.toShip).status == "paid")  // the mug is still to ship
            #expect(try shop.central.inventory.levels(sku: "MUG-01").first?.reserved == 1)
            let tooMany = try await browser.post(
                "/console/orders/\(shop.toShip)/ship",
                [("csrf", csrf), ("carrier", "EMS"), ("tracking", "E2"), ("ship_2", "5")])
            #expect(tooMany.status == .conflict)
        }
    }

    @Test func refundsCancelsAndRefundRequestsChangeTheOrderAsTheCLIDoes() async throws {
        try await withOrders { browser, shop in
            let csrf = try await browser.csrf("/console/orders/\(shop.counter)")
            let refunded = try await browser.post(
                "/console/orders/\(shop.counter)/refund", [("csrf", csrf), ("amount", "10.00"), ("reason", "杯子有裂纹")])
            #expect(refunded.status == .seeOther)
            let order = try shop.central.orders.find(shop.counter)
            #expect(order.refunded_cents == 1000 && order.refunds.first?.reason == "杯子有裂纹")
            #expect(try await browser.get("/console/orders/\(shop.counter)").body.contains("杯子有裂纹"))
            // Hostile text is shown, never run.
            let hostile = try await browser.post(
                "/console/orders/\(shop.counter)/refund",
                [("csrf", csrf), ("amount", "1.00"), ("reason", "<script>alert(1)</script>")])
            #expect(hostile.status == .seeOther)
            let page = try await browser.get("/console/orders/\(shop.counter)")
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.body.contains("<script>"))
            // One unit of line 1 at what was paid for it.
            let byLine = try await browser.post(
                "/console/orders/\(shop.counter)/refund", [("csrf", csrf), ("refund_1", "1")])
            #expect(byLine.status == .seeOther)
            #expect(try shop.central.orders.find(shop.counter).lines[0].refunded_qty == 1)
            // The pending order is cancelled.
            let cancelled = try await browser.post("/console/orders/\(shop.pending)/cancel", [("csrf", csrf)])
            #expect(cancelled.status == .seeOther)
            #expect(try shop.central.orders.find(shop.pending).status == "cancelled")
            #expect(
                try await browser.post("/console/orders/\(shop.counter)/cancel", [("csrf", csrf)]).status == .conflict)
            // A refund request: listed, counted on the dashboard with a link, approved with a note.
            let request = try shop.central.orders.requestRefund(
                order: shop.toShip, amount: Money(cents: 2500), reason: "不想要了", restock: false)
            let dashboard = try await browser.get("/console")
            #expect(dashboard.body.contains(#"<a href="/console/refunds">待审退款申请</a> <b>1</b>"#))
            let list = try await browser.get("/console/refunds")
            #expect(list.status == .ok && list.body.contains("request-\(request.id)") && list.body.contains("不想要了"))
            let approved = try await browser.post(
                "/console/refunds/\(request.id)/decide", [("csrf", csrf), ("decision", "approve"), ("note", "同意")])
            #expect(approved.status == .seeOther)
            let decided = try #require(try shop.central.orders.refundRequests().first { $0.id == request.id })
            #expect(decided.status == "approved" && decided.note == "同意" && decided.decided_by == "boss")
            #expect(try shop.central.orders.find(shop.toShip).refunded_cents == 2500)
            #expect(!(try await browser.get("/console/refunds")).body.contains("request-\(request.id)"))
            #expect(try await browser.get("/console/refunds?status=approved").body.contains("request-\(request.id)"))
            let audit = try shop.central.access.auditLog(user: "boss")
            #expect(audit.contains { $0.action == "refund.approve" && $0.subject == request.id })
            #expect(audit.filter { $0.action == "order.refund" }.count == 4)
        }
    }

    @Test func badRefundInputIsRefusedNamingTheFieldAndNothingChanges() async throws {
        try await withOrders { browser, shop in
            let csrf = try await browser.csrf("/console/orders/\(shop.counter)")
            let uri = "/console/orders/\(shop.counter)/refund"
            for (fields, status, field) in [
                ([("amount", "-5")], HTTPResponse.Status.badRequest, "amount"),
                ([("amount", "0")], .badRequest, "amount"),
                ([("amount", "99999999999999999999")], .badRequest, "amount"),
                ([("amount", "1.234")], .badRequest, "amount"),
                ([("refund_1", "-1")], .badRequest, "quantity"),
                ([("refund_1", "99999999999999999999")], .badRequest, "quantity"),
                ([("amount", "5"), ("reason", String(repeating: "长", count: 201))], .badRequest, "reason"),
                ([("amount", "999.00")], .conflict, "超过"),
            ] as [([(String, String)], HTTPResponse.Status, String)] {
                let answer = try await browser.post(uri, [("csrf", csrf)] + fields)
                #expect(answer.status == status, "\(fields)")
                #expect(answer.body.contains(field), "\(fields)")
            }
            let unknown = try await browser.post("/console/orders/O-nope/refund", [("csrf", csrf), ("amount", "1")])
            #expect(unknown.status == .notFound)
            #expect(try await browser.get("/console/orders/O-nope").status == .notFound)
            let forged = try await browser.post(uri, [("amount", "1")])
            #expect(forged.status == .forbidden)
            let forgedShip = try await browser.post(
                "/console/orders/\(shop.toShip)/ship", [("csrf", "0000"), ("carrier", "EMS"), ("tracking", "E1")])
            #expect(forgedShip.status == .forbidden)
            #expect(try shop.central.orders.find(shop.counter).refunded_cents == 0)
            #expect(try shop.central.orders.find(shop.toShip).status == "paid")
            let badDecision = try await browser.post(
                "/console/refunds/RQ-nope/decide", [("csrf", csrf), ("decision", "maybe")])
            #expect(badDecision.status == .badRequest && badDecision.body.contains("decision"))
            let unknownRequest = try await browser.post(
                "/console/refunds/RQ-nope/decide", [("csrf", csrf), ("decision", "approve")])
            #expect(unknownRequest.status == .notFound)
        }
    }

    @Test func aRoleWithoutThePermissionIsRefusedOnEveryRouteAndNothingChanges() async throws {
        try await withOrders { browser, shop in
            var fay = ConsoleBrowser(client: browser.client)
            #expect(try await fay.logIn("fay", "fay-pass-1").status == .seeOther)
            let csrf = try await fay.csrf()
            let dashboard = try await fay.get("/console")
            #expect(!dashboard.body.contains("/console/inventory") && !dashboard.body.contains("/console/orders"))
            for uri in [
                "/console/inventory", "/console/inventory.csv", "/console/inventory/history?sku=MUG-01",
                "/console/orders", "/console/orders.csv", "/console/orders/\(shop.toShip)", "/console/refunds",
            ] {
                #expect(try await fay.get(uri).status == .forbidden, "\(uri)")
            }
            for (uri, fields) in [
                ("/console/inventory/transfer", [("sku", "MUG-01"), ("qty", "1"), ("to", "central")]),
                ("/console/inventory/transfers/TR-x/receive", [("qty", "1")]),
                ("/console/inventory/threshold", [("sku", "MUG-01"), ("qty", "5")]),
                ("/console/orders/\(shop.toShip)/ship", [("carrier", "EMS"), ("tracking", "E1")]),
                ("/console/orders/\(shop.counter)/refund", [("amount", "1")]),
                ("/console/orders/\(shop.pending)/cancel", []),
                ("/console/refunds/RQ-x/decide", [("decision", "approve")]),
                ("/console/conflicts/fix", [("id", "x"), ("fix", "refund")]),
            ] as [(String, [(String, String)])] {
                let answer = try await fay.post(uri, [("csrf", csrf)] + fields)
                #expect(answer.status == .forbidden, "\(uri)")
            }
            #expect(try shop.central.orders.find(shop.toShip).status == "paid")
            #expect(try shop.central.orders.find(shop.counter).refunded_cents == 0)
            #expect(try shop.central.orders.find(shop.pending).status == "pending")
            #expect(try shop.central.inventory.alerts().isEmpty)
        }
    }
}
