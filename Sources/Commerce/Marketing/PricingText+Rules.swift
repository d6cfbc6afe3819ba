/// A promotion's or a coupon's rule as head office reads it in a list, worded like the pricing
/// facts (`满100减10、满200减25`, `9折（TEA-01）`, `买2送1`, `满 ¥200.00 赠 1 件 Mug`), with who may
/// use it (`仅限会员`, `仅限门店 S1`).
extension PricingText {
    /// What `rule` gives, in `language`.
    public static func rule(_ rule: Promotion.Rule, in language: Language) -> String {
        let zh = language == .chinese
        switch rule {
        case let .percentOff(percent, skus):
            let scope = ItemScope(skus: skus)
            return zh
                ? "\(chineseRate(percent))\(chineseLimit(scope))" : "\(percent)% off \(englishScope(scope))"
        case .spendSave(let tiers):
            let sorted = tiers.sorted { $0.thresholdCents < $1.thresholdCents }
            return zh
                ? sorted.map { chineseSpendSave($0.thresholdCents, $0.saveCents) }.joined(separator: "、")
                : sorted.map { "spend \(Money(cents: $0.thresholdCents)) save \(Money(cents: $0.saveCents))" }
                    .joined(separator: ", ")
        case let .flashSale(scope, price):
            return zh
                ? "限时\(chinesePrice(price))（\(chineseScope(scope))）"
                : "flash sale: \(englishPrice(price)) on \(englishScope(scope))"
        case let .memberPrice(levels, scope, price):
            let who =
                levels.isEmpty
                ? (zh ? "会员" : "members")
                : (zh ? "\(levels.joined(separator: "、")) 等级会员" : "levels \(levels.joined(separator: ", "))")
            return zh
                ? "\(who)\(chinesePrice(price))（\(chineseScope(scope))）"
                : "\(who): \(englishPrice(price)) on \(englishScope(scope))"
        case let .buyNGetM(buy, get, scope, percent):
            return zh
                ? "\(chineseMultiBuy(buy: buy, get: get, percent: percent))（\(chineseScope(scope))）"
                : "buy \(buy) get \(get) \(percent == 100 ? "free" : "\(percent)% off") on \(englishScope(scope))"
        case let .gift(sku, name, quantity, threshold, scope):
            return zh
                ? "\(scope.coversEverything ? "" : "\(chineseScope(scope)) ")满 \(Money(cents: threshold)) 赠 \(quantity) 件 \(name)（\(sku)）"
                : "gift \(quantity) × \(name) (\(sku)) for spending \(Money(cents: threshold))\(englishOn(scope))"
        }
    }

    /// What a coupon of `kind` takes off, with its minimum spend and scope.
    public static func coupon(_ coupon: Coupon, in language: Language) -> String {
        let zh = language == .chinese
        let off: String
        switch coupon.kind {
        case .amountOff(let cents): off = zh ? "减 \(Money(cents: cents))" : "\(Money(cents: cents)) off"
        case let .percentOff(percent, cap):
            off =
                zh
                ? "打\(chineseRate(percent))\(cap.map { "，最多减 \(Money(cents: $0))" } ?? "")"
                : "\(percent)% off\(cap.map { " (at most \(Money(cents: $0)))" } ?? "")"
        case let .freeItem(sku, units): off = zh ? "\(units) 件 \(sku) 免单" : "\(units) × \(sku) free"
        case .freeShipping: off = zh ? "免运费" : "free shipping"
        }
        let minimum = coupon.minSpendCents
        if zh {
            return (minimum > 0 ? "满 \(Money(cents: minimum)) " : "") + off + chineseLimit(coupon.scope)
        }
        return off + (minimum > 0 ? " on a spend of \(Money(cents: minimum))" : "") + englishOn(coupon.scope)
    }

    /// Who may use a promotion or coupon, or nil when everyone may.
    public static func audience(_ audience: Audience, in language: Language) -> String? {
        var requirements: [PricingNote.AudienceRequirement] = []
        if audience.membersOnly { requirements.append(.membersOnly) }
        if !audience.memberLevels.isEmpty { requirements.append(.memberLevels(audience.memberLevels)) }
        if !audience.memberGroups.isEmpty { requirements.append(.memberGroups(audience.memberGroups)) }
        if !audience.stores.isEmpty { requirements.append(.stores(audience.stores)) }
        if !audience.channels.isEmpty { requirements.append(.channels(audience.channels)) }
        guard !requirements.isEmpty else { return nil }
        return requirements.map {
            language == .chinese ? chineseRequirement($0) : englishRequirement($0)
        }.joined(separator: language == .chinese ? "；" : "; ")
    }

    /// `9折`, `¥9.90/件`, `特价（按商品）`.
    static func chinesePrice(_ price: LinePrice) -> String {
        switch price {
        case .percentOff(let percent): return chineseRate(percent)
        case .unitPrice(let cents): return "价 \(Money(cents: cents))/件"
        case .unitPrices(let prices):
            return "价 " + prices.keys.sorted().map { "\($0) \(Money(cents: prices[$0] ?? 0))" }.joined(separator: "、")
        }
    }

    /// `10% off`, `¥9.90 each`.
    static func englishPrice(_ price: LinePrice) -> String {
        switch price {
        case .percentOff(let percent): return "\(percent)% off"
        case .unitPrice(let cents): return "\(Money(cents: cents)) each"
        case .unitPrices(let prices):
            return prices.keys.sorted().map { "\($0) at \(Money(cents: prices[$0] ?? 0))" }.joined(separator: ", ")
        }
    }
}
