/// The pricing engine: pure and deterministic, so the same cart prices the same at every node.
///
/// Stacking, in this order:
/// 1. line promotions (`percentOff`): the best single one per line, rounded half-up to the fen;
/// 2. order promotions (`spendSave`): the best tier reached by the subtotal after step 1, once;
/// 3. one coupon, when the total after step 2 reaches its minimum spend, capped at that total.
/// Order-level discounts (steps 2 and 3) are allocated to lines in proportion to their net
/// amount (largest remainder, ties to the lower line number) so a partial refund of a line
/// returns what the customer really paid for it.
public enum PricingEngine {
    public struct Item: Sendable, Equatable {
        public var sku: String
        public var name: String
        public var quantity: Int64
        public var unitPrice: Money
        public init(sku: String, name: String, quantity: Int64, unitPrice: Money) {
            self.sku = sku
            self.name = name
            self.quantity = quantity
            self.unitPrice = unitPrice
        }
    }

    /// One applied discount, explained.
    public struct Discount: Sendable, Equatable, Codable {
        public var source: String
        public var description: String
        public var amountCents: Int64
    }

    public struct Quote: Sendable, Equatable {
        public var lines: [OrderLine]
        public var discounts: [Discount]
        public var subtotal: Money
        public var total: Money
        public var couponApplied: String?
        public var discountTotal: Money { subtotal - total }
    }

    public static func quote(items: [Item], promotions: [Promotion], coupon: Coupon?, at millis: Int64) -> Quote {
        let active = promotions.filter { $0.isActive(at: millis) }.sorted { $0.id < $1.id }
        var lines = items.enumerated().map { i, item in
            OrderLine(line: i + 1, sku: item.sku, name: item.name, quantity: item.quantity, unitPrice: item.unitPrice)
        }
        var discounts: [Discount] = []
        // 1. Best single line promotion per line.
        for i in lines.indices {
            var best: (Promotion, Int64)?
            for p in active {
                guard case .percentOff(let percent, let skus) = p.rule, skus.isEmpty || skus.contains(lines[i].sku)
                else { continue }
                let off = Int64((Int128(lines[i].gross.cents) * Int128(min(max(percent, 0), 100)) + 50) / 100)
                if off > (best?.1 ?? 0) { best = (p, off) }
            }
            if let (p, off) = best {
                lines[i].discount = Money(cents: off)
                discounts.append(
                    Discount(source: "promotion:\(p.id)", description: "\(p.name) on line \(i + 1) (\(lines[i].sku))",
                        amountCents: off))
            }
        }
        let subtotal = Money(cents: lines.reduce(0) { $0 + $1.gross.cents })
        var running = lines.reduce(Int64(0)) { $0 + $1.net.cents }
        // 2. Best spend-save tier.
        var bestTier: (Promotion, Promotion.Tier)?
        for p in active {
            guard case .spendSave(let tiers) = p.rule else { continue }
            for t in tiers where running >= t.thresholdCents && t.saveCents > (bestTier?.1.saveCents ?? 0) {
                bestTier = (p, t)
            }
        }
        if let (p, t) = bestTier {
            let save = min(t.saveCents, running)
            allocate(save, to: &lines)
            running -= save
            discounts.append(
                Discount(
                    source: "promotion:\(p.id)",
                    description: "\(p.name): spend \(Money(cents: t.thresholdCents)) save \(Money(cents: t.saveCents))",
                    amountCents: save))
        }
        // 3. One coupon.
        var applied: String?
        if let c = coupon, running >= c.minSpendCents, c.amountCents > 0 {
            let off = min(c.amountCents, running)
            allocate(off, to: &lines)
            running -= off
            applied = c.code
            discounts.append(Discount(source: "coupon:\(c.code)", description: "coupon \(c.code)", amountCents: off))
        }
        return Quote(
            lines: lines, discounts: discounts, subtotal: subtotal, total: Money(cents: running), couponApplied: applied)
    }

    /// Spreads `amount` over lines in proportion to their net amounts (largest remainder).
    static func allocate(_ amount: Int64, to lines: inout [OrderLine]) {
        let base = lines.map { $0.net.cents }
        let total = base.reduce(0, +)
        guard total > 0, amount > 0 else { return }
        // 128-bit products: base × amount can exceed Int64 for very large orders.
        var shares = base.map { Int64(Int128($0) * Int128(amount) / Int128(total)) }
        var remainder = amount - shares.reduce(0, +)
        let order = lines.indices.sorted { a, b in
            let ra = Int128(base[a]) * Int128(amount) % Int128(total)
            let rb = Int128(base[b]) * Int128(amount) % Int128(total)
            return ra != rb ? ra > rb : a < b
        }
        for i in order where remainder > 0 && shares[i] < base[i] {
            shares[i] += 1
            remainder -= 1
        }
        for i in lines.indices { lines[i].discount = lines[i].discount + Money(cents: shares[i]) }
    }
}
