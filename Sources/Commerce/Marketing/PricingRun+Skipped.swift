extension PricingRun {
    /// Lists, in `skipped`, every applicable promotion that covers something in the cart but
    /// took nothing off and granted nothing, with the reason, so no promotion disappears from
    /// the explanation silently. Promotions that cover nothing in the cart are not listed.
    mutating func explainSkipped(_ promotions: [Promotion]) {
        var seen = Set(discounts.map(\.source) + gifts.map(\.source) + skipped.map(\.source))
        for p in promotions {
            let source = "promotion:\(p.id)"
            guard !seen.contains(source), let note = reasonSkipped(p) else { continue }
            seen.insert(source)
            skipped.append(.init(source: source, note: note))
        }
    }

    /// Why `promotion` took nothing off, or nil when it covers nothing in this cart.
    func reasonSkipped(_ promotion: Promotion) -> PricingNote? {
        let all = Array(lines.indices)
        switch promotion.rule {
        case .percentOff, .flashSale, .memberPrice:
            let covered = all.filter { linePrice(of: promotion, forLine: $0) != nil && lines[$0].quantity > 0 }
            guard !covered.isEmpty else { return nil }
            let better = covered.filter { i in
                linePrice(of: promotion, forLine: i).map {
                    $0.discount(sku: lines[i].sku, quantity: lines[i].quantity, unitCents: lines[i].unitPrice.cents) > 0
                } ?? false
            }
            guard !better.isEmpty else { return .lineRuleNotBelowListPrice(lines: covered.map { lines[$0].line }) }
            return .lineRuleBeaten(lines: better.map { lines[$0].line })
        case .buyNGetM(let buy, let get, let scope, _):
            let eligible = indices(in: scope)
            guard !eligible.isEmpty else { return nil }
            let own = eligible.filter { multiBuyOwners[$0] == promotion.id }
            let others = Set(eligible.compactMap { multiBuyOwners[$0] }).subtracting([promotion.id]).sorted()
            if own.isEmpty, !others.isEmpty { return .multiBuyLinesTaken(by: others) }
            let units = own.reduce(Int64(0)) { $0 + lines[$1].quantity }
            if buy > 0, get > 0, units < buy &+ get {
                return .multiBuyTooFewUnits(needs: buy &+ get, scope: scope, has: units, takenBy: others)
            }
            if let code = couponApplied, couponReserved.contains(where: { own.contains($0.index) }) {
                return .multiBuyUnitsFreedByCoupon(code: code)
            }
            return .nothingLeftOnLines
        case .gift(_, _, let quantity, let threshold, let scope):
            let eligible = indices(in: scope)
            guard !eligible.isEmpty, quantity > 0 else { return nil }
            return .giftBelowThreshold(thresholdCents: threshold, scope: scope, hasCents: base(of: eligible))
        case .spendSave(let tiers):
            guard let lowest = tiers.map(\.thresholdCents).min(), !lines.isEmpty else { return nil }
            let reached = base(of: all)
            guard reached >= lowest else {
                // The lowest tier's best saving: what the customer would get by reaching it.
                let save = tiers.filter { $0.thresholdCents == lowest }.map(\.saveCents).max() ?? 0
                return .spendSaveBelowThreshold(thresholdCents: lowest, saveCents: save, hasCents: reached)
            }
            guard let winner = spendSaveApplied, winner != promotion.id else { return .nothingLeft }
            return .spendSaveBeaten(by: winner)
        }
    }
}
