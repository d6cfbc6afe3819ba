extension PricingRun {
    /// What one multi-buy promotion would take off the lines it may still use.
    struct MultiBuyPlan {
        var eligible: [Int]
        var shares: [(index: Int, cents: Int64)]
        var freeUnits: Int64
        var total: Int64 { shares.reduce(0) { $0 + $1.cents } }
    }

    /// Stage 2: buy-N-get-M promotions on the net left after line rules.
    ///
    /// Each line takes part in at most one multi-buy promotion. Repeatedly, the promotion that
    /// would save most on the lines not yet taken is applied (ties to the lower id) and takes all
    /// its eligible lines; it stops when no promotion saves anything.
    mutating func applyMultiBuy(_ promotions: [Promotion]) {
        var pending = promotions.filter {
            if case .buyNGetM = $0.rule { return true }
            return false
        }
        var taken: Set<Int> = []
        while true {
            var best: (position: Int, plan: MultiBuyPlan)?
            for (position, p) in pending.enumerated() {
                guard let plan = multiBuyPlan(p, excluding: taken) else { continue }
                if plan.total > (best?.plan.total ?? 0) { best = (position, plan) }
            }
            guard let best else { return }
            let p = pending.remove(at: best.position)
            taken.formUnion(best.plan.eligible)
            record(source: "promotion:\(p.id)", description: describe(p, best.plan), shares: best.plan.shares)
            noteApplied(p)
        }
    }

    /// Pools the units of the eligible lines not yet taken; for each full group of `buy + get`
    /// units, the `get` cheapest units are discounted by `getPercentOff` percent. A line's share
    /// is its discounted units' part of its net, rounded half-up to the fen.
    func multiBuyPlan(_ promotion: Promotion, excluding taken: Set<Int>) -> MultiBuyPlan? {
        guard case .buyNGetM(let buy, let get, let scope, let percent) = promotion.rule, buy > 0, get > 0 else {
            return nil
        }
        let eligible = indices(in: scope).filter { !taken.contains($0) && net($0) > 0 }
        let units = eligible.reduce(Int64(0)) { $0 + lines[$1].quantity }
        let free = units / (buy + get) * get
        guard free > 0 else { return nil }
        let shares = cheapestUnits(among: eligible, upTo: free).map { i, k in
            let value = PricingEngine.share(of: net(i), units: k, of: lines[i].quantity)
            return (index: i, cents: PricingEngine.percent(percent, of: value))
        }
        return MultiBuyPlan(eligible: eligible, shares: shares, freeUnits: free)
    }

    /// `Tea BOGO: buy 1 get 1 free on TEA-01, TEA-02 — the 2 cheapest units free`.
    func describe(_ promotion: Promotion, _ plan: MultiBuyPlan) -> String {
        guard case .buyNGetM(let buy, let get, let scope, let percent) = promotion.rule else { return promotion.name }
        let clamped = min(max(percent, 0), 100)
        let deal = clamped == 100 ? "free" : "\(clamped)% off"
        let units = plan.freeUnits == 1 ? "the cheapest unit" : "the \(plan.freeUnits) cheapest units"
        return "\(promotion.name): buy \(buy) get \(get) \(deal) on \(scope.summary) — \(units) \(deal)"
    }
}
