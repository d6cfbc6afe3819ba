import Commerce
import FenxiaoTesting
import Node
import Testing

/// `reports.promotionEffect` (`fenxiao report promotions`, the console's marketing effect
/// table) against orders made here: orders each promotion and coupon discounted, what it took
/// off, and what those orders brought in after refunds.
@Suite struct PromotionEffectTests {
    @Test func eachPromotionAndCouponCountsItsOrdersDiscountAndNetSales() throws {
        try withCentral("promotion-effect") { central, _ in
            _ = try central.inventory.receive([("MUG-01", "central", 20), ("TEA-01", "central", 20)], note: "x")
            _ = try central.marketing.addSpendSavePromotion(
                id: "MJ", name: "满100减10", tiers: [Promotion.Tier(thresholdCents: 10000, saveCents: 1000)])
            _ = try central.marketing.addPercentPromotion(id: "IDLE", name: "unused", percent: 5, skus: ["BUN-01"])
            _ = try central.marketing.defineCoupon(
                code: "C5", amount: Money(cents: 500), minSpend: nil, singleUse: false)
            // 3 mugs: ¥135.00 less ¥10.00 (满减).
            let first = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], pay: .card))
            #expect(first.total_cents == 12500)
            // 3 mugs with the coupon: less ¥10.00 and ¥5.00; ¥20.00 refunded later.
            let second = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], coupon: "C5", pay: .card))
            #expect(second.total_cents == 12000)
            _ = try central.orders.refund(order: second.id, amount: Money(cents: 2000), reason: "dent", restock: false)
            // One tea, no discount: in no row.
            _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
            let rows = try central.reports.promotionEffect()
            let seen = rows.map { "\($0.kind) \($0.id) \($0.name) \($0.orders) \($0.discount_cents) \($0.net_cents)" }
            #expect(
                seen == [
                    "promotion IDLE unused 0 0 0", "promotion MJ 满100减10 2 2000 \(12500 + 10000)",
                    "coupon C5 C5 1 500 10000",
                ])
            // A window after the sales holds none of them.
            let later = try central.reports.promotionEffect(from: central.store.wallNow() + 60_000)
            #expect(later.allSatisfy { $0.orders == 0 && $0.discount_cents == 0 })
            do {
                _ = try central.reports.promotionEffect(from: 10, to: 5)
                Issue.record("a window ending before it starts was accepted")
            } catch let error as NodeError {
                #expect(error.code == .invalidInput)
            }
        }
    }
}
