extension PricingRun {
    /// Lists, in `skipped`, every applicable promotion that covers something in the cart but
    /// took nothing off and granted nothing, with the reason, so no promotion disappears from
    /// the explanation silently. Promotions that cover nothing in the cart are not listed.
    mutating func explainSkipped(_ promotions: [Promotion]) {
        var seen = Set(discounts.map(\.source) + gifts.map(\.source) + skipped.map(\.source))
        for p in promotions {
            let source = "promotion:\(p.id)"
            guard !seen.contains(source), let reason = reasonSkipped(p) else { continue }
            seen.insert(source)
            skipped.append(.init(source: source, reason: reason))
        }
    }

    /// Why `promotion` took nothing off, or nil when it covers nothing in this cart.
    func reasonSkipped(_ promotion: Promotion) -> String? {
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
            guard !better.isEmpty else {
                return "its price is not below the list price of \(Self.lineList(covered, lines))"
            }
            return
                "another line promotion prices \(Self.lineList(better, lines)) at least as low; line promotions do not stack"
        case .buyNGetM(let buy, let get, let scope, _):
            let eligible = indices(in: scope)
            guard !eligible.isEmpty else { return nil }
            let own = eligible.filter { multiBuyOwners[$0] == promotion.id }
            let others = Set(eligible.compactMap { multiBuyOwners[$0] }).subtracting([promotion.id]).sorted()
            if own.isEmpty, !others.isEmpty {
                return "its lines went to promotion \(others.joined(separator: ", ")), a better deal for them; "
                    + "a line takes part in one multi-buy promotion"
            }
            let units = own.reduce(Int64(0)) { $0 + lines[$1].quantity }
            if buy > 0, get > 0, units < buy &+ get {
                let left =
                    others.isEmpty
                    ? "" : " left after promotion \(others.joined(separator: ", ")) took its better deals"
                return "needs \(buy &+ get) units of \(scope.summary); this cart has \(units)\(left)"
            }
            if let code = couponApplied, couponReserved.contains(where: { own.contains($0.index) }) {
                return "the units it would discount are the ones coupon \(code) makes free"
            }
            return "nothing is left to take off its lines"
        case .gift(_, _, let quantity, let threshold, let scope):
            let eligible = indices(in: scope)
            guard !eligible.isEmpty, quantity > 0 else { return nil }
            let onWhat = scope.coversEverything ? "" : " on \(scope.summary)"
            return "needs \(Money(cents: threshold))\(onWhat); this cart has \(Money(cents: base(of: eligible))) "
                + "before member, spend-save and coupon discounts"
        case .spendSave(let tiers):
            guard let lowest = tiers.map(\.thresholdCents).min(), !lines.isEmpty else { return nil }
            let reached = base(of: all)
            guard reached >= lowest else {
                return "needs \(Money(cents: lowest)); this cart has \(Money(cents: reached)) "
                    + "before member, spend-save and coupon discounts"
            }
            guard let winner = spendSaveApplied, winner != promotion.id else { return "nothing is left to take off" }
            return "promotion \(winner) saves more; one spend-save promotion applies per order"
        }
    }

    /// `line 1`, `lines 1, 3`.
    static func lineList(_ indices: [Int], _ lines: [OrderLine]) -> String {
        (indices.count == 1 ? "line " : "lines ") + indices.map { String(lines[$0].line) }.joined(separator: ", ")
    }
}
