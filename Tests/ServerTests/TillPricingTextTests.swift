import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The till's quote explains discounts, skipped promotions and a rejected coupon in the till's
/// language: Chinese by default, English with the switch (`?lang=en`).
@Suite struct TillPricingTextTests {
    /// A logged-in till on a store that holds central's 满100减10 on tea and a coupon for ¥300.
    func withPricedTill(_ body: @Sendable (TillFaceTests.Till) async throws -> Void) async throws {
        let dir = TempDirectory("till-pricing-text")
        defer { dir.remove() }
        let (shop, store, tokens) = try TillShop.make(in: dir)
        let central = shop.acting(as: "boss")
        _ = try central.marketing.publish(
            Promotion(
                id: "FEST", name: "Tea fest",
                rule: .spendSave(tiers: [Promotion.Tier(thresholdCents: 10000, saveCents: 1000)])))
        _ = try central.marketing.publish(
            Promotion(
                id: "BIG", name: "Big spender",
                rule: .spendSave(tiers: [Promotion.Tier(thresholdCents: 30000, saveCents: 3000)])))
        _ = try central.marketing.define(Coupon(code: "BIG30", kind: .amountOff(cents: 3000), minSpendCents: 30000))
        // Central's new definitions reach the store as a pull would bring them.
        let changes = try central.read { r in
            try r.changesForPull(node: store.identity.node, after: 0, limit: 100_000).changes
        }
        _ = try store.store.applyPull(changes, cursor: 0)
        let app = Application(router: TillFace(node: store, health: SyncHealth()).router())
        try await app.test(.router) { client in
            let tillCookie = "fenxiao_till=\(tokens[0])"
            let session = try await client.execute(
                uri: "/till/api/login", method: .post,
                headers: [.contentType: "application/json", .cookie: tillCookie],
                body: ByteBuffer(string: #"{"user":"amy","pin":"2468"}"#)
            ) { r in r.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? "" }
            try await body(TillFaceTests.Till(client: client, cookies: "\(tillCookie); \(session)"))
        }
    }

    static let cart = #"{"lines":[{"sku":"TEA-01","qty":8}]}"#
    static let cartWithCoupon = #"{"lines":[{"sku":"TEA-01","qty":8}],"coupon":"BIG30"}"#

    @Test func aQuoteExplainsItselfInChineseByDefaultAndInEnglishWithTheSwitch() async throws {
        try await withPricedTill { till in
            // 8 × ¥12.50 = ¥100.00: 满100减10 applies, 满300减30 is ¥200.00 away.
            let (status, zh) = try await till.post("/till/api/quote", Self.cart)
            #expect(status == .ok)
            let discounts = try #require(zh["discounts"] as? [[String: Any]])
            #expect(discounts.map { $0["description"] as? String } == ["Tea fest：满100减10"])
            #expect(discounts.first?["amountCents"] as? Int == 1000)
            let skipped = try #require(zh["skipped"] as? [[String: Any]])
            #expect(
                skipped.map { $0["reason"] as? String } == ["还差 ¥200.00 可享 满300减30（本单按会员、满减、优惠券优惠前计 ¥100.00）"])
            let (_, en) = try await till.post("/till/api/quote?lang=en", Self.cart)
            let english = try #require(en["discounts"] as? [[String: Any]])
            #expect(english.map { $0["description"] as? String } == ["Tea fest: spend ¥100.00 save ¥10.00"])
            #expect(
                (en["skipped"] as? [[String: Any]])?.map { $0["reason"] as? String } == [
                    "needs ¥300.00; this cart has ¥100.00 before member, spend-save and coupon discounts"
                ])
        }
    }

    @Test func aRejectedCouponIsExplainedInTheTillsLanguage() async throws {
        try await withPricedTill { till in
            let (status, zh) = try await till.post("/till/api/quote", Self.cartWithCoupon)
            #expect(status == .conflict)
            #expect(zh["field"] as? String == "coupon")
            #expect(
                zh["error"] as? String
                    == "优惠券 BIG30 还差 ¥200.00 可用：需满 ¥300.00，本单按会员、满减、优惠券优惠前计 ¥100.00")
            let (_, en) = try await till.post("/till/api/quote?lang=en", Self.cartWithCoupon)
            #expect(
                en["error"] as? String
                    == "coupon BIG30 needs a spend of at least ¥300.00 before member, spend-save and coupon discounts "
                    + "(this cart: ¥100.00)")
        }
    }
}
