extension PricingRun {
    /// A multi-buy promotion's decision: the lines it takes and the units it discounts per line.
    struct MultiBuyPick {
        var promotion: Promotion
        var eligible: [Int]
        /// (line index, units discounted), by line index.
        var units: [(index: Int, units: Int64)]
        var freeUnits: Int64 { units.reduce(0) { $0 + $1.units } }
    }

    /// Stage 2: buy-N-get-M promotions on the net left after line rules.
    ///
    /// Each line takes part in at most one multi-buy promotion. The promotions for everyone
    /// were decided by the everyone-run on the threshold base (`sharedMultiBuy`); their units are
    /// discounted here at the lines' own net, so a member discount never moves a free unit.
    /// Then, on the lines left, repeatedly the promotion that would save most is applied (ties
    /// to the lower id) and takes all its eligible lines, until none saves anything.
    mutating func applyMultiBuy(_ promotions: [Promotion]) {
        var taken: Set<Int> = []
        for pick in sharedMultiBuy {
            taken.formUnion(pick.eligible)
            take(pick)
        }
        // The everyone-run decides the promotions for everyone; a real run only adds those for
        // members, on the lines left.
        var pending = promotions.filter {
            guard case .buyNGetM = $0.rule else { return false }
            return decidesShared || $0.dependsOnMember
        }
        while true {
            var best: (position: Int, pick: MultiBuyPick, saving: Int64)?
            for (position, p) in pending.enumerated() {
                guard let pick = multiBuyPick(p, excluding: taken) else { continue }
                let saving = shares(of: pick).reduce(0) { $0 + $1.cents }
                if saving > (best?.saving ?? 0) { best = (position, pick, saving) }
            }
            guard let best else { return }
            pending.remove(at: best.position)
            taken.formUnion(best.pick.eligible)
            take(best.pick)
        }
    }

    /// Records a pick's discount at the lines' current net.
    mutating func take(_ pick: MultiBuyPick) {
        multiBuyPicks.append(pick)
        if record(source: "promotion:\(pick.promotion.id)", description: describe(pick), shares: shares(of: pick)) > 0 {
            noteApplied(pick.promotion)
        }
    }

    /// Each discounted line's share: its discounted units' part of its net, rounded half-up to
    /// the fen, times the promotion's percentage.
    func shares(of pick: MultiBuyPick) -> [(index: Int, cents: Int64)] {
        guard case .buyNGetM(_, _, _, let percent) = pick.promotion.rule else { return [] }
        return pick.units.map { i, k in
            (index: i, cents: PricingEngine.percent(percent, of: PricingEngine.share(of: net(i), units: k, of: lines[i].quantity)))
        }
    }

    /// The lines a multi-buy promotion takes among those not yet taken, and the units it
    /// discounts: the eligible units are ranked dearest first and grouped by `buy + get`; the
    /// `get` cheapest units of each full group are discounted. Nil when no group is full.
    func multiBuyPick(_ promotion: Promotion, excluding taken: Set<Int>) -> MultiBuyPick? {
        guard case .buyNGetM(let buy, let get, let scope, _) = promotion.rule, buy > 0, get > 0,
            buy <= Int64.max / 2, get <= Int64.max / 2
        else { return nil }
        let eligible = indices(in: scope).filter { !taken.contains($0) && net($0) > 0 }
        let units = groupedUnits(among: eligible, buy: buy, get: get)
        guard !units.isEmpty else { return nil }
        return MultiBuyPick(promotion: promotion, eligible: eligible, units: units)
    }

    /// For each full group of `buy + get` units, dearest first, the `get` last (cheapest) units
    /// of the group: (line index, units), by line index. Units are ranked by their net (line
    /// net ÷ quantity) as `cheapestUnits` ranks them; equally priced units rank the lower line
    /// number as cheaper, so it is the one discounted.
    ///
    /// Grouping dearest first, rather than discounting the cheapest units of the whole pool,
    /// keeps pricing monotone: adding an item never costs more than its own price (with the
    /// pool rule, a ¥5 item added to two ¥20 items would become the free one).
    func groupedUnits(among indices: [Int], buy: Int64, get: Int64) -> [(index: Int, units: Int64)] {
        let ascending = cheapestUnits(among: indices, upTo: Int64.max)
        let pool = ascending.reduce(Int64(0)) { $0 + $1.units }
        let period = buy + get
        let full = pool / period * period
        /// Discounted positions among the first `x` (dearest first).
        func discounted(before x: Int64) -> Int64 {
            let x = min(x, full)
            return x / period * get + max(0, x % period - buy)
        }
        var start: Int64 = 0
        var out: [(index: Int, units: Int64)] = []
        for (i, q) in ascending.reversed() {
            let k = discounted(before: start + q) - discounted(before: start)
            if k > 0 { out.append((i, k)) }
            start += q
        }
        return out.sorted { $0.index < $1.index }
    }

    /// `Tea BOGO: buy 1 get 1 free on TEA-01, TEA-02 — 2 units free, the cheapest of each 2 (dearest first)`.
    func describe(_ pick: MultiBuyPick) -> String {
        let promotion = pick.promotion
        guard case .buyNGetM(let buy, let get, let scope, let percent) = promotion.rule else { return promotion.name }
        let clamped = min(max(percent, 0), 100)
        let deal = clamped == 100 ? "free" : "\(clamped)% off"
        let head = "\(promotion.name): buy \(buy) get \(get) \(deal) on \(scope.summary)"
        if pick.freeUnits == 1 { return "\(head) — the cheapest unit \(deal)" }
        return "\(head) — \(pick.freeUnits) units \(deal), the cheapest of each \(buy + get) (dearest first)"
    }
}
