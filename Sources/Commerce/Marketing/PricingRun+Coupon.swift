extension PricingRun {
    /// Stage 5: at most one coupon, after every promotion.
    ///
    /// Checked in order: validity window, audience, exclusive promotions, eligible lines, minimum
    /// spend (on the eligible lines' threshold base); the first failure is kept in
    /// `couponRejection`. A coupon that would take nothing off is not applied either.
    mutating func apply(_ coupon: Coupon) {
        let code = coupon.code
        if let s = coupon.startsAt, context.now < s { return reject(.couponNotYetValid(code: code)) }
        if let e = coupon.endsAt, context.now >= e { return reject(.couponExpired(code: code)) }
        if let mismatch = coupon.audience.mismatch(with: context) {
            return reject(.couponAudience(code: code, requirement: coupon.audience.requirement(mismatch)))
        }
        if let promotion = exclusiveApplied.first {
            return reject(.couponExcludedByPromotion(code: code, promotion: promotion))
        }
        let eligible = indices(in: coupon.scope)
        guard !eligible.isEmpty else { return reject(.couponNoEligibleItems(code: code, scope: coupon.scope)) }
        let spend = base(of: eligible)
        guard spend >= coupon.minSpendCents else {
            return reject(
                .couponBelowMinimumSpend(
                    code: code, minSpendCents: coupon.minSpendCents, scope: coupon.scope, hasCents: spend))
        }
        let eligibleNet = net(of: eligible)
        let source = "coupon:\(code)"
        let applied: Int64
        switch coupon.kind {
        case .amountOff(let cents):
            let off = min(max(cents, 0), max(eligibleNet, 0))
            applied = record(
                source: source, note: .couponAmountOff(code: code, offCents: off, scope: coupon.scope),
                shares: allocation(of: off, among: eligible))
        case .percentOff(let percent, let cap):
            let raw = PricingEngine.percent(percent, of: max(eligibleNet, 0))
            let off = cap.map { min(raw, max($0, 0)) } ?? raw
            applied = record(
                source: source,
                note: .couponPercentOff(
                    code: code, percent: min(max(percent, 0), 100), ofCents: eligibleNet, scope: coupon.scope,
                    cappedAtCents: off < raw ? off : nil),
                shares: allocation(of: off, among: eligible))
        case .freeItem(let sku, let maxUnits):
            let candidates = lines.indices.filter { lines[$0].sku == sku }
            guard !candidates.isEmpty else { return reject(.couponFreeItemMissing(code: code, sku: sku)) }
            // The units reserved before multi-buy, at their net then (capped at what is left).
            let free =
                couponReserved.isEmpty
                ? dearestUnits(among: candidates, upTo: max(maxUnits, 0)).map { i, k in
                    (index: i, units: k, cents: PricingEngine.share(of: net(i), units: k, of: lines[i].quantity))
                } : couponReserved
            let units = free.reduce(Int64(0)) { $0 + $1.units }
            applied = record(
                source: source, note: .couponFreeItem(code: code, units: units, sku: sku),
                shares: free.map { (index: $0.index, cents: $0.cents) })
        case .freeShipping:
            let fee = max(context.shippingFee.cents, 0)
            if fee > 0 {
                shippingDiscount = fee
                discounts.append(
                    .init(source: source, note: .couponFreeShipping(code: code, feeCents: fee), amountCents: fee))
            }
            applied = fee
        }
        guard applied > 0 else { return reject(.couponNothingToDiscount(code: code)) }
        couponApplied = code
    }

    /// Before multi-buy: the units a free-item coupon will make free, when nothing that is
    /// known by then refuses it (validity, audience, items, minimum spend on the threshold
    /// base): its `maxUnits` dearest units at their net after line rules. Multi-buy then ranks
    /// them at zero, and the coupon frees exactly them at that net (`apply`). Decided per unit
    /// before multi-buy, an added item can no longer move a multi-buy discount onto the units
    /// the coupon frees and so make the coupon worth less than the added item saved.
    mutating func reserveFreeItems(_ coupon: Coupon) {
        guard case .freeItem(let sku, let maxUnits) = coupon.kind else { return }
        if let s = coupon.startsAt, context.now < s { return }
        if let e = coupon.endsAt, context.now >= e { return }
        guard coupon.audience.mismatch(with: context) == nil else { return }
        let eligible = indices(in: coupon.scope)
        guard !eligible.isEmpty, base(of: eligible) >= coupon.minSpendCents else { return }
        let candidates = lines.indices.filter { lines[$0].sku == sku }
        couponReserved = dearestUnits(among: candidates, upTo: max(maxUnits, 0)).map { i, k in
            (index: i, units: k, cents: PricingEngine.share(of: net(i), units: k, of: lines[i].quantity))
        }
    }

    mutating func reject(_ note: PricingNote) {
        couponRejection = CouponRejection(note)
    }
}
