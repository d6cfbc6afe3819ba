import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Replication
import Server
import Storage
import Testing

/// A shop for the mall's shopping tests: `MallShop.make` (Ann, 120 points) with stock at
/// central's online warehouse (50 × TEA-01, 3 × BUN-01, no MUG-01), a flash sale on TEA-01 at
/// ¥9.90 (list ¥12.50), 满50减5, a ¥8 shipping fee, a ¥5 holders-only coupon C5 Ann holds, and
/// distributor C (referral code RC-C).
enum MallShopping {
    static func make(_ dir: TempDirectory, clock: ManualClock) throws -> FenxiaoNode {
        let central = try MallShop.make(dir, clock: clock)
        _ = try central.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
        _ = try central.inventory.move(sku: "BUN-01", quantity: 3, reason: .receive)
        _ = try central.catalog.setImages(
            product: "TEA-01", images: ["/mall/img/tea.png", "https://cdn.example.com/tea.png"])
        _ = try central.marketing.publish(
            Promotion(
                id: "FLASH", name: "限时抢购", rule: .flashSale(scope: .skus("TEA-01"), price: .unitPrice(cents: 990))))
        _ = try central.marketing.addSpendSavePromotion(
            id: "MJ", name: "满50减5", tiers: [Promotion.Tier(thresholdCents: 5000, saveCents: 500)])
        _ = try central.orders.setShippingFee(Money(cents: 800))
        _ = try central.marketing.define(Coupon(code: "C5", amountCents: 500), holdersOnly: true)
        _ = try central.marketing.issueCoupon(code: "C5", members: ["A"], group: nil)
        _ = try central.members.upsert(id: "C", name: "Chen", phone: "13800000003")
        _ = try central.distribution.apply(member: "C", channels: "WeChat", experience: nil, inviterCode: nil)
        _ = try central.distribution.review(id: "C", approve: true, reason: nil, group: nil)
        return central
    }

    /// Runs `body` with Ann signed in at the shop's mall.
    static func withAnn(
        _ body: @Sendable (MallBrowser, FenxiaoNode, ManualClock) async throws -> Void
    ) async throws {
        let dir = TempDirectory("mallshop")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try make(dir, clock: clock)
        try await mallApp(central).test(.router) { client in
            let browser = MallBrowser(client: client)
            try await browser.login(central, phone: MallShop.annPhone)
            try await body(browser, central, clock)
        }
    }

    /// The text of the element with `id` (up to its first `<`).
    static func text(_ id: String, in html: String) -> String? {
        guard let r = html.range(of: #"id="\#(id)""#) else { return nil }
        let rest = html[r.upperBound...]
        guard let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: close)...].prefix { $0 != "<" })
    }

    /// Adds `qty` × `sku` to the cart through the product page's form.
    static func add(_ browser: MallBrowser, _ sku: String, _ qty: Int64, product: String) async throws
        -> MallBrowser.Answer
    {
        try await browser.post(
            "/mall/cart/add",
            [
                ("csrf", try await browser.csrf()), ("product", product), ("sku", sku), ("qty", String(qty)),
                ("buy", "cart"),
            ])
    }

    /// The checkout form's fields as the page serves them, with `extra` replacing or adding some.
    static func checkoutFields(_ page: String, _ extra: [(String, String)]) throws -> [(String, String)] {
        var fields: [(String, String)] = [
            ("csrf", try #require(MallBrowser.hidden("csrf", in: page))),
            ("checkout_token", try #require(MallBrowser.hidden("checkout_token", in: page))),
        ]
        fields += extra
        return fields
    }
}

/// Checkout over HTTP: the order is created reserved with the coupon, the points and the
/// ship-to address, the cart empties, a repeated submit makes one order, another member's
/// address is refused, and the referral cookie reaches the order.
@Suite struct MallCheckoutTests {
    @Test func annChecksOutWithCouponAndPointsAndTheOrderIsReservedWithItsShipTo() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            #expect(try await MallShopping.add(browser, "TEA-01", 2, product: "TEA-01").location == "/mall/cart")
            let first = try await browser.get("/mall/checkout")
            #expect(first.status == .ok)
            // No address yet: the inline fields; ¥25.00 − ¥5.20 flash sale + ¥8 shipping.
            #expect(first.body.contains(#"id="ship-name""#) && !first.body.contains(#"id="address""#))
            #expect(MallShopping.text("checkout-total", in: first.body) == "27.80")
            #expect(MallShopping.text("shipping-fee", in: first.body) == "8.00")
            #expect(first.body.contains(#"<option value="C5""#))
            // Recalculate with the coupon and 100 points: ¥27.80 − ¥5 − ¥1.
            let ship = [("ship_name", "Ann Li"), ("ship_phone", "13800000001"), ("ship_address", "上海市静安区南京西路 1 号")]
            let priced = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(
                    first.body, ship + [("coupon", "C5"), ("points", "100"), ("action", "update")]))
            #expect(priced.status == .ok)
            #expect(MallShopping.text("checkout-total", in: priced.body) == "21.80")
            #expect(priced.body.contains("优惠券 C5"))
            let placed = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(
                    first.body, ship + [("coupon", "C5"), ("points", "100"), ("action", "place")]))
            #expect(placed.status == .seeOther)
            let location = try #require(placed.location)
            #expect(location.hasPrefix("/mall/orders/") && location.hasSuffix("/pay"))
            let id = String(location.dropFirst("/mall/orders/".count).dropLast("/pay".count))
            let order = try central.orders.find(id)
            #expect(order.status == "pending" && order.channel == "online" && order.member == "A")
            #expect(order.total_cents == 2280 && order.coupon == "C5")
            #expect(order.paid_cents == 100)
            #expect(try central.members.find("A").points == 20)
            #expect(try central.inventory.levels(sku: "TEA-01").first { $0.warehouse == "central" }?.reserved == 2)
            let shipTo = try #require(try central.members.shipTo(order: id))
            #expect(shipTo.name == "Ann Li" && shipTo.address == "上海市静安区南京西路 1 号" && shipTo.member == "A")
            // The cart is empty; the typed address is now in the book.
            #expect(try await browser.get("/mall/cart").body.contains(#"id="cart-empty""#))
            #expect(try await browser.get("/mall/addresses").body.contains("南京西路"))
            // The same form again (a double click): the same order, nothing more.
            let again = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(
                    first.body, ship + [("coupon", "C5"), ("points", "100"), ("action", "place")]))
            #expect(again.location == location)
            #expect(try central.orders.list(limit: 100).filter { $0.member == "A" }.count == 1)
            #expect(try central.members.find("A").points == 20)
            // Cancelled unpaid, the points come back once.
            _ = try central.orders.transition(order: id, to: .cancelled)
            #expect(try central.members.find("A").points == 120)
        }
    }

    @Test func anotherMembersAddressIsRefusedAndNothingIsOrdered() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            _ = try central.members.upsert(id: "B", name: "Bo", phone: "13800000002")
            let theirs = try central.selfService(member: "B").addAddress(
                AddressInput(name: "Bo", phone: "13800000002", address: "北京市朝阳区 2 号"))
            _ = try await MallShopping.add(browser, "TEA-01", 1, product: "TEA-01")
            let page = try await browser.get("/mall/checkout")
            let answer = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(page.body, [("address", theirs.id), ("action", "place")]))
            #expect(answer.status == .notFound)
            #expect(answer.body.contains("找不到该收货地址"))
            #expect(try central.orders.list(limit: 100).isEmpty)
            #expect(try central.selfService(member: "A").cart().map(\.quantity) == [1])
            // A bad points figure is refused too (400), nothing ordered.
            let bad = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(
                    page.body,
                    [
                        ("ship_name", "Ann"), ("ship_phone", "13800000001"), ("ship_address", "上海市 1 号路"),
                        ("points", "-5"), ("action", "place"),
                    ]))
            #expect(bad.status == .badRequest)
            let over = try await browser.post(
                "/mall/checkout",
                try MallShopping.checkoutFields(
                    page.body,
                    [
                        ("ship_name", "Ann"), ("ship_phone", "13800000001"), ("ship_address", "上海市 1 号路"),
                        ("points", "5000"), ("action", "place"),
                    ]))
            #expect(over.status == .conflict)
            #expect(try central.orders.list(limit: 100).isEmpty)
            #expect(try central.members.find("A").points == 120)
        }
    }

    /// Ann arrives with the referral cookie `code`, buys a bun and places the order.
    static func placeByReferral(_ browser: MallBrowser, code: String) async throws -> MallBrowser.Answer {
        browser.cookies.keep([.setCookie: "fenxiao_mall_ref=\(code); Path=/mall"])
        _ = try await MallShopping.add(browser, "BUN-01", 1, product: "BUN-01")
        let page = try await browser.get("/mall/checkout")
        return try await browser.post(
            "/mall/checkout",
            try MallShopping.checkoutFields(
                page.body,
                [
                    ("ship_name", "Ann"), ("ship_phone", "13800000001"), ("ship_address", "上海市 1 号路"),
                    ("action", "place"),
                ]))
    }

    @Test func theReferralCookieReachesTheOrdersVia() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            let placed = try await Self.placeByReferral(browser, code: "RC-C")
            #expect(placed.status == .seeOther)
            let binding = try #require(try central.read { r in try r.register(BindingRegister.self, "A") })
            #expect(binding.distributor == "C" && binding.via == .firstPurchase)
            #expect(binding.order.map { placed.location?.contains($0) == true } == true)
        }
    }

    @Test func aBadReferralCookieIsIgnored() async throws {
        try await MallShopping.withAnn { browser, central, _ in
            let placed = try await Self.placeByReferral(browser, code: "RC-NOBODY")
            #expect(placed.status == .seeOther)
            #expect(try central.read { r in try r.register(BindingRegister.self, "A") } == nil)
            #expect(try central.orders.list(limit: 10).count == 1)
        }
    }

    @Test func headOfficeSeesTheShipToOnTheConsolesOrderPage() async throws {
        let dir = TempDirectory("mall-console")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        _ = try central.acting(as: "boss").inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
        let ann = try central.selfService(member: "A")
        _ = try ann.addToCart(sku: "TEA-01", quantity: 1)
        let checkout = CheckoutRequest(
            shipTo: .typed(AddressInput(name: "Ann Li", phone: "13800000000", address: "上海市静安区 1 号")),
            token: "tok-12345678")
        let id = try ann.placeOrder(checkout)
        #expect(try ann.placeOrder(checkout) == id)
        #expect(try ann.shipTo(order: id)?.address == "上海市静安区 1 号")
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            let page = try await browser.get("/console/orders/\(id)")
            #expect(page.body.contains(#"id="ship-to""#) && page.body.contains("Ann Li 13800000000 上海市静安区 1 号"))
        }
    }
}
