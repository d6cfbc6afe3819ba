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
    /// Each line takes part in at most one multi-buy promotion, and **which one is decided for
    /// that line alone** (`multiBuyOwners`, on its threshold base, the same for a guest and a
    /// member), never by a choice that depends on the other lines of the cart. Each promotion
    /// then groups the units of its own lines, ranked dearest first by their net, and discounts
    /// them at that net, in promotion id order.
    ///
    /// Why this keeps pricing monotone: what is paid for a pool is a sum of its units' nets in
    /// rank order with non-negative weights (1 for a paid unit, 1 − percent for a discounted
    /// one), so it can only fall when a unit gets cheaper (a member price), and a pool with one
    /// more unit ranks every old unit at or after where it was, so it never discounts less. An
    /// added line joins one pool and leaves every other line's promotion as it was.
    mutating func applyMultiBuy(_ promotions: [Promotion]) {
        multiBuyOwners = Self.multiBuyOwners(
            lines: lines.indices.filter { lines[$0].quantity > 0 }.map {
                (index: $0, quantity: lines[$0].quantity, amount: base[$0])
            },
            promotions.filter(\.isMultiBuy)
        ) { $0.covers(sku: items[$1].sku, category: items[$1].category) }
        for p in promotions where p.isMultiBuy {
            if let pick = multiBuyPick(p) { take(pick) }
        }
    }

    /// The multi-buy promotion of each line (by index), decided for each line alone: among the
    /// promotions of the widest audience that cover it (`Promotion.audienceTier`: everyone, then
    /// members, then member levels and groups), the one
    /// that would save most on that line by itself (`MultiBuyDeal.saving`); when several save
    /// the same — a single unit, which no promotion discounts alone, saves nothing under any —
    /// the better deal (`MultiBuyDeal.ranksBefore`). Lines no promotion covers are left out.
    ///
    /// Wider audiences come first so joining, or reaching a level, never takes a line away from
    /// a promotion the customer had without it (that could make them pay more).
    static func multiBuyOwners(
        lines: [(index: Int, quantity: Int64, amount: Int64)], _ promotions: [Promotion],
        covers: (Promotion, Int) -> Bool
    ) -> [Int: String] {
        let deals = promotions.compactMap(MultiBuyDeal.init)
        var owners: [Int: String] = [:]
        for line in lines {
            let covering = deals.filter { covers($0.promotion, line.index) }
            guard let tier = covering.map(\.promotion.audienceTier).min() else { continue }
            let candidates = covering.filter { $0.promotion.audienceTier == tier }
            let best = candidates.min { a, b in
                let (x, y) = (
                    a.saving(quantity: line.quantity, amount: line.amount),
                    b.saving(quantity: line.quantity, amount: line.amount)
                )
                return x != y ? x > y : MultiBuyDeal.ranksBefore(a.promotion, b.promotion)
            }
            if let best { owners[line.index] = best.promotion.id }
        }
        return owners
    }

    /// Records a pick's discount at the lines' current net.
    mutating func take(_ pick: MultiBuyPick) {
        multiBuyPicks.append(pick)
        if record(source: "promotion:\(pick.promotion.id)", note: note(pick), shares: shares(of: pick)) > 0 {
            noteApplied(pick.promotion)
        }
    }

    /// Each discounted line's share: its discounted units' part of its net, rounded half-up to
    /// the fen, times the promotion's percentage. Counted after the units a free-item coupon
    /// reserved on the line (`share(k + r) − share(r)`), so the two add up to the fen.
    func shares(of pick: MultiBuyPick) -> [(index: Int, cents: Int64)] {
        guard case .buyNGetM(_, _, _, let percent) = pick.promotion.rule else { return [] }
        let reserved = Dictionary(couponReserved.map { ($0.index, $0.units) }, uniquingKeysWith: +)
        return pick.units.map { i, k in
            let q = lines[i].quantity
            let r = min(reserved[i] ?? 0, q)
            let part =
                PricingEngine.share(of: net(i), units: min(k &+ r, q), of: q)
                - PricingEngine.share(of: net(i), units: r, of: q)
            return (index: i, cents: PricingEngine.percent(percent, of: part))
        }
    }

    /// The lines of a multi-buy promotion (those whose owner it is, `multiBuyOwners`), and the
    /// units it discounts: the eligible units are ranked
    /// dearest first and grouped by `buy + get`; the `get` cheapest units of each full group
    /// are discounted. Nil when no group is full.
    func multiBuyPick(_ promotion: Promotion) -> MultiBuyPick? {
        guard case .buyNGetM(let buy, let get, let scope, _) = promotion.rule, MultiBuyDeal(promotion) != nil else {
            return nil
        }
        let eligible = indices(in: scope).filter { multiBuyOwners[$0] == promotion.id }
        let units = groupedUnits(among: eligible, buy: buy, get: get)
        guard !units.isEmpty else { return nil }
        return MultiBuyPick(promotion: promotion, eligible: eligible, units: units)
    }

    /// For each full group of `buy + get` units, dearest first, the `get` last (cheapest) units
    /// of the group: (line index, units), by line index. Units are ranked by their net (line
    /// net ÷ quantity); equally priced units rank the lower line number as cheaper, so it is
    /// the one discounted. Units a free-item coupon reserved (`couponReserved`) and lines with
    /// nothing left to pay stay in the pool at zero, the cheapest: leaving them out could leave
    /// a group incomplete and make the other units dearer.
    ///
    /// Grouping dearest first, rather than discounting the cheapest units of the whole pool,
    /// keeps pricing monotone: adding an item never costs more than its own price (with the
    /// pool rule, a ¥5 item added to two ¥20 items would become the free one).
    func groupedUnits(among indices: [Int], buy: Int64, get: Int64) -> [(index: Int, units: Int64)] {
        let reserved = Dictionary(couponReserved.map { ($0.index, $0.units) }, uniquingKeysWith: +)
        // (line index, units, at zero), cheapest first.
        var slices: [(index: Int, units: Int64, zero: Bool)] = []
        for i in indices where lines[i].quantity > 0 {
            let r = min(max(reserved[i] ?? 0, 0), lines[i].quantity)
            if r > 0 { slices.append((i, r, true)) }
            if lines[i].quantity > r { slices.append((i, lines[i].quantity - r, net(i) <= 0)) }
        }
        slices.sort { a, b in
            if a.zero != b.zero { return a.zero }
            if !a.zero {
                let lhs = Int128(net(a.index)) * Int128(lines[b.index].quantity)
                let rhs = Int128(net(b.index)) * Int128(lines[a.index].quantity)
                if lhs != rhs { return lhs < rhs }
            }
            return a.index < b.index
        }
        let pool = slices.reduce(Int64(0)) { $0 + $1.units }
        let period = buy + get
        let full = pool / period * period
        /// Discounted positions among the first `x` (dearest first).
        func discounted(before x: Int64) -> Int64 {
            let x = min(x, full)
            return x / period * get + max(0, x % period - buy)
        }
        var start: Int64 = 0
        var out: [Int: Int64] = [:]
        for slice in slices.reversed() {
            let k = discounted(before: start + slice.units) - discounted(before: start)
            if k > 0 && !slice.zero { out[slice.index, default: 0] += k }
            start += slice.units
        }
        return out.map { (index: $0.key, units: $0.value) }.sorted { $0.index < $1.index }
    }

    /// `Tea BOGO: buy 1 get 1 free on TEA-01, TEA-02 — 2 units free, the cheapest of each 2 (dearest first)`.
    func note(_ pick: MultiBuyPick) -> PricingNote {
        let promotion = pick.promotion
        guard case .buyNGetM(let buy, let get, let scope, let percent) = promotion.rule else {
            return .multiBuy(promotion: promotion.name, buy: 0, get: 0, percentOff: 0, scope: .all, freeUnits: 0)
        }
        return .multiBuy(
            promotion: promotion.name, buy: buy, get: get, percentOff: min(max(percent, 0), 100), scope: scope,
            freeUnits: pick.freeUnits)
    }
}
