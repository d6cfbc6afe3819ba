extension PricingRun {
    /// Stage 1: the best single line rule (`percentOff`, `flashSale`, `memberPrice`) per line.
    ///
    /// Line rules do not stack: a flash sale and a member price on one line compete and the larger
    /// discount wins; equal discounts go to the lower promotion id (promotions arrive sorted).
    mutating func applyLineRules(_ promotions: [Promotion]) {
        for i in lines.indices {
            var best: (promotion: Promotion, cents: Int64, price: LinePrice)?
            for p in promotions {
                guard let price = linePrice(of: p, forLine: i) else { continue }
                let cents = min(
                    price.discount(sku: lines[i].sku, quantity: lines[i].quantity, unitCents: lines[i].unitPrice.cents),
                    max(net(i), 0))
                if cents > (best?.cents ?? 0) { best = (p, cents, price) }
            }
            guard let best else { continue }
            let line = lines[i]
            record(
                source: "promotion:\(best.promotion.id)",
                note: .lineRule(
                    promotion: best.promotion.name, rule: Self.kind(of: best.promotion),
                    offer: Self.offer(best.price, sku: line.sku), line: line.line, sku: line.sku,
                    quantity: line.quantity, level: best.promotion.levelName),
                shares: [(i, best.cents)])
            noteApplied(best.promotion)
        }
    }

    /// The price a line rule offers line index `i`, or nil when it is not a line rule or does not
    /// cover the line (or the customer, for member prices).
    func linePrice(of promotion: Promotion, forLine i: Int) -> LinePrice? {
        let sku = items[i].sku
        switch promotion.rule {
        case .percentOff(let percent, let skus):
            return skus.isEmpty || skus.contains(sku) ? .percentOff(percent) : nil
        case .flashSale(let scope, let price):
            return scope.contains(sku: sku, category: items[i].category) ? price : nil
        case .memberPrice(let levels, let scope, let price):
            guard let level = context.memberLevel, levels.isEmpty || levels.contains(level),
                scope.contains(sku: sku, category: items[i].category)
            else { return nil }
            return price
        case .spendSave, .buyNGetM, .gift:
            return nil
        }
    }

    /// What `price` offers a line of `sku`: a percentage (clamped to 0–100) or a unit price.
    static func offer(_ price: LinePrice, sku: String) -> PricingNote.LineOffer {
        switch price {
        case .percentOff(let percent): return .percentOff(min(max(percent, 0), 100))
        case .unitPrice(let cents): return .unitPrice(cents: max(cents, 0))
        case .unitPrices(let prices): return prices[sku].map { .unitPrice(cents: max($0, 0)) } ?? .listedPrices
        }
    }

    /// The kind of a line rule (percent-off for any other rule, which never prices a line).
    static func kind(of promotion: Promotion) -> PricingNote.LineRule {
        switch promotion.rule {
        case .flashSale: return .flashSale
        case .memberPrice: return .memberPrice
        default: return .percentOff
        }
    }
}
