/// The pricing engine's facts (`PricingNote`) as sentences for a cashier, a customer or a
/// receipt, rendered at the edge in English or Chinese. The English sentences are the ones the
/// engine has always written (the CLI's output and every face's JSON carry them).
public enum PricingText {
    public static func sentence(_ note: PricingNote, in language: Language) -> String {
        switch language {
        case .english: return english(note)
        case .chinese: return chinese(note)
        }
    }

    /// A discount's or a skipped promotion's source for a reader: in Chinese `promotion:MJ` is
    /// `促销 MJ`, `coupon:C20` `优惠券 C20`, `level:GOLD` `会员等级 GOLD`, `member` `会员`; English
    /// keeps the source as the JSON has it.
    public static func source(_ source: String, in language: Language) -> String {
        guard language == .chinese else { return source }
        if source == "member" { return "会员" }
        let labels = ["promotion": "促销", "coupon": "优惠券", "level": "会员等级"]
        guard let colon = source.firstIndex(of: ":"), let label = labels[String(source[..<colon])] else {
            return source
        }
        return "\(label) \(source[source.index(after: colon)...])"
    }

    /// A scope as a phrase: `all items`, `TEA-01, TEA-02`, `category Drinks`, `TEA-01 or category Drinks`.
    public static func scope(_ scope: ItemScope, in language: Language) -> String {
        switch language {
        case .english: return englishScope(scope)
        case .chinese: return chineseScope(scope)
        }
    }

    static func english(_ note: PricingNote) -> String {
        switch note {
        case let .lineRule(promotion, _, offer, line, sku, quantity, _):
            return "\(promotion): \(englishOffer(offer)) on line \(line) (\(sku) × \(quantity))"
        case let .multiBuy(promotion, buy, get, percent, scope, freeUnits):
            let deal = percent == 100 ? "free" : "\(percent)% off"
            let head = "\(promotion): buy \(buy) get \(get) \(deal) on \(englishScope(scope))"
            if freeUnits == 1 { return "\(head) — the cheapest unit \(deal)" }
            return "\(head) — \(freeUnits) units \(deal), the cheapest of each \(buy &+ get) (dearest first)"
        case let .spendSave(promotion, threshold, save):
            return "\(promotion): spend \(Money(cents: threshold)) save \(Money(cents: save))"
        case let .couponAmountOff(code, off, scope):
            return "coupon \(code): \(Money(cents: off)) off\(englishOn(scope))"
        case let .couponPercentOff(code, percent, of, scope, cappedAt):
            let capped = cappedAt.map { " (capped at \(Money(cents: $0)))" } ?? ""
            return "coupon \(code): \(percent)% off \(Money(cents: of))\(englishOn(scope))\(capped)"
        case let .couponFreeItem(code, units, sku):
            return "coupon \(code): \(units) × \(sku) free"
        case let .couponFreeShipping(code, fee):
            return "coupon \(code): free shipping (\(Money(cents: fee)))"
        case let .gift(promotion, quantity, name, sku, threshold, scope):
            return "\(promotion): gift \(quantity) × \(name) (\(sku)) for spending \(Money(cents: threshold))"
                + englishOn(scope)
        case .levelSetAside:
            return "the level's benefits would raise this cart's total; priced as for a member without a level"
        case .memberBenefitsSetAside:
            return "member benefits would raise this cart's total; priced as for a guest"
        case .exclusiveGaveWayToCoupon(let code):
            return "it cannot be combined with a coupon, and coupon \(code) saves more"
        case .lineRuleNotBelowListPrice(let lines):
            return "its price is not below the list price of \(englishLines(lines))"
        case .lineRuleBeaten(let lines):
            return "another line promotion prices \(englishLines(lines)) at least as low; line promotions do not stack"
        case .multiBuyLinesTaken(let others):
            return "its lines went to promotion \(others.joined(separator: ", ")), a better deal for them; "
                + "a line takes part in one multi-buy promotion"
        case let .multiBuyTooFewUnits(needs, scope, has, others):
            let left =
                others.isEmpty ? "" : " left after promotion \(others.joined(separator: ", ")) took its better deals"
            return "needs \(needs) units of \(englishScope(scope)); this cart has \(has)\(left)"
        case .multiBuyUnitsFreedByCoupon(let code):
            return "the units it would discount are the ones coupon \(code) makes free"
        case .nothingLeftOnLines:
            return "nothing is left to take off its lines"
        case .nothingLeft:
            return "nothing is left to take off"
        case let .giftBelowThreshold(threshold, scope, has):
            return "needs \(Money(cents: threshold))\(englishOn(scope)); this cart has \(Money(cents: has)) "
                + "before member, spend-save and coupon discounts"
        case let .spendSaveBelowThreshold(threshold, _, has):
            return "needs \(Money(cents: threshold)); this cart has \(Money(cents: has)) "
                + "before member, spend-save and coupon discounts"
        case .spendSaveBeaten(let winner):
            return "promotion \(winner) saves more; one spend-save promotion applies per order"
        case .couponNotYetValid(let code):
            return "coupon \(code) is not valid yet"
        case .couponExpired(let code):
            return "coupon \(code) has expired"
        case let .couponAudience(code, requirement):
            return "coupon \(code) is \(englishRequirement(requirement))"
        case let .couponExcludedByPromotion(code, promotion):
            return "coupon \(code) cannot be combined with promotion \(promotion), which excludes coupons"
        case let .couponNoEligibleItems(code, scope):
            return "coupon \(code) is for \(englishScope(scope)), and none is in the cart"
        case let .couponFreeItemMissing(code, sku):
            return "coupon \(code) makes \(sku) free, and none is in the cart"
        case let .couponBelowMinimumSpend(code, minimum, scope, has):
            return "coupon \(code) needs a spend of at least \(Money(cents: minimum))\(englishOn(scope)) before "
                + "member, spend-save and coupon discounts (this cart: \(Money(cents: has)))"
        case .couponNothingToDiscount(let code):
            return "coupon \(code) takes nothing off this cart"
        }
    }

    static func englishScope(_ scope: ItemScope) -> String {
        if scope.coversEverything { return "all items" }
        var parts: [String] = []
        if !scope.skus.isEmpty { parts.append(scope.skus.joined(separator: ", ")) }
        if !scope.categories.isEmpty {
            parts.append(
                (scope.categories.count == 1 ? "category " : "categories ") + scope.categories.joined(separator: ", "))
        }
        return parts.joined(separator: " or ")
    }

    /// ` on TEA-01`, or nothing for a scope that covers every item.
    static func englishOn(_ scope: ItemScope) -> String {
        scope.coversEverything ? "" : " on \(englishScope(scope))"
    }

    /// `10% off`, `¥9.90 each`.
    static func englishOffer(_ offer: PricingNote.LineOffer) -> String {
        switch offer {
        case .percentOff(let percent): return "\(percent)% off"
        case .unitPrice(let cents): return "\(Money(cents: cents)) each"
        case .listedPrices: return "at the listed prices"
        }
    }

    /// `line 1`, `lines 1, 3`.
    static func englishLines(_ lines: [Int]) -> String {
        (lines.count == 1 ? "line " : "lines ") + lines.map(String.init).joined(separator: ", ")
    }

    /// `for member levels gold, silver only`.
    static func englishRequirement(_ requirement: PricingNote.AudienceRequirement) -> String {
        switch requirement {
        case .membersOnly: return "for members only"
        case .memberLevels(let levels): return "for member levels \(levels.joined(separator: ", ")) only"
        case .memberGroups(let groups): return "for member groups \(groups.joined(separator: ", ")) only"
        case .stores(let stores): return "valid only at stores \(stores.joined(separator: ", "))"
        case .channels(let channels):
            return "valid only \(channels.map { $0 == .pos ? "at the counter" : "online" }.joined(separator: " or "))"
        }
    }
}
