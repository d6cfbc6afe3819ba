import Commerce
import FenxiaoTesting
import Replication
import Testing

/// The extended pricing rules: coupon kinds and conditions, flash sales, member prices,
/// multi-buy, gifts, shipping, stacking and exclusion, allocation and refunds.
@Suite struct PricingEngineRulesTests {
    typealias Item = PricingEngine.Item
    typealias Quote = PricingEngine.Quote

    static let now: Int64 = 1_700_000_000_000

    static func spendSave(_ id: String, _ threshold: Int64, _ save: Int64, exclusive: Bool = false) -> Promotion {
        PricingFixture.promo(
            id, .spendSave(tiers: [Promotion.Tier(thresholdCents: threshold, saveCents: save)]), exclusive: exclusive)
    }

    static func quote(
        _ items: [Item], _ promotions: [Promotion] = [], coupon: Coupon? = nil,
        context: PricingContext = PricingContext(now: now)
    ) -> Quote {
        PricingEngine.quote(items: items, promotions: promotions, coupon: coupon, context: context)
    }

    /// One priced scenario and what it must come to.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var items: [Item]
        var promotions: [Promotion] = []
        var coupon: Coupon? = nil
        var context = PricingContext(now: PricingEngineRulesTests.now)
        var total: Int64
        var sources: [String]
        var gifts: [String] = []
        var testDescription: String { name }

        func check() {
            let q = PricingEngineRulesTests.quote(items, promotions, coupon: coupon, context: context)
            #expect(q.total.cents == total)
            #expect(q.discounts.map(\.source) == sources)
            #expect(q.gifts.map(\.line.sku) == gifts)
            #expect(q.couponApplied == (sources.contains { $0.hasPrefix("coupon:") } ? coupon?.code : nil))
            PricingEngineRulesTests.expectBalanced(q)
        }
    }

    /// The bookkeeping every quote keeps: discounts, lines and totals agree to the fen.
    static func expectBalanced(_ q: Quote, _ comment: Comment? = nil) {
        #expect(q.discounts.reduce(0) { $0 + $1.amountCents } == q.discountTotal.cents, comment)
        #expect(q.lines.reduce(0) { $0 + $1.net.cents } + q.shipping.cents == q.total.cents, comment)
        #expect(q.total.cents >= 0 && q.shipping.cents >= 0, comment)
        #expect(q.discounts.allSatisfy { $0.amountCents > 0 && !$0.description.isEmpty }, comment)
        for d in q.discounts where !d.allocation.isEmpty {
            #expect(d.allocation.reduce(0) { $0 + $1.amountCents } == d.amountCents, comment)
        }
        for line in q.lines {
            let carried = q.discounts.flatMap(\.allocation).filter { $0.line == line.line }
            #expect(carried.reduce(0) { $0 + $1.amountCents } == line.discount.cents, comment)
            #expect(line.net.cents >= 0 && line.discount.cents >= 0, comment)
        }
    }

    // MARK: - Stacking

    static let stacking: [Scenario] = [
        Scenario(
            name: "line rule, multi-buy, spend-save and coupon stack in that order",
            items: [PricingFixture.item("TEA-01", 2, 1000), PricingFixture.item("CUP-01", 1, 3000)],
            promotions: [
                PricingFixture.promo("F", .flashSale(scope: .skus("TEA-01"), price: .percentOff(10))),
                PricingFixture.promo("B", .buyOneGetOne(.skus("TEA-01"))), spendSave("S", 3900, 300),
            ],
            coupon: Coupon(code: "C", amountCents: 500, minSpendCents: 3600),
            // TEA 2000 − 200 = 1800, one of two free − 900; 900 + 3000 = 3900 − 300 − 500.
            total: 3100, sources: ["promotion:F", "promotion:B", "promotion:S", "coupon:C"]),
        Scenario(
            name: "line rules do not stack: the best one wins",
            items: [PricingFixture.item("TEA-01", 1, 1000)],
            promotions: [
                PricingFixture.promo("P", .percentOff(percent: 10, skus: [])),
                PricingFixture.promo("F", .flashSale(scope: .skus("TEA-01"), price: .unitPrice(cents: 850))),
            ],
            total: 850, sources: ["promotion:F"]),
        Scenario(
            name: "multi-buy prices what the line rule left",
            items: [PricingFixture.item("TEA-01", 2, 1000)],
            promotions: [
                PricingFixture.promo("F", .flashSale(scope: .skus("TEA-01"), price: .percentOff(50))),
                PricingFixture.promo("B", .buyOneGetOne(.skus("TEA-01"))),
            ],
            total: 500, sources: ["promotion:F", "promotion:B"]),
        // Thresholds are judged before multi-buy (issue 14): the base is ¥100 either way.
        Scenario(
            name: "spend-save is measured before multi-buy",
            items: [PricingFixture.item("TEA-01", 2, 5000)],
            promotions: [PricingFixture.promo("B", .buyOneGetOne(.all)), spendSave("S", 10_000, 1000)],
            total: 4000, sources: ["promotion:B", "promotion:S"]),
        Scenario(
            name: "gifts are measured before multi-buy",
            items: [PricingFixture.item("TEA-01", 2, 5000)],
            promotions: [
                PricingFixture.promo("B", .buyOneGetOne(.all)),
                PricingFixture.promo("G", .gift(sku: "GIFT-01", name: "Tote", thresholdCents: 10_000)),
            ],
            total: 5000, sources: ["promotion:B"], gifts: ["GIFT-01"]),
        Scenario(
            name: "free shipping stacks with spend-save",
            items: [PricingFixture.item("TEA-01", 1, 10_000)], promotions: [spendSave("S", 10_000, 1000)],
            coupon: PricingFixture.coupon("SHIP", .freeShipping),
            context: PricingContext(now: now, shippingFee: Money(cents: 800)),
            total: 9000, sources: ["promotion:S", "coupon:SHIP"]),
        Scenario(
            name: "shipping is charged when no coupon waives it",
            items: [PricingFixture.item("TEA-01", 1, 10_000)], promotions: [spendSave("S", 10_000, 1000)],
            context: PricingContext(now: now, shippingFee: Money(cents: 800)), total: 9800, sources: ["promotion:S"]),
        Scenario(
            name: "an amount coupon never discounts shipping",
            items: [PricingFixture.item("TEA-01", 1, 500)], coupon: Coupon(code: "BIG", amountCents: 1000),
            context: PricingContext(now: now, shippingFee: Money(cents: 800)), total: 800, sources: ["coupon:BIG"]),
        Scenario(
            name: "a promotion for another store does not apply",
            items: [PricingFixture.item("TEA-01", 1, 1000)],
            promotions: [
                PricingFixture.promo(
                    "F", .flashSale(scope: .all, price: .percentOff(10)), audience: Audience(stores: ["s2"]))
            ],
            context: PricingContext(now: now, store: "s1"), total: 1000, sources: []),
        Scenario(
            name: "a flash sale ends at its end instant",
            items: [PricingFixture.item("TEA-01", 1, 1000)],
            promotions: [
                PricingFixture.promo("F", .flashSale(scope: .all, price: .percentOff(10)), starts: now - 100, ends: now)
            ],
            total: 1000, sources: []),
        Scenario(
            name: "the larger multi-buy takes its lines first, the other prices what is left",
            items: [PricingFixture.item("A", 2, 1500), PricingFixture.item("B", 2, 500)],
            promotions: [
                PricingFixture.promo("M1", .buyOneGetOne(.skus("A", "B"))),
                PricingFixture.promo("M2", .buyOneGetOne(.skus("A"))),
            ],
            // M1 pairs dearest first: {A, A} frees 1500, {B, B} 500 — 2000 > M2's one A (1500).
            total: 2000, sources: ["promotion:M1"]),
        Scenario(
            name: "equal multi-buy savings go to the lower id",
            items: [PricingFixture.item("A", 2, 1000)],
            promotions: [
                PricingFixture.promo("M2", .buyOneGetOne(.all)), PricingFixture.promo("M1", .buyOneGetOne(.skus("A"))),
            ],
            total: 1000, sources: ["promotion:M1"]),
    ]

    @Test func everyDiscountIsExplainedInASentence() {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 2, 1000), PricingFixture.item("CUP-01", 1, 3000)],
            [
                PricingFixture.promo("F", .flashSale(scope: .skus("TEA-01"), price: .percentOff(10))),
                PricingFixture.promo(
                    "M", .memberPrice(levels: ["gold"], scope: .all, price: .unitPrices(["CUP-01": 2500]))),
                PricingFixture.promo("B", .buyOneGetOne(.skus("TEA-01"))), Self.spendSave("S", 3000, 200),
            ],
            coupon: PricingFixture.coupon("C", .percentOff(percent: 50, capCents: 1000), scope: .skus("CUP-01")),
            context: PricingContext(now: Self.now, memberLevel: "gold"))
        #expect(
            q.discounts.map(\.description) == [
                "promo F: 10% off on line 1 (TEA-01 × 2)", "promo M: ¥25.00 each on line 2 (CUP-01 × 1)",
                "promo B: buy 1 get 1 free on TEA-01 — the cheapest unit free", "promo S: spend ¥30.00 save ¥2.00",
                "coupon C: 50% off ¥23.53 on CUP-01 (capped at ¥10.00)",
            ])
        // 900 + 2500 = 3400 − 200 (shared 53 / 147) = 3200; the coupon takes 10.00 off the cup's 2353.
        #expect(q.lines.map(\.discount.cents) == [1153, 1647])
        #expect(q.total.cents == 2200)
    }

    @Test(arguments: stacking)
    func stagesStackInOrder(_ scenario: Scenario) {
        scenario.check()
    }

    // MARK: - Exclusion

    @Test(arguments: [
        (Promotion.Rule.spendSave(tiers: [.init(thresholdCents: 10_000, saveCents: 1000)]), Int64(10_000), false),
        (.spendSave(tiers: [.init(thresholdCents: 10_000, saveCents: 1000)]), 9999, true),
        (.flashSale(scope: .skus("TEA-01"), price: .percentOff(10)), 10_000, false),
        (.flashSale(scope: .skus("CUP-01"), price: .percentOff(10)), 10_000, true),
        // An exclusive gift takes no money off: the ¥1 coupon saves more, so the gift is set aside
        // (listed in `skipped`) — the customer never pays more for presenting a coupon.
        (.gift(sku: "GIFT-01", name: "Tote", thresholdCents: 10_000), 10_000, true),
        (.gift(sku: "GIFT-01", name: "Tote", thresholdCents: 10_000), 9999, true),
        (.buyOneGetOne(.skus("TEA-01")), 10_000, true),  // one unit: nothing free, nothing applied
    ])
    func anExclusivePromotionRefusesTheCouponOnlyWhenItApplies(rule: Promotion.Rule, price: Int64, couponApplies: Bool)
    {
        let coupon = Coupon(code: "C", amountCents: 100)
        let exclusive = Self.quote(
            [PricingFixture.item("TEA-01", 1, price)], [PricingFixture.promo("X", rule, exclusive: true)],
            coupon: coupon)
        #expect((exclusive.couponApplied == "C") == couponApplies)
        #expect(exclusive.couponRejection?.reason == (couponApplies ? nil : .excludedByPromotion))
        #expect(couponApplies || exclusive.couponRejection?.message.contains("promotion X") == true)
        let shared = Self.quote(
            [PricingFixture.item("TEA-01", 1, price)], [PricingFixture.promo("X", rule)], coupon: coupon)
        #expect(shared.couponApplied == "C")
    }

    // MARK: - Thresholds: exactly at the boundary and one fen below

    static let thresholds: [Scenario] = [
        Scenario(
            name: "category coupon at its minimum",
            items: [
                PricingFixture.item("TEA-01", 1, 3000, category: "Drinks/Tea"),
                PricingFixture.item("CUP-01", 1, 5000, category: "Kitchen"),
            ],
            coupon: PricingFixture.coupon("C", .amountOff(cents: 500), min: 3000, scope: .categories("Drinks")),
            total: 7500,
            sources: ["coupon:C"]),
        Scenario(
            name: "category coupon one fen below (the other line does not count)",
            items: [
                PricingFixture.item("TEA-01", 1, 2999, category: "Drinks/Tea"),
                PricingFixture.item("CUP-01", 1, 5000, category: "Kitchen"),
            ],
            coupon: PricingFixture.coupon("C", .amountOff(cents: 500), min: 3000, scope: .categories("Drinks")),
            total: 7999,
            sources: []),
        Scenario(
            name: "gift at its threshold", items: [PricingFixture.item("TEA-01", 1, 10_000)],
            promotions: [PricingFixture.promo("G", .gift(sku: "GIFT-01", name: "Tote", thresholdCents: 10_000))],
            total: 10_000,
            sources: [], gifts: ["GIFT-01"]),
        Scenario(
            name: "gift one fen below", items: [PricingFixture.item("TEA-01", 1, 9999)],
            promotions: [PricingFixture.promo("G", .gift(sku: "GIFT-01", name: "Tote", thresholdCents: 10_000))],
            total: 9999,
            sources: []),
        Scenario(
            name: "buy 2 get 1 with exactly 3 units", items: [PricingFixture.item("TEA-01", 3, 100)],
            promotions: [PricingFixture.promo("B", .buyNGetM(buy: 2, get: 1, scope: .all))], total: 200,
            sources: ["promotion:B"]),
        Scenario(
            name: "buy 2 get 1 with 2 units", items: [PricingFixture.item("TEA-01", 2, 100)],
            promotions: [PricingFixture.promo("B", .buyNGetM(buy: 2, get: 1, scope: .all))], total: 200, sources: []),
        Scenario(
            name: "percentage coupon exactly at its cap", items: [PricingFixture.item("TEA-01", 1, 10_000)],
            coupon: PricingFixture.coupon("P", .percentOff(percent: 20, capCents: 2000)), total: 8000,
            sources: ["coupon:P"]),
        Scenario(
            name: "percentage coupon cap one fen below", items: [PricingFixture.item("TEA-01", 1, 10_000)],
            coupon: PricingFixture.coupon("P", .percentOff(percent: 20, capCents: 1999)), total: 8001,
            sources: ["coupon:P"]),
        Scenario(
            name: "spend-save reached after a rounded flash sale", items: [PricingFixture.item("TEA-01", 1, 11_112)],
            promotions: [
                PricingFixture.promo("F", .flashSale(scope: .all, price: .percentOff(10))),
                spendSave("S", 10_000, 1000),
            ],
            total: 9001, sources: ["promotion:F", "promotion:S"]),  // 11112 − 1111 = 10001
        Scenario(
            name: "spend-save missed by a fen after a rounded flash sale",
            items: [PricingFixture.item("TEA-01", 1, 11_110)],
            promotions: [
                PricingFixture.promo("F", .flashSale(scope: .all, price: .percentOff(10))),
                spendSave("S", 10_000, 1000),
            ],
            total: 9999, sources: ["promotion:F"]),  // 11110 − 1111 = 9999
        Scenario(
            name: "coupon minimum judged before spend-save", items: [PricingFixture.item("TEA-01", 1, 10_000)],
            promotions: [spendSave("S", 10_000, 1000)],
            coupon: Coupon(code: "C", amountCents: 500, minSpendCents: 10_000),
            total: 8500, sources: ["promotion:S", "coupon:C"]),
        Scenario(
            name: "coupon minimum missed by a fen before spend-save", items: [PricingFixture.item("TEA-01", 1, 10_000)],
            promotions: [spendSave("S", 10_000, 1000)],
            coupon: Coupon(code: "C", amountCents: 500, minSpendCents: 10_001),
            total: 9000, sources: ["promotion:S"]),
    ]

    @Test(arguments: thresholds)
    func thresholdsApplyFromExactlyTheBoundary(_ scenario: Scenario) {
        scenario.check()
    }

    @Test func aMissedMinimumSpendIsExplained() throws {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 2999, category: "Drinks/Tea")],
            coupon: PricingFixture.coupon("C", .amountOff(cents: 500), min: 3000, scope: .categories("Drinks")))
        let rejection = try #require(q.couponRejection)
        #expect(rejection.reason == .belowMinimumSpend)
        let expected =
            "coupon C needs a spend of at least ¥30.00 on category Drinks before member, spend-save and coupon discounts"
        #expect(rejection.message == expected + " (this cart: ¥29.99)")
    }

    // MARK: - Rounding: half-up to the fen at each step

    @Test(arguments: [
        (Int64(1999), Int64(15), Int64(300)),  // 299.85 → 300
        (30, 5, 2),  // 1.5 → 2
        (10, 25, 3),  // 2.5 → 3
        (1001, 5, 50),  // 50.05 → 50
        (1, 50, 1),  // 0.5 → 1
        (10_000, 150, 10_000),  // clamped to 100%
    ])
    func percentageCouponsRoundHalfUp(base: Int64, percent: Int64, off: Int64) {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, base)],
            coupon: PricingFixture.coupon("P", .percentOff(percent: percent, capCents: nil)))
        #expect(q.discounts.map(\.amountCents) == [off])
        #expect(q.total.cents == base - off)
    }

    @Test func aMultiBuyShareOfARoundedNetRoundsHalfUp() {
        // 3 × 333 = 999, 10% → 99.9 → 100, net 899; one of three free → 899 / 3 = 299.67 → 300.
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 3, 333)],
            [
                PricingFixture.promo("F", .flashSale(scope: .all, price: .percentOff(10))),
                PricingFixture.promo("B", .buyNGetM(buy: 2, get: 1, scope: .all)),
            ])
        #expect(q.discounts.map(\.amountCents) == [100, 300])
        #expect(q.total.cents == 599)
    }

    @Test func aPercentageCouponWithoutAnythingToTakeIsNotApplied() {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 1)],
            coupon: PricingFixture.coupon("P", .percentOff(percent: 49, capCents: nil)))
        #expect(q.couponApplied == nil)
        #expect(q.couponRejection?.reason == .nothingToDiscount)
        #expect(q.total.cents == 1)
    }

    // MARK: - Multi-buy with mixed prices

    @Test(arguments: [
        // Buy one get one on A, B (and C): units paired dearest first, the cheaper of each pair free.
        (
            [PricingFixture.item("A", 1, 1000), PricingFixture.item("B", 1, 600)],
            Promotion.Rule.buyOneGetOne(.skus("A", "B")), [Int64(0), 600]
        ),
        (
            // {1000, 800}: 800 free; 600 has no pair (the pool rule freed it, so adding C to A, B cost ¥8).
            [PricingFixture.item("A", 1, 1000), PricingFixture.item("B", 1, 600), PricingFixture.item("C", 1, 800)],
            .buyOneGetOne(.skus("A", "B", "C")),
            [0, 0, 800]
        ),
        (
            [PricingFixture.item("A", 2, 1000), PricingFixture.item("B", 2, 600)], .buyOneGetOne(.skus("A", "B")),
            [1000, 600]
        ),
        // Equally cheap units: the lower line number's go first.
        (
            [PricingFixture.item("A", 3, 500), PricingFixture.item("B", 1, 500)], .buyOneGetOne(.skus("A", "B")),
            [1000, 0]
        ),
        (
            [PricingFixture.item("B", 1, 500), PricingFixture.item("A", 3, 500)], .buyOneGetOne(.skus("A", "B")),
            [500, 500]
        ),
        // Buy two get one: one group of three in five units.
        (
            [PricingFixture.item("A", 2, 1000), PricingFixture.item("B", 3, 600)],
            .buyNGetM(buy: 2, get: 1, scope: .skus("A", "B")), [0, 600]
        ),
        // Second unit half price: 50% of 601 = 300.5 → 301.
        (
            [PricingFixture.item("A", 1, 1000), PricingFixture.item("B", 1, 601)],
            .buyNGetM(buy: 1, get: 1, scope: .all, getPercentOff: 50),
            [0, 301]
        ),
        // Lines outside the scope are not pooled.
        (
            [PricingFixture.item("A", 1, 1000), PricingFixture.item("X", 1, 100), PricingFixture.item("B", 1, 600)],
            .buyOneGetOne(.skus("A", "B")), [0, 0, 600]
        ),
        (
            [
                PricingFixture.item("A", 1, 1000, category: "Drinks/Tea"),
                PricingFixture.item("X", 1, 100, category: "Food"),
                PricingFixture.item("C", 1, 700, category: "Drinks"),
            ],
            .buyOneGetOne(.categories("Drinks")), [0, 0, 700]
        ),
    ])
    func multiBuyFreesTheCheapestUnits(items: [Item], rule: Promotion.Rule, lineDiscounts: [Int64]) {
        let q = Self.quote(items, [PricingFixture.promo("B", rule)])
        #expect(q.lines.map(\.discount.cents) == lineDiscounts)
        #expect(q.total.cents == items.reduce(0) { $0 + $1.unitPrice.cents * $1.quantity } - lineDiscounts.reduce(0, +))
        Self.expectBalanced(q)
    }

    // MARK: - Free-item coupon

    @Test(arguments: [
        ([PricingFixture.item("TEA-01", 3, 500)], Int64(1), [Int64(500)], CouponRejection.Reason?.none),
        ([PricingFixture.item("TEA-01", 3, 500)], 5, [1500], nil),  // no more than the cart holds
        // ties: lower line first
        ([PricingFixture.item("TEA-01", 1, 500), PricingFixture.item("TEA-01", 2, 500)], 2, [500, 500], nil),
        ([PricingFixture.item("CUP-01", 1, 500), PricingFixture.item("TEA-01", 1, 400)], 1, [0, 400], nil),
        ([PricingFixture.item("CUP-01", 1, 500)], 1, [0], .noEligibleItems),
        ([PricingFixture.item("TEA-01", 1, 500)], 0, [0], .nothingToDiscount),
    ])
    func aFreeItemCouponFreesUpToItsUnits(
        items: [Item], maxUnits: Int64, lineDiscounts: [Int64], rejection: CouponRejection.Reason?
    ) {
        let q = Self.quote(items, coupon: PricingFixture.coupon("FREE", .freeItem(sku: "TEA-01", maxUnits: maxUnits)))
        #expect(q.lines.map(\.discount.cents) == lineDiscounts)
        #expect(q.couponApplied == (rejection == nil ? "FREE" : nil))
        #expect(q.couponRejection?.reason == rejection)
        Self.expectBalanced(q)
    }

    @Test func aFreeItemCouponFreesItsUnitsBeforeMultiBuyGroupsTheRest() throws {
        // The coupon frees one tin (¥5.00) before multi-buy; at zero it is the free unit of
        // the buy-one-get-one pair, so the pair costs one tin (it was ¥2.50 when the coupon
        // freed "what was left" of an averaged unit after multi-buy, which an added item could
        // make worth less than the item saved).
        let bogo = PricingFixture.promo("B", .buyOneGetOne(.all))
        let coupon = PricingFixture.coupon("FREE", .freeItem(sku: "TEA-01", maxUnits: 1))
        let q = Self.quote([PricingFixture.item("TEA-01", 2, 500)], [bogo], coupon: coupon)
        #expect(q.discounts.map(\.source) == ["coupon:FREE"])
        #expect(q.total.cents == 500)
        #expect(
            try #require(q.skipped.first).reason == "the units it would discount are the ones coupon FREE makes free")
        // A third tin completes the pair among the paid tins: still one tin paid.
        let three = Self.quote([PricingFixture.item("TEA-01", 3, 500)], [bogo], coupon: coupon)
        #expect(three.discounts.map(\.amountCents) == [500, 500])
        #expect(three.total.cents == 500)
        Self.expectBalanced(three)
    }

    // MARK: - Percentage coupon cap

    @Test(arguments: [
        (Int64(10_000), Int64(20), Int64?(2000), Int64(2000)),
        (10_000, 20, 1999, 1999),
        (9995, 20, 2000, 1999),
        (10_000, 20, nil, 2000),
        (10_000, 100, 5000, 5000),
    ])
    func aPercentageCouponIsCapped(base: Int64, percent: Int64, cap: Int64?, off: Int64) {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, base)],
            coupon: PricingFixture.coupon("P", .percentOff(percent: percent, capCents: cap)))
        #expect(q.discounts.map(\.amountCents) == [off])
        #expect(q.discounts.first?.description.contains("capped") == (cap.map { $0 < base * percent / 100 } ?? false))
    }

    // MARK: - Category eligibility

    @Test(
        arguments: [
            ("Drinks/Tea", ["Drinks"], true),
            ("Drinks", ["Drinks"], true),
            ("Drinks/Tea/Green", ["Drinks/Tea"], true),
            ("Food", ["Food", "Drinks"], true),
            ("Drinks", ["Drinks/Tea"], false),  // a parent is not inside its child
            ("DrinksX/Tea", ["Drinks"], false),  // levels, not text prefixes
            ("Food/Drinks", ["Drinks"], false),
            (nil, ["Drinks"], false),
        ] as [(String?, [String], Bool)])
    func categoriesCoverThemselvesAndEverythingBelow(category: String?, categories: [String], eligible: Bool) {
        let scope = ItemScope(categories: categories)
        #expect(scope.contains(sku: "TEA-01", category: category.flatMap { CategoryPath($0) }) == eligible)
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 1000, category: category)],
            coupon: PricingFixture.coupon("C", .percentOff(percent: 10, capCents: nil), scope: scope))
        #expect(q.total.cents == (eligible ? 900 : 1000))
        #expect(q.couponRejection?.reason == (eligible ? nil : .noEligibleItems))
    }

    @Test func skusAndCategoriesAreEitherOr() {
        let scope = ItemScope(skus: ["CUP-01"], categories: ["Drinks"])
        #expect(scope.contains(sku: "CUP-01", category: CategoryPath("Kitchen")))
        #expect(scope.contains(sku: "TEA-01", category: CategoryPath("Drinks/Tea")))
        #expect(!scope.contains(sku: "PAN-01", category: CategoryPath("Kitchen")))
        #expect(ItemScope.all.contains(sku: "PAN-01", category: nil))
    }

    // MARK: - Member-level price against a flash sale: the better one wins, they never stack

    @Test(arguments: [
        (String?("gold"), LinePrice.percentOff(25), "promotion:M", Int64(1500)),  // 500 off beats 400
        ("silver", .percentOff(25), "promotion:F", 1600),  // not gold: the flash sale
        (nil, .percentOff(25), "promotion:F", 1600),  // a guest has no level
        ("gold", .unitPrices(["TEA-01": 850, "CUP-01": 100]), "promotion:F", 1600),  // 300 off loses to 400
        ("gold", .unitPrice(cents: 799), "promotion:M", 1598),
        ("gold", .unitPrice(cents: 800), "promotion:F", 1600),  // a tie goes to the lower id
    ])
    func theBetterOfMemberPriceAndFlashSaleApplies(level: String?, memberPrice: LinePrice, winner: String, total: Int64)
    {
        let promotions = [
            PricingFixture.promo("M", .memberPrice(levels: ["gold"], scope: .skus("TEA-01"), price: memberPrice)),
            PricingFixture.promo("F", .flashSale(scope: .skus("TEA-01"), price: .unitPrice(cents: 800))),
        ]
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 2, 1000)], promotions,
            context: PricingContext(now: Self.now, memberLevel: level))
        #expect(q.discounts.map(\.source) == [winner])
        #expect(q.total.cents == total)
    }

    @Test func aMemberPriceForAnyLevelStillNeedsALevel() {
        let promotions = [PricingFixture.promo("M", .memberPrice(levels: [], scope: .all, price: .percentOff(10)))]
        let items = [PricingFixture.item("TEA-01", 1, 1000)]
        #expect(Self.quote(items, promotions).total.cents == 1000)
        #expect(
            Self.quote(items, promotions, context: PricingContext(now: Self.now, memberLevel: "silver")).total.cents
                == 900)
    }

    // MARK: - Gifts

    @Test func giftsAreZeroPriceLinesAfterTheCartInPromotionOrder() throws {
        let promotions = [
            PricingFixture.promo("G2", .gift(sku: "MUG-01", name: "Mug", thresholdCents: 5000)),
            PricingFixture.promo("G1", .gift(sku: "TOTE-01", name: "Tote", quantity: 2, thresholdCents: 10_000)),
            PricingFixture.promo("G3", .gift(sku: "CAP-01", name: "Cap", thresholdCents: 10_001)),
        ]
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 6000), PricingFixture.item("CUP-01", 1, 4000)], promotions)
        #expect(q.gifts.map(\.line.sku) == ["TOTE-01", "MUG-01"])
        #expect(q.gifts.map(\.line.line) == [3, 4])
        #expect(q.gifts.map(\.line.quantity) == [2, 1])
        #expect(q.gifts.allSatisfy { $0.line.gross == .zero && $0.line.net == .zero })
        #expect(q.gifts.map(\.source) == ["promotion:G1", "promotion:G2"])
        let tote = try #require(q.gifts.first)
        #expect(tote.description == "promo G1: gift 2 × Tote (TOTE-01) for spending ¥100.00")
        #expect(q.total.cents == 10_000)
        #expect(q.discounts.isEmpty)
    }

    @Test(arguments: [
        (Int64(1000), true), (999, false),
    ])
    func aScopedGiftCountsOnlyItsLines(teaCents: Int64, granted: Bool) {
        let gift = PricingFixture.promo(
            "G", .gift(sku: "MUG-01", name: "Mug", thresholdCents: 1000, scope: .categories("Drinks")))
        let q = Self.quote(
            [
                PricingFixture.item("TEA-01", 1, teaCents, category: "Drinks/Tea"),
                PricingFixture.item("PAN-01", 1, 50_000, category: "Kitchen"),
            ],
            [gift])
        #expect(q.gifts.map(\.line.sku) == (granted ? ["MUG-01"] : []))
    }

    // MARK: - Coupon conditions

    struct Condition: Sendable, CustomTestStringConvertible {
        var name: String
        var coupon: Coupon
        var context: PricingContext
        var rejection: CouponRejection.Reason?
        var testDescription: String { name }

        init(_ name: String, _ audience: Audience, _ context: PricingContext, _ rejection: CouponRejection.Reason?) {
            self.name = name
            self.coupon = Coupon(code: "C", kind: .amountOff(cents: 100), audience: audience)
            self.context = context
            self.rejection = rejection
        }

        init(_ name: String, starts: Int64?, ends: Int64?, _ rejection: CouponRejection.Reason?) {
            self.name = name
            self.coupon = Coupon(code: "C", kind: .amountOff(cents: 100), startsAt: starts, endsAt: ends)
            self.context = PricingContext(now: PricingEngineRulesTests.now)
            self.rejection = rejection
        }
    }

    static let conditions: [Condition] = {
        let t = now
        func ctx(
            member: String? = nil, level: String? = nil, groups: [String] = [], store: String? = nil,
            channel: SalesChannel? = nil
        ) -> PricingContext {
            PricingContext(
                now: t, memberID: member, memberLevel: level, memberGroups: groups, store: store, channel: channel)
        }
        return [
            Condition("gold level admitted", Audience(memberLevels: ["gold"]), ctx(member: "M1", level: "gold"), nil),
            Condition(
                "silver level refused", Audience(memberLevels: ["gold"]), ctx(member: "M1", level: "silver"),
                .memberLevel),
            Condition("guest refused by level", Audience(memberLevels: ["gold"]), ctx(), .memberLevel),
            Condition(
                "one group in common", Audience(memberGroups: ["staff", "vip"]),
                ctx(member: "M1", groups: ["new", "vip"]), nil),
            Condition(
                "no group in common", Audience(memberGroups: ["staff"]), ctx(member: "M1", groups: ["vip"]),
                .memberGroup),
            Condition("right store", Audience(stores: ["s1"]), ctx(store: "s1"), nil),
            Condition("other store", Audience(stores: ["s1"]), ctx(store: "s2"), .store),
            Condition("unknown store", Audience(stores: ["s1"]), ctx(), .store),
            Condition("online only, online", Audience(channels: [.online]), ctx(channel: .online), nil),
            Condition("online only, counter", Audience(channels: [.online]), ctx(channel: .pos), .channel),
            Condition("members only, member", Audience(membersOnly: true), ctx(member: "M1"), nil),
            Condition("members only, guest", Audience(membersOnly: true), ctx(), .membersOnly),
            Condition("everyone", .everyone, ctx(), nil),
            Condition("starts now", starts: t, ends: nil, nil),
            Condition("starts in 1 ms", starts: t + 1, ends: nil, .notYetValid),
            Condition("ends now (exclusive)", starts: nil, ends: t, .expired),
            Condition("ends in 1 ms", starts: nil, ends: t + 1, nil),
        ]
    }()

    @Test(arguments: conditions)
    func couponConditionsAdmitOrExplain(_ condition: Condition) {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 1000)], coupon: condition.coupon, context: condition.context)
        #expect(q.couponRejection?.reason == condition.rejection)
        #expect(q.couponApplied == (condition.rejection == nil ? "C" : nil))
        #expect(q.total.cents == (condition.rejection == nil ? 900 : 1000))
        #expect(q.couponRejection.map { $0.message.hasPrefix("coupon C ") } ?? true)
    }

    // MARK: - Free shipping

    @Test(arguments: [(Int64(800), Int64(0), true), (0, 0, false), (-5, 0, false)])
    func freeShippingWaivesTheFee(fee: Int64, charged: Int64, applied: Bool) {
        let q = Self.quote(
            [PricingFixture.item("TEA-01", 1, 1000)], coupon: PricingFixture.coupon("SHIP", .freeShipping),
            context: PricingContext(now: Self.now, shippingFee: Money(cents: fee)))
        #expect(q.shipping.cents == charged)
        #expect(q.total.cents == 1000)
        #expect(q.couponApplied == (applied ? "SHIP" : nil))
        #expect(q.lines.allSatisfy { $0.discount == .zero })
        #expect(q.discountTotal.cents == (applied ? fee : 0))
        #expect(q.discounts.allSatisfy { $0.allocation.isEmpty })
    }

    // MARK: - Allocation and refunds

    @Test func orderLevelDiscountsAreSharedByEligibleLinesOnly() {
        // 20% of the drinks (3000 + 1000 = 4000) is 800, shared 600 / 200; the pan pays full price.
        let q = Self.quote(
            [
                PricingFixture.item("TEA-01", 1, 3000, category: "Drinks/Tea"),
                PricingFixture.item("PAN-01", 1, 5000, category: "Kitchen"),
                PricingFixture.item("JUICE-01", 1, 1000, category: "Drinks"),
            ],
            coupon: PricingFixture.coupon("D", .percentOff(percent: 20, capCents: nil), scope: .categories("Drinks")))
        #expect(q.lines.map(\.discount.cents) == [600, 0, 200])
        #expect(q.discounts.first?.allocation == [.init(line: 1, amountCents: 600), .init(line: 3, amountCents: 200)])
    }

    @Test(arguments: [
        (Int64(3), Int64(2900), [Int64(1), 1, 1], [Int64(967), 966, 967]),
        (3, 2900, [2, 1], [1933, 967]),
        (3, 2900, [3], [2900]),
        (4, 1001, [1, 1, 1, 1], [250, 251, 250, 250]),
        (2, 1, [1, 1], [1, 0]),
        (5, 0, [2, 3], [0, 0]),
    ])
    func partialRefundsAddUpToTheLineNet(quantity: Int64, net: Int64, steps: [Int64], refunds: [Int64]) throws {
        let line = OrderLine(
            line: 1, sku: "TEA-01", name: "Tea", quantity: quantity, unitPrice: Money(cents: 1000),
            discount: Money(cents: quantity * 1000 - net))
        var done: Int64 = 0
        var got: [Int64] = []
        for k in steps {
            got.append(try line.refundable(quantity: k, alreadyRefunded: done).cents)
            done += k
        }
        #expect(got == refunds)
        #expect(got.reduce(0, +) == net)
    }

    @Test func refundsRefuseWhatWasNotBought() throws {
        let q = Self.quote([PricingFixture.item("TEA-01", 3, 1000)], coupon: Coupon(code: "C", amountCents: 100))
        #expect(try PricingEngine.refundable(line: 1, quantity: 1, of: q).cents == 967)
        #expect(try PricingEngine.refundable(line: 1, quantity: 2, alreadyRefunded: 1, of: q).cents == 1933)
        #expect(throws: CommerceError.self) { try PricingEngine.refundable(line: 2, quantity: 1, of: q) }
        let over = #expect(throws: CommerceError.self) {
            try PricingEngine.refundable(line: 1, quantity: 2, alreadyRefunded: 2, of: q)
        }
        #expect(over?.code == .refundExceedsPaid)
        let zero = #expect(throws: CommerceError.self) { try PricingEngine.refundable(line: 1, quantity: 0, of: q) }
        #expect(zero?.code == .invalidQuantity)
    }

    // MARK: - Properties: every rule together

    static let skus = ["TEA-01", "TEA-02", "CUP-01", "PAN-01"]
    static let categories = ["Drinks/Tea", "Drinks/Tea", "Kitchen/Cups", "Kitchen"]

    static func randomCart(_ rng: inout SplitMix64) -> [Item] {
        (0..<rng.int(1...6)).map { _ in
            let k = rng.int(0...3)
            return PricingFixture.item(
                Self.skus[k], rng.int64(1...5), rng.int64(1...20_000), category: Self.categories[k])
        }
    }

    static func randomScope(_ rng: inout SplitMix64) -> ItemScope {
        switch rng.int(0...2) {
        case 0: return .all
        case 1: return ItemScope(skus: [rng.pick(Self.skus)])
        default: return ItemScope(categories: [rng.pick(["Drinks", "Kitchen", "Drinks/Tea"])])
        }
    }

    static func randomPrice(_ rng: inout SplitMix64) -> LinePrice {
        rng.chance(50) ? .percentOff(rng.int64(1...60)) : .unitPrice(cents: rng.int64(0...20_000))
    }

    static func randomPromotions(_ rng: inout SplitMix64) -> [Promotion] {
        (0..<rng.int(0...6)).map { i in
            let rule: Promotion.Rule
            switch rng.int(0...5) {
            case 0: rule = .percentOff(percent: rng.int64(1...60), skus: rng.chance(50) ? [] : [rng.pick(Self.skus)])
            case 1: rule = .flashSale(scope: randomScope(&rng), price: randomPrice(&rng))
            case 2: rule = .memberPrice(levels: ["gold"], scope: randomScope(&rng), price: randomPrice(&rng))
            case 3:
                rule = .buyNGetM(
                    buy: rng.int64(1...3), get: rng.int64(1...2), scope: randomScope(&rng),
                    getPercentOff: rng.pick([100, 50, 33]))
            case 4:
                rule = .spendSave(
                    tiers: (0..<rng.int(1...3)).map { _ in
                        Promotion.Tier(thresholdCents: rng.int64(0...60_000), saveCents: rng.int64(1...8000))
                    })
            default: rule = .gift(sku: "GIFT-\(i)", name: "Gift \(i)", thresholdCents: rng.int64(0...40_000))
            }
            return PricingFixture.promo("P\(i)", rule, exclusive: rng.chance(15))
        }
    }

    static func randomCoupon(_ rng: inout SplitMix64) -> Coupon? {
        let kind: Coupon.Kind
        switch rng.int(0...4) {
        case 0: return nil
        case 1: kind = .amountOff(cents: rng.int64(0...10_000))
        case 2: kind = .percentOff(percent: rng.int64(1...50), capCents: rng.chance(50) ? rng.int64(0...5000) : nil)
        case 3: kind = .freeItem(sku: rng.pick(Self.skus), maxUnits: rng.int64(1...3))
        default: kind = .freeShipping
        }
        return PricingFixture.coupon("C", kind, min: rng.int64(0...30_000), scope: randomScope(&rng))
    }

    @Test func everyQuoteBalancesIsDeterministicAndRefundsExactly() throws {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            let items = Self.randomCart(&rng)
            let promotions = Self.randomPromotions(&rng)
            let coupon = Self.randomCoupon(&rng)
            let context = PricingContext(
                now: Self.now, memberLevel: rng.chance(50) ? "gold" : nil,
                shippingFee: Money(cents: rng.pick([0, 800])))
            let q = Self.quote(items, promotions, coupon: coupon, context: context)
            Self.expectBalanced(q, "seed \(seed)")
            #expect(q.subtotal.cents == items.reduce(0) { $0 + $1.unitPrice.cents * $1.quantity }, "seed \(seed)")
            #expect(q.lines.map(\.line) == Array(1...items.count), "seed \(seed)")
            #expect(q.gifts.map(\.line.line) == Array((items.count + 1)..<(items.count + 1 + q.gifts.count)))
            #expect((q.couponApplied == nil) == (coupon == nil || q.couponRejection != nil), "seed \(seed)")
            for _ in 0..<3 {
                #expect(Self.quote(items, promotions.shuffled(using: &rng), coupon: coupon, context: context) == q)
            }
            // Refunding every unit of every line, in random steps, returns exactly the goods total.
            var refunded: Int64 = 0
            for line in q.lines {
                var done: Int64 = 0
                while done < line.quantity {
                    let k = rng.int64(1...(line.quantity - done))
                    let amount = try PricingEngine.refundable(
                        line: line.line, quantity: k, alreadyRefunded: done, of: q)
                    #expect(amount.cents >= 0 && amount.cents <= line.net.cents, "seed \(seed)")
                    refunded += amount.cents
                    done += k
                }
            }
            #expect(refunded == q.goodsTotal.cents, "seed \(seed)")
        }
    }

    @Test func theFirstAPIPricesAsAGuestWithoutShipping() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50 {
            let items = Self.randomCart(&rng)
            let promotions = Self.randomPromotions(&rng)
            let coupon = Self.randomCoupon(&rng)
            #expect(
                PricingEngine.quote(items: items, promotions: promotions, coupon: coupon, at: Self.now)
                    == Self.quote(items, promotions, coupon: coupon))
        }
    }
}
