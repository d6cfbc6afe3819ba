/// The pricing facts as a Chinese retailer writes them: 满100减10, 第二件半价, 买2送1,
/// 限时价 ¥9.90/件, 会员价, 9折, 还差 ¥10.00 可享 满300减30. Names, SKUs, codes, member levels
/// and categories are the shop's own data and are shown as they are.
extension PricingText {
    static func chinese(_ note: PricingNote) -> String {
        switch note {
        case let .lineRule(promotion, rule, offer, line, sku, quantity, level):
            // A level's discount is named by its level (its promotion name is English).
            let head = level.map { "\($0) 会员折扣：\(chineseOffer(offer, .percentOff))" }
            return (head ?? "\(promotion)：\(chineseOffer(offer, rule))") + "，第 \(line) 行（\(sku) × \(quantity)）"
        case let .multiBuy(promotion, buy, get, percent, scope, freeUnits):
            let deal = percent == 100 ? "免费" : chineseRate(percent)
            let which =
                freeUnits == 1
                ? "最便宜的 1 件\(deal)"
                : "共 \(freeUnits) 件\(deal)（按价格从高到低每 \(buy &+ get) 件一组，每组最便宜的 \(get) 件）"
            return
                "\(promotion)：\(chineseMultiBuy(buy: buy, get: get, percent: percent))（\(chineseScope(scope))），\(which)"
        case let .spendSave(promotion, threshold, save):
            return "\(promotion)：\(chineseSpendSave(threshold, save))"
        case let .couponAmountOff(code, off, scope):
            return "优惠券 \(code) 减 \(Money(cents: off))\(chineseLimit(scope))"
        case let .couponPercentOff(code, percent, of, scope, cappedAt):
            let capped = cappedAt.map { "，最多减 \(Money(cents: $0))" } ?? ""
            return "优惠券 \(code)：\(Money(cents: of)) 打\(chineseRate(percent))\(chineseLimit(scope))\(capped)"
        case let .couponFreeItem(code, units, sku):
            return "优惠券 \(code)：\(units) 件 \(sku) 免单"
        case let .couponFreeShipping(code, fee):
            return "优惠券 \(code)：免运费（\(Money(cents: fee))）"
        case let .gift(promotion, quantity, name, sku, threshold, scope):
            let on = scope.coversEverything ? "" : "\(chineseScope(scope)) "
            return "\(promotion)：\(on)满 \(Money(cents: threshold)) 赠 \(quantity) 件 \(name)（\(sku)）"
        case .levelSetAside(let level):
            return "会员等级 \(level) 的权益会使本单更贵，已按无等级会员计价"
        case .memberBenefitsSetAside:
            return "会员优惠会使本单更贵，已按非会员计价"
        case .exclusiveGaveWayToCoupon(let code):
            return "不与优惠券同享，优惠券 \(code) 更划算"
        case .lineRuleNotBelowListPrice(let lines):
            return "促销价不低于\(chineseLines(lines))的原价"
        case .lineRuleBeaten(let lines):
            return "\(chineseLines(lines))已有同样低或更低的单品促销价；单品促销不叠加"
        case .multiBuyLinesTaken(let others):
            return "相关商品已参加更划算的促销 \(others.joined(separator: "、"))；每件商品只参加一个多件促销"
        case let .multiBuyTooFewUnits(needs, scope, has, others):
            let left = others.isEmpty ? "" : "（其余已参加更划算的促销 \(others.joined(separator: "、"))）"
            return "还差 \(max(needs - has, 0)) 件可享：需\(chineseOn(scope))满 \(needs) 件，本单 \(has) 件\(left)"
        case .multiBuyUnitsFreedByCoupon(let code):
            return "可优惠的商品已由优惠券 \(code) 免单"
        case .nothingLeftOnLines:
            return "相关商品已无可优惠的金额"
        case .nothingLeft:
            return "本单已无可优惠的金额"
        case let .giftBelowThreshold(threshold, scope, has):
            return "还差 \(Money(cents: max(threshold - has, 0))) 可获赠品：需\(chineseOn(scope))满 \(Money(cents: threshold))，"
                + "本单\(beforeMemberDiscounts) \(Money(cents: has))"
        case let .spendSaveBelowThreshold(threshold, save, has):
            return "还差 \(Money(cents: max(threshold - has, 0))) 可享 \(chineseSpendSave(threshold, save))"
                + "（本单\(beforeMemberDiscounts) \(Money(cents: has))）"
        case .spendSaveBeaten(let winner):
            return "促销 \(winner) 更划算；每单只享一个满减"
        case .couponNotYetValid(let code):
            return "优惠券 \(code) 尚未生效"
        case .couponExpired(let code):
            return "优惠券 \(code) 已过期"
        case let .couponAudience(code, requirement):
            return "优惠券 \(code) \(chineseRequirement(requirement))"
        case let .couponExcludedByPromotion(code, promotion):
            return "优惠券 \(code) 不可用：促销 \(promotion) 不与优惠券同享"
        case let .couponNoEligibleItems(code, scope):
            return "优惠券 \(code) 仅限 \(chineseScope(scope)) 使用，本单没有"
        case let .couponFreeItemMissing(code, sku):
            return "优惠券 \(code) 可免单 \(sku)，本单没有该商品"
        case let .couponBelowMinimumSpend(code, minimum, scope, has):
            return
                "优惠券 \(code) 还差 \(Money(cents: max(minimum - has, 0))) 可用：需\(chineseOn(scope))满 \(Money(cents: minimum))，"
                + "本单\(beforeMemberDiscounts) \(Money(cents: has))"
        case .couponNothingToDiscount(let code):
            return "优惠券 \(code) 在本单没有可减的金额"
        }
    }

    /// How every threshold is judged, in a few words (see `PricingEngine`).
    static let beforeMemberDiscounts = "按会员、满减、优惠券优惠前计"

    /// `全部商品`, `TEA-01、TEA-02`, `品类 Drinks`, `TEA-01 或品类 Drinks`.
    static func chineseScope(_ scope: ItemScope) -> String {
        if scope.coversEverything { return "全部商品" }
        var parts: [String] = []
        if !scope.skus.isEmpty { parts.append(scope.skus.joined(separator: "、")) }
        if !scope.categories.isEmpty { parts.append("品类 \(scope.categories.joined(separator: "、"))") }
        return parts.joined(separator: " 或 ")
    }

    /// ` TEA-01 `-style phrase before 满, or nothing for a scope that covers every item.
    static func chineseOn(_ scope: ItemScope) -> String {
        scope.coversEverything ? "" : " \(chineseScope(scope)) "
    }

    /// `（限 TEA-01）`, or nothing for every item.
    static func chineseLimit(_ scope: ItemScope) -> String {
        scope.coversEverything ? "" : "（限 \(chineseScope(scope))）"
    }

    /// `9折` for 10 % off, `8.5折` for 15 %, `半价` for 50 %, `免费` for 100 %.
    static func chineseRate(_ percentOff: Int64) -> String {
        let pay = 100 - min(max(percentOff, 0), 100)
        switch pay {
        case 0: return "免费"
        case 50: return "半价"
        case let p where p % 10 == 0: return "\(p / 10)折"
        default: return "\(pay / 10).\(pay % 10)折"
        }
    }

    /// `买1送1`, `第二件半价`, `第三件7折`, `买3件另2件8折`.
    static func chineseMultiBuy(buy: Int64, get: Int64, percent: Int64) -> String {
        if percent == 100 { return "买\(buy)送\(get)" }
        if get == 1 { return "第\(chineseOrdinal(buy &+ 1))件\(chineseRate(percent))" }
        return "买\(buy)件另\(get)件\(chineseRate(percent))"
    }

    /// `二` … `十` for 2…10, digits beyond.
    static func chineseOrdinal(_ n: Int64) -> String {
        let words = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return (0...10).contains(n) ? words[Int(n)] : String(n)
    }

    /// `满100减10`: yuan without trailing zeros, as price tags write it.
    static func chineseSpendSave(_ threshold: Int64, _ save: Int64) -> String {
        "满\(shortYuan(threshold))减\(shortYuan(save))"
    }

    /// `100`, `99.5`, `9.99` (no currency sign, no trailing zeros).
    static func shortYuan(_ cents: Int64) -> String {
        var text = Money(cents: cents).description
        if text.hasPrefix("¥") { text.removeFirst() }
        if text.hasSuffix(".00") { return String(text.dropLast(3)) }
        if text.hasSuffix("0") && text.contains(".") { return String(text.dropLast()) }
        return text
    }

    /// `限时价 ¥9.90/件`, `会员价 ¥9.90/件`, `会员 9折`, `9折`.
    static func chineseOffer(_ offer: PricingNote.LineOffer, _ rule: PricingNote.LineRule) -> String {
        switch (offer, rule) {
        case (.unitPrice(let cents), .flashSale): return "限时价 \(Money(cents: cents))/件"
        case (.unitPrice(let cents), .memberPrice): return "会员价 \(Money(cents: cents))/件"
        case (.unitPrice(let cents), .percentOff): return "特价 \(Money(cents: cents))/件"
        case (.percentOff(let percent), .flashSale): return "限时 \(chineseRate(percent))"
        case (.percentOff(let percent), .memberPrice): return "会员 \(chineseRate(percent))"
        case (.percentOff(let percent), .percentOff): return chineseRate(percent)
        case (.listedPrices, .flashSale): return "限时价"
        case (.listedPrices, .memberPrice): return "会员价"
        case (.listedPrices, .percentOff): return "特价"
        }
    }

    /// `第 1 行`, `第 1、3 行`.
    static func chineseLines(_ lines: [Int]) -> String {
        "第 \(lines.map(String.init).joined(separator: "、")) 行"
    }

    /// `仅限会员使用`, `仅限 gold、silver 等级会员使用`, `仅限到店使用`.
    static func chineseRequirement(_ requirement: PricingNote.AudienceRequirement) -> String {
        switch requirement {
        case .membersOnly: return "仅限会员使用"
        case .memberLevels(let levels): return "仅限 \(levels.joined(separator: "、")) 等级会员使用"
        case .memberGroups(let groups): return "仅限会员分组 \(groups.joined(separator: "、")) 使用"
        case .stores(let stores): return "仅限门店 \(stores.joined(separator: "、")) 使用"
        case .channels(let channels):
            return "仅限\(channels.map { $0 == .pos ? "到店" : "线上" }.joined(separator: "或"))使用"
        }
    }
}
