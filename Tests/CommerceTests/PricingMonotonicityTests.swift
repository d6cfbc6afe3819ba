import Commerce
import FenxiaoTesting
import Foundation
import Replication
import Testing

/// Issue 14, defect 6: thresholds are judged before member and coupon discounts, so pricing is
/// monotone — a member level, a coupon or an extra item never makes the customer pay more for
/// the same other items — and no applicable promotion disappears from the explanation.
@Suite struct PricingMonotonicityTests {
    typealias Rules = PricingEngineRulesTests
    typealias Item = PricingEngine.Item

    static let gold = PricingContext(now: Rules.now, memberID: "M1", memberLevel: "gold")
    static let guest = PricingContext(now: Rules.now)

    /// 满300减100, a 5 % level discount and a ¥20 coupon on a ¥310 cart.
    static let issueCart = [PricingFixture.item("TEA-01", 1, 31_000)]
    static let issuePromotions = [
        Rules.spendSave("manjian", 30_000, 10_000),
        PricingFixture.promo("level-gold", .memberPrice(levels: ["gold"], scope: .all, price: .percentOff(5))),
    ]
    static let issueCoupon = PricingFixture.coupon("C20", .amountOff(cents: 2000), min: 10_000)

    @Test func theIssueCartCostsAMemberLessThanAGuest() {
        let guest = Rules.quote(Self.issueCart, Self.issuePromotions, coupon: Self.issueCoupon, context: Self.guest)
        let member = Rules.quote(Self.issueCart, Self.issuePromotions, coupon: Self.issueCoupon, context: Self.gold)
        // Guest: ¥310 − ¥100 − ¥20.
        #expect(guest.total.cents == 19_000)
        // Member: ¥310 − 5 % (¥15.50) = ¥294.50; the threshold is judged on ¥310, so −¥100, then −¥20.
        #expect(member.total.cents == 17_450)
        #expect(member.discounts.map(\.source) == ["promotion:level-gold", "promotion:manjian", "coupon:C20"])
        #expect(member.skipped.isEmpty)
        Rules.expectBalanced(member)
        Rules.expectBalanced(guest)
    }

    @Test func aThresholdNotReachedIsExplainedWithTheBaseItWasJudgedOn() throws {
        let q = Rules.quote([PricingFixture.item("TEA-01", 1, 29_000)], Self.issuePromotions, context: Self.gold)
        let skipped = try #require(q.skipped.first)
        #expect(q.skipped.count == 1)
        #expect(skipped.source == "promotion:manjian")
        #expect(skipped.reason == "needs ¥300.00; this cart has ¥290.00 before member, spend-save and coupon discounts")
    }

    @Test func aLineRuleThatLosesIsListedWithItsReason() throws {
        let flash = PricingFixture.promo("flash", .flashSale(scope: .all, price: .percentOff(3)))
        let q = Rules.quote(Self.issueCart, Self.issuePromotions + [flash], context: Self.gold)
        #expect(q.discounts.map(\.source) == ["promotion:level-gold", "promotion:manjian"])
        #expect(q.skipped.map(\.source) == ["promotion:flash"])
        #expect(try #require(q.skipped.first).reason.contains("line 1"))
    }

    @Test func aCouponMinimumSpendIsJudgedBeforeMemberDiscounts() {
        let coupon = PricingFixture.coupon("C", .amountOff(cents: 1000), min: 31_000)
        let q = Rules.quote(Self.issueCart, Self.issuePromotions, coupon: coupon, context: Self.gold)
        #expect(q.couponApplied == "C")
        #expect(q.total.cents == 31_000 - 1550 - 10_000 - 1000)
    }

    @Test func anExclusivePromotionGivesWayToABetterCoupon() throws {
        // A member-only exclusive price saves ¥1; the coupon saves ¥50: the member gets the coupon.
        let exclusive = PricingFixture.promo(
            "vip", .memberPrice(levels: ["gold"], scope: .all, price: .unitPrice(cents: 9900)), exclusive: true)
        let coupon = PricingFixture.coupon("C50", .amountOff(cents: 5000))
        let items = [PricingFixture.item("TEA-01", 1, 10_000)]
        let member = Rules.quote(items, [exclusive], coupon: coupon, context: Self.gold)
        #expect(member.couponApplied == "C50")
        #expect(member.total.cents == 5000)
        #expect(member.skipped.map(\.source) == ["promotion:vip"])
        #expect(try #require(member.skipped.first).reason.contains("coupon C50 saves more"))
        // When the exclusive promotion saves more, it stays and the coupon is refused, as before.
        let small = PricingFixture.coupon("C0", .amountOff(cents: 50))
        let kept = Rules.quote(items, [exclusive], coupon: small, context: Self.gold)
        #expect(kept.couponApplied == nil && kept.couponRejection?.reason == .excludedByPromotion)
        #expect(kept.total.cents == 9900)
    }

    @Test func aCheapItemAddedToABuyOneGetOneCostsAtMostItsPrice() {
        let bogo = PricingFixture.promo("B", .buyOneGetOne(.all))
        let two = Rules.quote([PricingFixture.item("A", 1, 2000), PricingFixture.item("B", 1, 2000)], [bogo])
        let three = Rules.quote(
            [PricingFixture.item("A", 1, 2000), PricingFixture.item("B", 1, 2000), PricingFixture.item("C", 1, 500)],
            [bogo])
        #expect(two.total.cents == 2000)
        // Dearest first: {¥20, ¥20} is a group (one free), the ¥5 item is paid alone.
        #expect(three.total.cents == 2500)
    }

    @Test func aFreeItemCouponFreesTheDearestUnitsSoACheapOneAddedCostsAtMostItsPrice() {
        let coupon = PricingFixture.coupon("FREE", .freeItem(sku: "TEA-01", maxUnits: 1))
        let one = Rules.quote([PricingFixture.item("TEA-01", 1, 500)], coupon: coupon)
        let two = Rules.quote(
            [PricingFixture.item("TEA-01", 1, 500), PricingFixture.item("TEA-01", 1, 300)], coupon: coupon)
        #expect(one.total.cents == 0)
        #expect(two.lines.map(\.discount.cents) == [500, 0])
        #expect(two.total.cents == 300)
    }

    // MARK: - Properties

    /// `propertySeeds`, plus `FENXIAO_PRICING_SEEDS` more for a longer sweep.
    static let seeds: [UInt64] = {
        let extra = ProcessInfo.processInfo.environment["FENXIAO_PRICING_SEEDS"].flatMap { Int($0) } ?? 0
        var rng = SplitMix64(seed: 0x14_6)
        return propertySeeds + (0..<max(extra, 0)).map { _ in rng.next() }
    }()

    /// Random promotions of every kind, some for gold members or members only.
    static func randomPromotions(_ rng: inout SplitMix64) -> [Promotion] {
        Rules.randomPromotions(&rng).map { p in
            var p = p
            switch rng.int(0...9) {
            case 0: p.audience = Audience(memberLevels: ["gold"])
            case 1: p.audience = Audience(membersOnly: true)
            default: break
            }
            return p
        }
    }

    static func randomMember(_ rng: inout SplitMix64) -> PricingContext {
        PricingContext(
            now: Rules.now, memberID: "M1", memberLevel: "gold", shippingFee: Money(cents: rng.pick([0, 800])))
    }

    @Test func aMemberLevelNeverRaisesTheTotal() {
        for seed in Self.seeds { Self.checkMemberLevel(seed: seed) }
    }

    /// Found by a sweep of 100,200 seeds (`FENXIAO_PRICING_SEEDS=100000`, every other property
    /// held on all of them): multi-buy pools rank units by their own net, so a gold member
    /// price on cups makes them the cheapest units, the all-items buy-3-get-2 frees tea instead,
    /// and a 32 % coupon on drinks has less tea left to take off: ¥21.16 more than without the
    /// level. Ranking on everyone's prices instead avoids it but broke item monotonicity on
    /// more seeds (8 of 100,200). The rule that settles it: a member never pays more than with
    /// fewer benefits (`PricingEngine.quote` compares), and the quote names the level it set aside.
    @Test func aMemberPriceThatWouldMoveAFreeUnitIsSetAsideWhenItRaisesTheTotal() {
        let seed: UInt64 = 15_183_549_231_316_232_347
        Self.checkMemberLevel(seed: seed)
        var rng = SplitMix64(seed: seed)
        let items = Rules.randomCart(&rng)
        let promotions = Self.randomPromotions(&rng)
        let coupon = Rules.randomCoupon(&rng)
        let member = Self.randomMember(&rng)
        let quote = Rules.quote(items, promotions, coupon: coupon, context: member)
        #expect(quote.skipped.contains { $0.source.hasPrefix("level:") }, "the quote says the level was set aside")
    }

    static func checkMemberLevel(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let items = Rules.randomCart(&rng)
        let promotions = Self.randomPromotions(&rng)
        let coupon = Rules.randomCoupon(&rng)
        let member = Self.randomMember(&rng)
        var noLevel = member
        noLevel.memberLevel = nil
        var guest = noLevel
        guest.memberID = nil
        let totals = [guest, noLevel, member].map {
            Rules.quote(items, promotions, coupon: coupon, context: $0).total.cents
        }
        #expect(totals[1] <= totals[0], "seed \(seed): a member without a level pays more than a guest")
        #expect(totals[2] <= totals[1], "seed \(seed): a gold member pays more than a member without a level")
    }

    @Test func aCouponNeverRaisesTheTotal() {
        for seed in Self.seeds {
            var rng = SplitMix64(seed: seed)
            let items = Rules.randomCart(&rng)
            let promotions = Self.randomPromotions(&rng)
            let coupon =
                Rules.randomCoupon(&rng) ?? PricingFixture.coupon("C", .amountOff(cents: rng.int64(0...10_000)))
            let context = rng.chance(50) ? Self.randomMember(&rng) : Self.guest
            let without = Rules.quote(items, promotions, context: context)
            let with = Rules.quote(items, promotions, coupon: coupon, context: context)
            #expect(with.total.cents <= without.total.cents, "seed \(seed)")
            Rules.expectBalanced(with, "seed \(seed)")
        }
    }

    @Test func anItemAddedNeverCostsMoreThanItsListPrice() {
        for seed in Self.seeds { Self.checkItemAdded(seed: seed) }
    }

    /// Counterexamples a sweep of 20,200 seeds found while lines went to the multi-buy
    /// promotion saving most over the whole cart: two or more buy-N-get-M promotions competed
    /// for the same lines and an added item handed them to another promotion. Each line now
    /// takes its best deal for itself alone, and these hold like every other seed.
    static let competingMultiBuySeeds: [UInt64] = [
        1_094_314_858_572_678_535, 3_101_861_874_242_142_461, 8_322_668_054_070_810_031,
        8_675_361_411_713_358_716, 11_535_543_875_629_603_560, 18_007_521_459_594_710_156,
    ]

    @Test func competingMultiBuyPromotionsKeepItemMonotonicity() {
        for seed in Self.competingMultiBuySeeds { Self.checkItemAdded(seed: seed) }
    }

    /// `FENXIAO_PRICING_SEEDS`, at least 4,000: carts under two to four buy-N-get-M
    /// promotions with overlapping scopes (and sometimes a member-only one), the case where
    /// greedy assignment broke monotonicity.
    static let competingSeeds: [UInt64] = {
        let extra = ProcessInfo.processInfo.environment["FENXIAO_PRICING_SEEDS"].flatMap { Int($0) } ?? 0
        var rng = SplitMix64(seed: 0x14_6B)
        return (0..<max(extra, 4000)).map { _ in rng.next() }
    }()

    @Test func anItemAddedUnderCompetingMultiBuyPromotionsNeverCostsMoreThanItsListPrice() {
        var regrouped = 0
        for seed in Self.competingSeeds {
            var rng = SplitMix64(seed: seed)
            let items = Rules.randomCart(&rng)
            let extra = Rules.randomCart(&rng)[0]
            let promotions: [Promotion] =
                (0..<rng.int(2...4)).map { i in
                    var p = PricingFixture.promo(
                        "B\(i)",
                        .buyNGetM(
                            buy: rng.int64(1...3), get: rng.int64(1...2), scope: Rules.randomScope(&rng),
                            getPercentOff: rng.pick([100, 50, 33])))
                    if rng.chance(20) { p.audience = Audience(membersOnly: true) }
                    return p
                } + (rng.chance(30) ? Self.randomPromotions(&rng) : [])
            let context = rng.chance(50) ? Self.randomMember(&rng) : Self.guest
            let before = Rules.quote(items, promotions, context: context)
            var more = items
            more.insert(extra, at: rng.int(0...items.count))
            let after = Rules.quote(more, promotions, context: context)
            #expect(
                after.total.cents <= before.total.cents + extra.unitPrice.cents * extra.quantity,
                "seed \(seed): the other items got dearer")
            Rules.expectBalanced(after, "seed \(seed)")
            let sources = { (q: PricingEngine.Quote) in
                Set(q.discounts.map(\.source).filter { $0.hasPrefix("promotion:B") })
            }
            if sources(before) != sources(after) { regrouped += 1 }
        }
        // The sweep exercises what broke before: the added item changes which promotions apply.
        #expect(regrouped > Self.competingSeeds.count / 50, "only \(regrouped) carts changed promotions")
    }

    @Test func eachLineTakesThePromotionThatSavesMostOnItAlone() throws {
        // A: buy 2 get 1 free on all tea; B: buy one get one half price on TEA-01.
        let a = PricingFixture.promo("A", .buyNGetM(buy: 2, get: 1, scope: ItemScope(categories: ["Drinks/Tea"])))
        let b = PricingFixture.promo(
            "B", .buyNGetM(buy: 1, get: 1, scope: ItemScope(skus: ["TEA-01"]), getPercentOff: 50))
        let tins = PricingFixture.item("TEA-01", 2, 1000, category: "Drinks/Tea")
        // Two TEA-01 alone: A saves nothing (no group of 3), B saves ¥5: the line takes B.
        let two = Rules.quote([tins], [a, b])
        #expect(two.total.cents == 1500)
        #expect(two.discounts.map(\.source) == ["promotion:B"])
        #expect(try #require(two.skipped.first).reason.contains("went to promotion B, a better deal"))
        // A TEA-02 added keeps the TEA-01 line with B (decided for that line alone) and costs
        // exactly its price; alone in A's pool it fills no group, which the explanation says.
        let three = Rules.quote([tins, PricingFixture.item("TEA-02", 1, 800, category: "Drinks/Tea")], [a, b])
        #expect(three.total.cents == 2300)
        #expect(three.discounts.map(\.source) == ["promotion:B"])
        #expect(three.skipped.map(\.source) == ["promotion:A"])
        #expect(
            try #require(three.skipped.first).reason
                == "needs 3 units of category Drinks/Tea; this cart has 1 left after promotion B took its better deals")
        // Single units save nothing alone under either: each takes the better deal per unit,
        // A (⅓ of a group off against ¼), and A's group of three frees the cheapest.
        let singles = [
            PricingFixture.item("TEA-01", 1, 1000, category: "Drinks/Tea"),
            PricingFixture.item("TEA-01", 1, 1000, category: "Drinks/Tea"),
            PricingFixture.item("TEA-02", 1, 800, category: "Drinks/Tea"),
        ]
        let grouped = Rules.quote(singles, [a, b])
        #expect(grouped.total.cents == 2000)
        #expect(grouped.discounts.map(\.source) == ["promotion:A"])
    }

    /// A random cart, and the same cart with one more random line inserted at a random place.
    static func checkItemAdded(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let items = Rules.randomCart(&rng)
        let extra = Rules.randomCart(&rng)[0]
        let promotions = Self.randomPromotions(&rng)
        let coupon = Rules.randomCoupon(&rng)
        let context = rng.chance(50) ? Self.randomMember(&rng) : Self.guest
        let before = Rules.quote(items, promotions, coupon: coupon, context: context)
        let position = rng.int(0...items.count)
        var more = items
        more.insert(extra, at: position)
        let after = Rules.quote(more, promotions, coupon: coupon, context: context)
        // "Never raises what the customer pays for the other items": the added item costs at
        // most its list price on top of what the cart cost without it.
        #expect(
            after.total.cents <= before.total.cents + extra.unitPrice.cents * extra.quantity,
            "seed \(seed): the other items got dearer")
    }

    @Test func everyApplicablePromotionThatCoversTheCartIsExplained() {
        for seed in Self.seeds {
            var rng = SplitMix64(seed: seed)
            let items = Rules.randomCart(&rng)
            let promotions = Self.randomPromotions(&rng)
            let coupon = Rules.randomCoupon(&rng)
            let context = rng.chance(50) ? Self.randomMember(&rng) : Self.guest
            let q = Rules.quote(items, promotions, coupon: coupon, context: context)
            let explained = Set(q.discounts.map(\.source) + q.gifts.map(\.source) + q.skipped.map(\.source))
            #expect(q.skipped.count == Set(q.skipped.map(\.source)).count, "seed \(seed)")
            for p in promotions where p.applies(in: context) && Self.covers(p, items, context) {
                #expect(explained.contains("promotion:\(p.id)"), "seed \(seed): \(p.id) vanished")
            }
        }
    }

    /// Whether a promotion covers at least one line of the cart (for member prices: and the level).
    static func covers(_ p: Promotion, _ items: [Item], _ context: PricingContext) -> Bool {
        let scope: ItemScope
        switch p.rule {
        case .percentOff(_, let skus): return items.contains { skus.isEmpty || skus.contains($0.sku) }
        case .flashSale(let s, _): scope = s
        case .memberPrice(let levels, let s, _):
            guard let level = context.memberLevel, levels.isEmpty || levels.contains(level) else { return false }
            scope = s
        case .buyNGetM(_, _, let s, _): scope = s
        case .gift(_, _, _, _, let s): scope = s
        case .spendSave(let tiers): return !tiers.isEmpty
        }
        return items.contains { scope.contains(sku: $0.sku, category: $0.category) }
    }
}
