/// How good a buy-N-get-M deal is, per unit bought: the share of a full group that is
/// discounted, `get × percent ÷ (buy + get)` (buy one get one free: 1 × 100 % ÷ 2 = 50 %;
/// buy two get one free: 33⅓ %; buy one get one half price: 25 %).
///
/// A line covered by several multi-buy promotions takes the one that saves most on that line
/// alone (`saving`), and among equal savings the better deal (`ranksBefore`): the higher
/// discounted share, then the smaller group (easier to fill), then the lower promotion id.
/// Both read only the promotion and the line itself, never the rest of the cart, so adding an
/// item cannot move another line to another promotion.
struct MultiBuyDeal {
    let promotion: Promotion
    let buy: Int64
    let get: Int64
    let percent: Int64
    /// `get × percent`, compared as a fraction over `group`.
    let discounted: Int128
    /// `buy + get`.
    let group: Int128

    /// Nil for a promotion that is not a valid multi-buy deal (not buy-N-get-M, a zero or
    /// oversized `buy`/`get`, or nothing off): such a promotion takes no line.
    init?(_ promotion: Promotion) {
        guard case .buyNGetM(let buy, let get, _, let percent) = promotion.rule, buy > 0, get > 0,
            buy <= Int64.max / 2, get <= Int64.max / 2
        else { return nil }
        let clamped = min(max(percent, 0), 100)
        guard clamped > 0 else { return nil }
        self.promotion = promotion
        self.buy = buy
        self.get = get
        self.percent = clamped
        self.discounted = Int128(get) * Int128(clamped)
        self.group = Int128(buy) + Int128(get)
    }

    /// What this promotion would take off a line of `quantity` units worth `amount` fen if
    /// the line were the whole cart: `get` units of every full group of `buy + get`, at the
    /// line's unit amount (rounded half-up to the fen), times the percentage.
    func saving(quantity: Int64, amount: Int64) -> Int64 {
        guard quantity > 0, amount > 0 else { return 0 }
        let units = quantity / (buy + get) * get
        return PricingEngine.percent(percent, of: PricingEngine.share(of: amount, units: units, of: quantity))
    }

    /// Whether `a` is the better deal for a line both cover (see the type's ranking).
    /// Both must be valid multi-buy deals; an invalid one ranks last.
    static func ranksBefore(_ a: Promotion, _ b: Promotion) -> Bool {
        guard let x = MultiBuyDeal(a) else { return false }
        guard let y = MultiBuyDeal(b) else { return true }
        let lhs = x.discounted * y.group
        let rhs = y.discounted * x.group
        if lhs != rhs { return lhs > rhs }
        if x.group != y.group { return x.group < y.group }
        return a.id < b.id
    }
}

extension Promotion {
    /// How narrow the audience is, for deciding a line's multi-buy promotion: 0 for everyone,
    /// 1 for any member (members only), 2 for member levels or groups.
    var audienceTier: Int {
        if !audience.memberLevels.isEmpty || !audience.memberGroups.isEmpty { return 2 }
        return dependsOnMember ? 1 : 0
    }

    /// True for a buy-N-get-M (multi-buy) promotion.
    var isMultiBuy: Bool {
        if case .buyNGetM = rule { return true }
        return false
    }

    /// Whether a multi-buy promotion's scope covers an item (false for other rules).
    func covers(sku: String, category: CategoryPath?) -> Bool {
        guard case .buyNGetM(_, _, let scope, _) = rule else { return false }
        return scope.contains(sku: sku, category: category)
    }
}
