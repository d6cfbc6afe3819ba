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
                description:
                    "\(best.promotion.name): \(Self.describe(best.price, sku: line.sku)) on line \(line.line) "
                    + "(\(line.sku) × \(line.quantity))",
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

    /// `10% off`, `¥9.90 each`.
    static func describe(_ price: LinePrice, sku: String) -> String {
        switch price {
        case .percentOff: return price.description
        case .unitPrice(let cents): return "\(Money(cents: max(cents, 0))) each"
        case .unitPrices(let prices): return prices[sku].map { "\(Money(cents: max($0, 0))) each" } ?? price.description
        }
    }
}
