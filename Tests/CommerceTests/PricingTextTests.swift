import Commerce
import FenxiaoTesting
import Foundation
import Replication
import Testing

/// The pricing engine's facts (`PricingNote`) rendered by `PricingText`: the English sentences
/// are the ones the stages wrote before the facts (the CLI's output and JSON carry them), and
/// the Chinese ones keep every amount and no English words.
@Suite struct PricingTextTests {
    /// One fact and the English sentence the stages wrote for it before the facts.
    struct Case: Sendable, CustomTestStringConvertible {
        var note: PricingNote
        var english: String
        var testDescription: String { english }
    }

    static let cases: [Case] = [
        Case(
            note: .lineRule(
                promotion: "Flash sale", rule: .flashSale, offer: .unitPrice(cents: 990), line: 1, sku: "TEA-01",
                quantity: 2),
            english: "Flash sale: ¥9.90 each on line 1 (TEA-01 × 2)"),
        Case(
            note: .lineRule(
                promotion: "Tea fest", rule: .percentOff, offer: .percentOff(15), line: 2, sku: "TEA-02", quantity: 1),
            english: "Tea fest: 15% off on line 2 (TEA-02 × 1)"),
        Case(
            note: .lineRule(
                promotion: "Gold price", rule: .memberPrice, offer: .listedPrices, line: 3, sku: "CUP-01", quantity: 4),
            english: "Gold price: at the listed prices on line 3 (CUP-01 × 4)"),
        Case(
            note: .lineRule(
                promotion: "金卡 5% member discount", rule: .memberPrice, offer: .percentOff(5), line: 1,
                sku: "TEA-01", quantity: 1, level: "金卡"),
            english: "金卡 5% member discount: 5% off on line 1 (TEA-01 × 1)"),
        Case(
            note: .multiBuy(
                promotion: "Tea BOGO", buy: 1, get: 1, percentOff: 100, scope: .skus("TEA-01", "TEA-02"), freeUnits: 2),
            english:
                "Tea BOGO: buy 1 get 1 free on TEA-01, TEA-02 — 2 units free, the cheapest of each 2 (dearest first)"
        ),
        Case(
            note: .multiBuy(
                promotion: "Half off", buy: 1, get: 1, percentOff: 50, scope: .categories("Drinks"), freeUnits: 1),
            english: "Half off: buy 1 get 1 50% off on category Drinks — the cheapest unit 50% off"),
        Case(
            note: .spendSave(promotion: "Tea fest", thresholdCents: 10000, saveCents: 1000),
            english: "Tea fest: spend ¥100.00 save ¥10.00"),
        Case(note: .couponAmountOff(code: "C5", offCents: 500, scope: .all), english: "coupon C5: ¥5.00 off"),
        Case(
            note: .couponAmountOff(
                code: "C5", offCents: 500, scope: ItemScope(skus: ["TEA-01"], categories: ["Drinks"])),
            english: "coupon C5: ¥5.00 off on TEA-01 or category Drinks"),
        Case(
            note: .couponPercentOff(
                code: "P20", percent: 20, ofCents: 5000, scope: .skus("TEA-01"), cappedAtCents: 500),
            english: "coupon P20: 20% off ¥50.00 on TEA-01 (capped at ¥5.00)"),
        Case(
            note: .couponPercentOff(code: "P15", percent: 15, ofCents: 4000, scope: .all, cappedAtCents: nil),
            english: "coupon P15: 15% off ¥40.00"),
        Case(note: .couponFreeItem(code: "FREE", units: 2, sku: "TEA-01"), english: "coupon FREE: 2 × TEA-01 free"),
        Case(
            note: .couponFreeShipping(code: "SHIP", feeCents: 800), english: "coupon SHIP: free shipping (¥8.00)"),
        Case(
            note: .gift(
                promotion: "promo G1", quantity: 2, name: "Tote", sku: "TOTE-01", thresholdCents: 10000, scope: .all),
            english: "promo G1: gift 2 × Tote (TOTE-01) for spending ¥100.00"),
        Case(
            note: .gift(
                promotion: "Bag day", quantity: 1, name: "Bag", sku: "BAG-01", thresholdCents: 5000,
                scope: .categories("Drinks", "Food")),
            english: "Bag day: gift 1 × Bag (BAG-01) for spending ¥50.00 on categories Drinks, Food"),
        Case(
            note: .levelSetAside(level: "gold"),
            english: "the level's benefits would raise this cart's total; priced as for a member without a level"),
        Case(
            note: .memberBenefitsSetAside,
            english: "member benefits would raise this cart's total; priced as for a guest"),
        Case(
            note: .exclusiveGaveWayToCoupon(code: "C50"),
            english: "it cannot be combined with a coupon, and coupon C50 saves more"),
        Case(
            note: .lineRuleNotBelowListPrice(lines: [1]), english: "its price is not below the list price of line 1"),
        Case(
            note: .lineRuleBeaten(lines: [1, 3]),
            english: "another line promotion prices lines 1, 3 at least as low; line promotions do not stack"),
        Case(
            note: .multiBuyLinesTaken(by: ["B", "C"]),
            english:
                "its lines went to promotion B, C, a better deal for them; a line takes part in one multi-buy promotion"
        ),
        Case(
            note: .multiBuyTooFewUnits(needs: 3, scope: .skus("TEA-01"), has: 2, takenBy: []),
            english: "needs 3 units of TEA-01; this cart has 2"),
        Case(
            note: .multiBuyTooFewUnits(needs: 3, scope: .all, has: 1, takenBy: ["B"]),
            english: "needs 3 units of all items; this cart has 1 left after promotion B took its better deals"),
        Case(
            note: .multiBuyUnitsFreedByCoupon(code: "FREE"),
            english: "the units it would discount are the ones coupon FREE makes free"),
        Case(note: .nothingLeftOnLines, english: "nothing is left to take off its lines"),
        Case(note: .nothingLeft, english: "nothing is left to take off"),
        Case(
            note: .giftBelowThreshold(thresholdCents: 10000, scope: .skus("TEA-01"), hasCents: 9000),
            english: "needs ¥100.00 on TEA-01; this cart has ¥90.00 before member, spend-save and coupon discounts"),
        Case(
            note: .spendSaveBelowThreshold(thresholdCents: 30000, saveCents: 3000, hasCents: 29000),
            english: "needs ¥300.00; this cart has ¥290.00 before member, spend-save and coupon discounts"),
        Case(
            note: .spendSaveBeaten(by: "S2"),
            english: "promotion S2 saves more; one spend-save promotion applies per order"),
        Case(note: .couponNotYetValid(code: "C1"), english: "coupon C1 is not valid yet"),
        Case(note: .couponExpired(code: "C1"), english: "coupon C1 has expired"),
        Case(note: .couponAudience(code: "C1", requirement: .membersOnly), english: "coupon C1 is for members only"),
        Case(
            note: .couponAudience(code: "C1", requirement: .memberLevels(["gold", "silver"])),
            english: "coupon C1 is for member levels gold, silver only"),
        Case(
            note: .couponAudience(code: "C1", requirement: .memberGroups(["vip"])),
            english: "coupon C1 is for member groups vip only"),
        Case(
            note: .couponAudience(code: "C1", requirement: .stores(["S1", "S2"])),
            english: "coupon C1 is valid only at stores S1, S2"),
        Case(
            note: .couponAudience(code: "C1", requirement: .channels([.pos, .online])),
            english: "coupon C1 is valid only at the counter or online"),
        Case(
            note: .couponExcludedByPromotion(code: "C1", promotion: "X"),
            english: "coupon C1 cannot be combined with promotion X, which excludes coupons"),
        Case(
            note: .couponNoEligibleItems(code: "C1", scope: .categories("Drinks")),
            english: "coupon C1 is for category Drinks, and none is in the cart"),
        Case(
            note: .couponFreeItemMissing(code: "FREE", sku: "TEA-01"),
            english: "coupon FREE makes TEA-01 free, and none is in the cart"),
        Case(
            note: .couponBelowMinimumSpend(code: "C1", minSpendCents: 3000, scope: .all, hasCents: 2999),
            english:
                "coupon C1 needs a spend of at least ¥30.00 before member, spend-save and coupon discounts (this cart: ¥29.99)"
        ),
        Case(
            note: .couponBelowMinimumSpend(code: "C1", minSpendCents: 3000, scope: .skus("TEA-01"), hasCents: 0),
            english:
                "coupon C1 needs a spend of at least ¥30.00 on TEA-01 before member, spend-save and coupon discounts (this cart: ¥0.00)"
        ),
        Case(note: .couponNothingToDiscount(code: "C1"), english: "coupon C1 takes nothing off this cart"),
    ]

    /// The case's name; the switch fails to compile when a case is added, and `everyCaseHasASentence`
    /// then asks for a row in `cases`.
    static func name(_ note: PricingNote) -> String {
        switch note {
        case .lineRule: return "lineRule"
        case .multiBuy: return "multiBuy"
        case .spendSave: return "spendSave"
        case .couponAmountOff: return "couponAmountOff"
        case .couponPercentOff: return "couponPercentOff"
        case .couponFreeItem: return "couponFreeItem"
        case .couponFreeShipping: return "couponFreeShipping"
        case .gift: return "gift"
        case .levelSetAside: return "levelSetAside"
        case .memberBenefitsSetAside: return "memberBenefitsSetAside"
        case .exclusiveGaveWayToCoupon: return "exclusiveGaveWayToCoupon"
        case .lineRuleNotBelowListPrice: return "lineRuleNotBelowListPrice"
        case .lineRuleBeaten: return "lineRuleBeaten"
        case .multiBuyLinesTaken: return "multiBuyLinesTaken"
        case .multiBuyTooFewUnits: return "multiBuyTooFewUnits"
        case .multiBuyUnitsFreedByCoupon: return "multiBuyUnitsFreedByCoupon"
        case .nothingLeftOnLines: return "nothingLeftOnLines"
        case .nothingLeft: return "nothingLeft"
        case .giftBelowThreshold: return "giftBelowThreshold"
        case .spendSaveBelowThreshold: return "spendSaveBelowThreshold"
        case .spendSaveBeaten: return "spendSaveBeaten"
        case .couponNotYetValid: return "couponNotYetValid"
        case .couponExpired: return "couponExpired"
        case .couponAudience: return "couponAudience"
        case .couponExcludedByPromotion: return "couponExcludedByPromotion"
        case .couponNoEligibleItems: return "couponNoEligibleItems"
        case .couponFreeItemMissing: return "couponFreeItemMissing"
        case .couponBelowMinimumSpend: return "couponBelowMinimumSpend"
        case .couponNothingToDiscount: return "couponNothingToDiscount"
        }
    }

    static let caseCount = 29

    @Test func everyCaseHasASentence() {
        #expect(Set(Self.cases.map { Self.name($0.note) }).count == Self.caseCount)
    }

    @Test(arguments: cases) func englishIsTheSentenceTheStagesWrote(_ c: Case) {
        #expect(PricingText.sentence(c.note, in: .english) == c.english)
    }

    @Test(arguments: cases) func chineseKeepsTheAmountsAndNoEnglishWords(_ c: Case) {
        Self.expectChinese(c.note)
    }

    /// The Chinese sentence is not empty, has every amount of the English one (`¥9.90`, or as a
    /// price tag writes it in 满100减10) and every number, and no ASCII letters once the shop's
    /// own data (names, SKUs, codes, categories, levels) is taken out.
    static func expectChinese(_ note: PricingNote, _ context: String = "") {
        let chinese = PricingText.sentence(note, in: .chinese)
        let english = PricingText.sentence(note, in: .english)
        #expect(!chinese.isEmpty, "\(context)")
        for amount in moneyAmounts(english) {
            var short = String(amount.drop { $0 != "¥" }.dropFirst())
            if short.hasSuffix(".00") { short.removeLast(3) } else if short.hasSuffix("0") { short.removeLast() }
            #expect(
                chinese.contains(amount) || chinese.contains(short), "\(context) \(amount) missing from \(chinese)")
        }
        var rest = chinese
        for data in dataStrings(note).sorted(by: { $0.count > $1.count }) where !data.isEmpty {
            rest = rest.replacingOccurrences(of: data, with: "")
        }
        #expect(!rest.contains { $0.isASCII && $0.isLetter }, "\(context) English left in \(chinese)")
    }

    /// `¥12.50`-style amounts in a sentence.
    static func moneyAmounts(_ text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"-?¥-?[0-9]+\.[0-9]{2}"#) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// Every string carried by a fact (names, SKUs, codes, scopes, levels): the shop's data.
    static func dataStrings(_ value: Any) -> [String] {
        if let s = value as? String { return [s] }
        return Mirror(reflecting: value).children.flatMap { dataStrings($0.value) }
    }

    // MARK: - The engine's quotes

    typealias Rules = PricingEngineRulesTests

    @Test func aQuoteExplainsItselfInBothLanguages() throws {
        let items = [PricingFixture.item("TEA-01", 2, 1000), PricingFixture.item("CUP-01", 1, 3000)]
        let q = Rules.quote(
            items,
            [
                PricingFixture.promo(
                    "F", .flashSale(scope: .skus("TEA-01"), price: .unitPrice(cents: 900)), name: "Flash"),
                PricingFixture.promo(
                    "S", .spendSave(tiers: [Promotion.Tier(thresholdCents: 4000, saveCents: 500)]), name: "Spend"),
                PricingFixture.promo(
                    "S2", .spendSave(tiers: [Promotion.Tier(thresholdCents: 4000, saveCents: 300)]), name: "Small"),
            ], coupon: PricingFixture.coupon("C9", .amountOff(cents: 500), min: 99_000))
        #expect(
            q.discounts.map(\.description) == [
                "Flash: ¥9.00 each on line 1 (TEA-01 × 2)", "Spend: spend ¥40.00 save ¥5.00",
            ])
        #expect(
            q.discounts.map { PricingText.sentence($0.note, in: .chinese) } == [
                "Flash：限时价 ¥9.00/件，第 1 行（TEA-01 × 2）", "Spend：满40减5",
            ])
        let skipped = try #require(q.skipped.first)
        #expect(skipped.source == "promotion:S2")
        #expect(PricingText.sentence(skipped.note, in: .chinese) == "促销 S 更划算；每单只享一个满减")
        let rejection = try #require(q.couponRejection)
        #expect(rejection.reason == .belowMinimumSpend)
        #expect(
            PricingText.sentence(rejection.note, in: .chinese)
                == "优惠券 C9 还差 ¥942.00 可用：需满 ¥990.00，本单按会员、满减、优惠券优惠前计 ¥48.00")
    }

    /// A level's discount is named in English by its promotion (`金卡 5% member discount`, as
    /// before); in Chinese by its level.
    @Test func aLevelDiscountIsNamedByItsLevelInChinese() throws {
        let q = Rules.quote(
            [PricingFixture.item("TEA-01", 1, 29000)], [.levelDiscount(level: "GOLD", name: "金卡", percent: 5)],
            context: PricingContext(now: Rules.now, memberID: "M1", memberLevel: "GOLD"))
        let discount = try #require(q.discounts.first)
        #expect(discount.source == "promotion:level-GOLD")
        #expect(discount.description == "金卡 5% member discount: 5% off on line 1 (TEA-01 × 1)")
        #expect(PricingText.sentence(discount.note, in: .chinese) == "金卡 会员折扣：9.5折，第 1 行（TEA-01 × 1）")
    }

    @Test func aThresholdNotReachedSaysWhatIsMissingInChinese() throws {
        let q = Rules.quote(
            [PricingFixture.item("TEA-01", 1, 29000)],
            [
                PricingFixture.promo(
                    "S", .spendSave(tiers: [Promotion.Tier(thresholdCents: 30000, saveCents: 3000)]), name: "Big")
            ])
        let skipped = try #require(q.skipped.first)
        #expect(
            PricingText.sentence(skipped.note, in: .chinese)
                == "还差 ¥10.00 可享 满300减30（本单按会员、满减、优惠券优惠前计 ¥290.00）")
    }

    /// Over random carts, promotions, coupons and members: every discount, gift, skipped
    /// promotion and coupon rejection carries a fact whose English is its sentence and whose
    /// Chinese keeps its amounts.
    @Test func everyExplanationOfARandomCartRendersInChinese() {
        for seed in PricingMonotonicityTests.seeds {
            var rng = SplitMix64(seed: seed)
            let items = Rules.randomCart(&rng)
            let promotions = PricingMonotonicityTests.randomPromotions(&rng)
            let coupon = Rules.randomCoupon(&rng)
            let context = rng.chance(50) ? PricingMonotonicityTests.randomMember(&rng) : PricingMonotonicityTests.guest
            let q = Rules.quote(items, promotions, coupon: coupon, context: context)
            let comment: Comment = "seed \(seed)"
            let seen = "seed \(seed)"
            for d in q.discounts {
                #expect(d.description == PricingText.sentence(d.note, in: .english), comment)
                Self.expectChinese(d.note, seen)
            }
            for g in q.gifts {
                #expect(g.description == PricingText.sentence(g.note, in: .english), comment)
                Self.expectChinese(g.note, seen)
            }
            for s in q.skipped {
                #expect(s.reason == PricingText.sentence(s.note, in: .english), comment)
                Self.expectChinese(s.note, seen)
            }
            if let r = q.couponRejection {
                #expect(r.note.rejectionReason == r.reason, comment)
                Self.expectChinese(r.note, seen)
            }
        }
    }

    @Test func sourcesReadInChineseAndStayAsTheyAreInEnglish() {
        #expect(PricingText.source("promotion:MJ", in: .chinese) == "促销 MJ")
        #expect(PricingText.source("coupon:C20", in: .chinese) == "优惠券 C20")
        #expect(PricingText.source("level:GOLD", in: .chinese) == "会员等级 GOLD")
        #expect(PricingText.source("member", in: .chinese) == "会员")
        #expect(PricingText.source("promotion:MJ", in: .english) == "promotion:MJ")
    }

    @Test func theJSONKeepsItsEnglishShape() throws {
        let discount = PricingEngine.Discount(
            source: "coupon:C5", note: .couponAmountOff(code: "C5", offCents: 500, scope: .all), amountCents: 500,
            allocation: [.init(line: 1, amountCents: 500)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(discount), as: UTF8.self)
        #expect(
            json
                == #"{"allocation":[{"amountCents":500,"line":1}],"amountCents":500,"description":"coupon C5: ¥5.00 off","source":"coupon:C5"}"#
        )
        let skipped = PricingEngine.Skipped(source: "promotion:S", note: .nothingLeft)
        #expect(
            String(decoding: try encoder.encode(skipped), as: UTF8.self)
                == #"{"reason":"nothing is left to take off","source":"promotion:S"}"#)
    }
}
