import Commerce
import FenxiaoTesting
import Replication
import Testing

@Suite struct PricingEngineTests {
    typealias Item = PricingEngine.Item

    static let now: Int64 = 1_700_000_000_000

    static func percentOff(
        _ id: String, _ percent: Int64, skus: [String] = [], starts: Int64? = nil, ends: Int64? = nil
    )
        -> Promotion
    {
        PricingFixture.promo(
            id, .percentOff(percent: percent, skus: skus), name: "\(percent)% off", starts: starts, ends: ends)
    }

    static func spendSave(_ id: String, _ tiers: [(Int64, Int64)]) -> Promotion {
        PricingFixture.promo(
            id, .spendSave(tiers: tiers.map { Promotion.Tier(thresholdCents: $0.0, saveCents: $0.1) }), name: "满减 \(id)"
        )
    }

    static func quote(_ items: [Item], _ promotions: [Promotion] = [], coupon: Coupon? = nil) -> PricingEngine.Quote {
        PricingEngine.quote(items: items, promotions: promotions, coupon: coupon, at: now)
    }

    // MARK: - No discounts

    @Test func withoutPromotionsTheTotalIsTheSubtotal() {
        let q = Self.quote([PricingFixture.item("TEA-01", 2, 1999), PricingFixture.item("CUP-01", 1, 500)])
        #expect(q.subtotal == Money(cents: 4498))
        #expect(q.total == Money(cents: 4498))
        #expect(q.discountTotal == .zero)
        #expect(q.discounts.isEmpty)
        #expect(q.couponApplied == nil)
        #expect(q.lines.map(\.line) == [1, 2])
        #expect(q.lines.map(\.gross.cents) == [3998, 500])
        #expect(q.lines.allSatisfy { $0.discount == .zero })
    }

    @Test func anEmptyCartCostsNothing() {
        let q = Self.quote([], [Self.spendSave("S", [(0, 100)])], coupon: Coupon(code: "C", amountCents: 100))
        #expect(q.total == .zero)
        #expect(q.lines.isEmpty)
    }

    // MARK: - Line promotions

    @Test(arguments: [
        (Int64(1999), Int64(15), Int64(300)),  // 299.85 → 300
        (30, 5, 2),  // 1.5 → 2 (half-up, not to even)
        (10, 25, 3),  // 2.5 → 3
        (1001, 5, 50),  // 50.05 → 50
        (1, 50, 1),  // 0.5 → 1
        (1, 49, 0),  // 0.49 → 0
        (100, 0, 0),
        (100, 100, 100),
        (100, 150, 100),  // clamped to 100%
        (100, -10, 0),  // clamped to 0%
    ])
    func percentOffRoundsHalfUpToTheFen(grossCents: Int64, percent: Int64, offCents: Int64) {
        let q = Self.quote([PricingFixture.item("TEA-01", 1, grossCents)], [Self.percentOff("P", percent)])
        #expect(q.lines[0].discount.cents == offCents)
        #expect(q.total.cents == grossCents - offCents)
        #expect(q.discounts.map(\.amountCents) == (offCents > 0 ? [offCents] : []))
    }

    @Test func percentOffAppliesToTheWholeLineGross() {
        let q = Self.quote([PricingFixture.item("TEA-01", 3, 333)], [Self.percentOff("P", 10)])
        #expect(q.lines[0].discount.cents == 100)  // 10% of 999 = 99.9 → 100
    }

    @Test func theBestSinglePromotionPerLineApplies() {
        let items = [PricingFixture.item("TEA-01", 1, 10_000), PricingFixture.item("CUP-01", 1, 10_000)]
        let promos = [Self.percentOff("P-all", 10), Self.percentOff("P-tea", 20, skus: ["TEA-01"])]
        let q = Self.quote(items, promos)
        #expect(q.lines.map(\.discount.cents) == [2000, 1000])
        #expect(q.discounts.map(\.source) == ["promotion:P-tea", "promotion:P-all"])
        #expect(q.total.cents == 17_000)
    }

    @Test func promotionsForOtherSKUsDoNotApply() {
        let q = Self.quote([PricingFixture.item("TEA-01", 1, 1000)], [Self.percentOff("P", 50, skus: ["CUP-01"])])
        #expect(q.total.cents == 1000)
        #expect(q.discounts.isEmpty)
    }

    @Test func equalPromotionsPickTheLowerIDWhateverTheirOrder() {
        let items = [PricingFixture.item("TEA-01", 1, 1000)]
        let b = Self.percentOff("P-b", 10)
        let a = Self.percentOff("P-a", 10)
        #expect(Self.quote(items, [b, a]).discounts.map(\.source) == ["promotion:P-a"])
        #expect(Self.quote(items, [a, b]) == Self.quote(items, [b, a]))
    }

    @Test(arguments: [
        (Int64?(nil), Int64?(nil), true),
        (now, nil, true),  // starts now: active
        (now + 1, nil, false),  // not started
        (nil, now, false),  // ends now: end is exclusive
        (nil, now + 1, true),
        (now - 10, now - 1, false),
    ])
    func onlyActivePromotionsApply(starts: Int64?, ends: Int64?, active: Bool) {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 1000)], [Self.percentOff("P", 10, starts: starts, ends: ends)])
        #expect(q.total.cents == (active ? 900 : 1000))
    }

    // MARK: - Spend-save

    @Test(arguments: [(Int64(10_000), Int64(9000)), (9999, 9999), (10_001, 9001)])
    func spendSaveAppliesFromExactlyTheThreshold(subtotal: Int64, total: Int64) {
        let q = Self.quote([PricingFixture.item("TEA-01", 1, subtotal)], [Self.spendSave("S", [(10_000, 1000)])])
        #expect(q.total.cents == total)
        #expect(q.subtotal.cents == subtotal)
    }

    @Test func theBestTierReachedAppliesOnce() {
        let promos = [
            Self.spendSave("S1", [(5000, 300), (10_000, 1000), (20_000, 2500)]), Self.spendSave("S2", [(12_000, 800)]),
        ]
        let q = Self.quote([PricingFixture.item("TEA-01", 1, 15_000)], promos)
        #expect(q.total.cents == 14_000)
        #expect(q.discounts.map(\.source) == ["promotion:S1"])
        #expect(q.discounts.map(\.amountCents) == [1000])
    }

    @Test func spendSaveUsesTheSubtotalAfterLinePromotions() {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 10_000)],
            [Self.percentOff("P", 10), Self.spendSave("S", [(10_000, 1000)])])
        #expect(q.total.cents == 9000)
        #expect(q.discounts.map(\.source) == ["promotion:P"])
    }

    @Test func spendSaveNeverExceedsTheTotal() {
        let q = Self.quote([PricingFixture.item("TEA-01", 1, 500)], [Self.spendSave("S", [(0, 800)])])
        #expect(q.total.cents == 0)
        #expect(q.discounts.map(\.amountCents) == [500])
    }

    // MARK: - Coupons

    @Test(arguments: [(Int64(5000), true), (4999, false), (5001, true)])
    func couponNeedsItsMinimumSpend(subtotal: Int64, applies: Bool) {
        let coupon = Coupon(code: "SAVE10", amountCents: 1000, minSpendCents: 5000)
        let q = Self.quote([PricingFixture.item("TEA-01", 1, subtotal)], coupon: coupon)
        #expect(q.couponApplied == (applies ? "SAVE10" : nil))
        #expect(q.total.cents == subtotal - (applies ? 1000 : 0))
        #expect(q.discounts.map(\.source) == (applies ? ["coupon:SAVE10"] : []))
    }

    /// Like every threshold, a coupon's minimum spend is judged before spend-save (issue 14):
    /// judged after it, adding an item that reaches a 满减 tier could cost the coupon.
    @Test func couponMinimumSpendIsCheckedBeforeSpendSave() {
        let coupon = Coupon(code: "C", amountCents: 500, minSpendCents: 9500)
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 10_000)], [Self.spendSave("S", [(10_000, 1000)])], coupon: coupon)
        #expect(q.couponApplied == "C")
        #expect(q.total.cents == 8500)
    }

    @Test func couponIsCappedAtTheTotal() {
        let items = [PricingFixture.item("TEA-01", 1, 1000), PricingFixture.item("CUP-01", 2, 1000)]
        let q = Self.quote(items, coupon: Coupon(code: "BIG", amountCents: 5000))
        #expect(q.total == .zero)
        #expect(q.couponApplied == "BIG")
        #expect(q.discounts.map(\.amountCents) == [3000])
        #expect(q.lines.map(\.net) == [.zero, .zero])
    }

    @Test func aZeroCouponIsNotApplied() {
        let q = Self.quote([PricingFixture.item("TEA-01", 1, 1000)], coupon: Coupon(code: "ZERO", amountCents: 0))
        #expect(q.couponApplied == nil)
        #expect(q.discounts.isEmpty)
    }

    @Test func allThreeStagesStackInOrder() {
        let items = [PricingFixture.item("TEA-01", 2, 5000), PricingFixture.item("CUP-01", 1, 2000)]
        let promos = [Self.percentOff("P", 10, skus: ["TEA-01"]), Self.spendSave("S", [(10_000, 1000)])]
        let q = Self.quote(items, promos, coupon: Coupon(code: "C", amountCents: 500, minSpendCents: 10_000))
        // 10000 − 1000 (10%) + 2000 = 11000 → −1000 (满减) = 10000 → −500 (coupon) = 9500.
        #expect(q.subtotal.cents == 12_000)
        #expect(q.total.cents == 9500)
        #expect(q.discounts.map(\.source) == ["promotion:P", "promotion:S", "coupon:C"])
        #expect(q.discountTotal.cents == 2500)
        #expect(q.lines.reduce(0) { $0 + $1.discount.cents } == 2500)
    }

    // MARK: - Allocation of order-level discounts

    @Test func orderDiscountIsSharedInProportionToLineNet() {
        let items = [PricingFixture.item("TEA-01", 1, 2000), PricingFixture.item("CUP-01", 1, 1000)]
        let q = Self.quote(items, [Self.spendSave("S", [(0, 300)])])
        #expect(q.lines.map(\.discount.cents) == [200, 100])
    }

    @Test func equalRemaindersGoToTheLowerLineNumber() {
        let items = [
            PricingFixture.item("A", 1, 1000), PricingFixture.item("B", 1, 1000), PricingFixture.item("C", 1, 1000),
        ]
        let q = Self.quote(items, [Self.spendSave("S", [(0, 100)])])
        #expect(q.lines.map(\.discount.cents) == [34, 33, 33])
    }

    @Test func theLargestRemainderGetsTheLeftoverFen() {
        // Exact shares of 7 over nets 5, 3, 2: 3.5, 2.1, 1.4 → 4, 2, 1.
        let items = [PricingFixture.item("A", 1, 5), PricingFixture.item("B", 1, 3), PricingFixture.item("C", 1, 2)]
        let q = Self.quote(items, [Self.spendSave("S", [(10, 7)])])
        #expect(q.lines.map(\.discount.cents) == [4, 2, 1])
    }

    @Test func allocationUsesTheNetAfterLinePromotions() {
        // Nets after 50% off the first line: 500 and 1000; 300 off splits 100 / 200.
        let items = [PricingFixture.item("A", 1, 1000), PricingFixture.item("B", 1, 1000)]
        let q = Self.quote(items, [Self.percentOff("P", 50, skus: ["A"]), Self.spendSave("S", [(0, 300)])])
        #expect(q.lines.map(\.discount.cents) == [600, 200])
    }

    // MARK: - Properties

    static func randomCart(_ rng: inout SplitMix64) -> [Item] {
        (0..<rng.int(1...6)).map { _ in
            PricingFixture.item(
                rng.pick(["TEA-01", "TEA-02", "CUP-01", "PAN-01"]), rng.int64(1...5), rng.int64(1...20_000))
        }
    }

    static func randomPromotions(_ rng: inout SplitMix64) -> [Promotion] {
        var promos: [Promotion] = []
        for i in 0..<rng.int(0...3) {
            promos.append(
                Self.percentOff(
                    "P\(i)", rng.int64(1...60), skus: rng.chance(50) ? [] : [rng.pick(["TEA-01", "CUP-01"])]))
        }
        for i in 0..<rng.int(0...2) {
            promos.append(
                Self.spendSave("S\(i)", (0..<rng.int(1...3)).map { _ in (rng.int64(0...60_000), rng.int64(1...8000)) }))
        }
        return promos
    }

    /// Each order-level discount alone: shares sum exactly to it, never exceed a line's net,
    /// and stay within one fen of the exact proportional share.
    static func expectProportional(lineLevel: PricingEngine.Quote, full: PricingEngine.Quote, seed: UInt64) {
        let base = lineLevel.lines.map(\.net.cents)
        let total = base.reduce(0, +)
        let shares = zip(full.lines, lineLevel.lines).map { $0.discount.cents - $1.discount.cents }
        let amount = lineLevel.total.cents - full.total.cents
        #expect(shares.reduce(0, +) == amount, "seed \(seed)")
        for (share, net) in zip(shares, base) {
            #expect(share >= 0 && share <= net, "seed \(seed)")
            #expect(total == 0 || abs(share * total - net * amount) < total, "seed \(seed)")
        }
    }

    @Test func quotesBalanceAndAreDeterministic() {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            let items = Self.randomCart(&rng)
            let promos = Self.randomPromotions(&rng)
            let coupon =
                rng.chance(50)
                ? Coupon(code: "C", amountCents: rng.int64(0...10_000), minSpendCents: rng.int64(0...50_000)) : nil
            let q = Self.quote(items, promos, coupon: coupon)
            #expect(q.subtotal.cents == items.reduce(0) { $0 + $1.unitPrice.cents * $1.quantity }, "seed \(seed)")
            #expect(q.lines.reduce(0) { $0 + $1.discount.cents } == q.discountTotal.cents, "seed \(seed)")
            #expect(q.discounts.reduce(0) { $0 + $1.amountCents } == q.discountTotal.cents, "seed \(seed)")
            #expect(q.lines.reduce(0) { $0 + $1.net.cents } == q.total.cents, "seed \(seed)")
            #expect(q.lines.allSatisfy { $0.net.cents >= 0 && $0.discount.cents >= 0 }, "seed \(seed)")
            #expect(q.lines.map(\.line) == Array(1...items.count), "seed \(seed)")
            for _ in 0..<4 {
                #expect(Self.quote(items, promos.shuffled(using: &rng), coupon: coupon) == q, "seed \(seed)")
            }
        }
    }

    @Test func orderLevelDiscountsAreAllocatedProportionally() {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            let items = Self.randomCart(&rng)
            let linePromos = (0..<rng.int(0...2)).map { Self.percentOff("P\($0)", rng.int64(1...60)) }
            let lineLevel = Self.quote(items, linePromos)
            let save = Self.spendSave("S", [(0, rng.int64(1...(lineLevel.total.cents + 500)))])
            Self.expectProportional(lineLevel: lineLevel, full: Self.quote(items, linePromos + [save]), seed: seed)
            let coupon = Coupon(code: "C", amountCents: rng.int64(1...(lineLevel.total.cents + 500)))
            Self.expectProportional(
                lineLevel: lineLevel, full: Self.quote(items, linePromos, coupon: coupon), seed: seed)
        }
    }
}
