extension PricingRun {
    /// Stage 3: gifts with purchase. Every gift promotion whose threshold the threshold base of its
    /// eligible lines reaches adds its gift as a zero-price line numbered after the cart's lines,
    /// in promotion id order. Gifts take nothing off the total.
    mutating func grantGifts(_ promotions: [Promotion]) {
        for p in promotions {
            guard case .gift(let sku, let name, let quantity, let threshold, let scope) = p.rule, quantity > 0 else {
                continue
            }
            let eligible = indices(in: scope)
            guard !eligible.isEmpty, base(of: eligible) >= threshold else { continue }
            let line = OrderLine(
                line: lines.count + gifts.count + 1, sku: sku, name: name, quantity: quantity, unitPrice: .zero)
            gifts.append(
                .init(
                    source: "promotion:\(p.id)",
                    note: .gift(
                        promotion: p.name, quantity: quantity, name: name, sku: sku, thresholdCents: threshold,
                        scope: scope),
                    line: line))
            noteApplied(p)
        }
    }

    /// Stage 4: spend-save (满减). Among the tiers of every spend-save promotion, the largest
    /// saving whose threshold the order's threshold base reaches applies, once (ties to the lower
    /// promotion id, then the earlier tier). It is capped at the net left and allocated to all
    /// lines in proportion to their net — not counting the units a free-item coupon reserved
    /// (`couponReserved`), which the coupon makes free anyway: a saving spread onto them would
    /// be lost, and an added dearer unit taking the reservation could lose part of the saving.
    mutating func applySpendSave(_ promotions: [Promotion]) {
        let reserved = Dictionary(couponReserved.map { ($0.index, $0.cents) }, uniquingKeysWith: +)
        let open = lines.indices.map { max(net($0) - (reserved[$0] ?? 0), 0) }
        let running = open.reduce(0, +)
        let reached = base(of: Array(lines.indices))
        var best: (promotion: Promotion, tier: Promotion.Tier)?
        for p in promotions {
            guard case .spendSave(let tiers) = p.rule else { continue }
            for t in tiers where reached >= t.thresholdCents && t.saveCents > (best?.tier.saveCents ?? 0) {
                best = (p, t)
            }
        }
        guard let (p, t) = best else { return }
        let save = min(t.saveCents, running)
        let all = Array(lines.indices)
        spendSaveApplied = p.id
        record(
            source: "promotion:\(p.id)",
            note: .spendSave(promotion: p.name, thresholdCents: t.thresholdCents, saveCents: t.saveCents),
            shares: Array(zip(all, PricingEngine.allocate(save, over: open))).map { (index: $0.0, cents: $0.1) })
        noteApplied(p)
    }

    /// `amount` spread over these line indices in proportion to their net (largest remainder,
    /// ties to the lower line number).
    func allocation(of amount: Int64, among indices: [Int]) -> [(index: Int, cents: Int64)] {
        let shares = PricingEngine.allocate(amount, over: indices.map { max(net($0), 0) })
        return Array(zip(indices, shares)).map { (index: $0.0, cents: $0.1) }
    }
}
