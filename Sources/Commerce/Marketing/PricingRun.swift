/// One pricing of one cart, stage by stage: the working state of `PricingEngine.quote`.
///
/// Thresholds are read from `base` (see `PricingEngine`), discounts from the lines' own net.
///
/// Each stage (`applyLineRules`, `applyMultiBuy`, `grantGifts`, `applySpendSave`, `apply(_:)`)
/// reads the lines' current net and records its discounts through `record`, which is the only
/// place line discounts change, so `Quote.discounts` and the lines always agree.
struct PricingRun {
    let items: [PricingEngine.Item]
    let context: PricingContext
    var lines: [OrderLine]
    var discounts: [PricingEngine.Discount] = []
    var gifts: [PricingEngine.Gift] = []
    /// Ids of exclusive promotions that applied, in the order they applied.
    var exclusiveApplied: [String] = []
    var shippingDiscount: Int64 = 0
    var couponApplied: String?
    var couponRejection: CouponRejection?
    /// Applicable promotions that took nothing off, each with its reason.
    var skipped: [PricingEngine.Skipped] = []
    /// The threshold base of each line, by index: its net after the line rules that apply to
    /// everyone, before multi-buy, member-only, spend-save and coupon discounts.
    /// Every threshold (spend-save tiers, gifts, a coupon's minimum spend) is judged on it.
    let base: [Int64]
    /// The spend-save promotion applied, if any.
    var spendSaveApplied: String?
    /// Multi-buy promotions this run applied, in the order applied.
    var multiBuyPicks: [MultiBuyPick] = []
    /// The multi-buy promotion id of each line index it covers (`multiBuyOwners`).
    var multiBuyOwners: [Int: String] = [:]
    /// The units a free-item coupon will make free, reserved before multi-buy at their net
    /// after line rules (`reserveFreeItems`): (line index, units, fen).
    var couponReserved: [(index: Int, units: Int64, cents: Int64)] = []

    /// A run whose threshold base is the lines' gross (no promotion applies to everyone yet):
    /// the run that computes the base itself.
    init(items: [PricingEngine.Item], context: PricingContext) {
        self.init(items: items, context: context, base: items.map { $0.unitPrice.cents &* $0.quantity })
    }

    /// A run with the threshold base of the everyone-run.
    init(items: [PricingEngine.Item], context: PricingContext, base: [Int64]) {
        self.items = items
        self.context = context
        self.base = base
        self.lines = items.enumerated().map { i, item in
            OrderLine(line: i + 1, sku: item.sku, name: item.name, quantity: item.quantity, unitPrice: item.unitPrice)
        }
    }

    /// The summed threshold base of these line indices, in fen.
    func base(of indices: [Int]) -> Int64 { indices.reduce(0) { $0 + base[$1] } }

    /// What the customer pays so far: the lines' net plus the shipping charged.
    var total: Int64 {
        let fee = max(context.shippingFee.cents, 0)
        return lines.reduce(Int64(0)) { $0 + $1.net.cents } + fee - min(shippingDiscount, fee)
    }

    /// The net of line index `i`, in fen.
    func net(_ i: Int) -> Int64 { lines[i].net.cents }

    /// The summed net of these line indices, in fen.
    func net(of indices: [Int]) -> Int64 { indices.reduce(0) { $0 + net($1) } }

    /// Indices of the lines in `scope` that have something to sell (positive quantity).
    func indices(in scope: ItemScope) -> [Int] {
        lines.indices.filter {
            lines[$0].quantity > 0 && scope.contains(sku: items[$0].sku, category: items[$0].category)
        }
    }

    /// Applies a discount: each share (line index, fen) is capped at that line's net and added to
    /// its discount; the discount is listed when it takes anything off. Returns the amount taken.
    @discardableResult
    mutating func record(source: String, note: PricingNote, shares: [(index: Int, cents: Int64)]) -> Int64 {
        var allocation: [PricingEngine.Discount.Share] = []
        for (i, cents) in shares.sorted(by: { $0.index < $1.index }) {
            let taken = min(cents, max(net(i), 0))
            guard taken > 0 else { continue }
            lines[i].discount = lines[i].discount + Money(cents: taken)
            allocation.append(.init(line: lines[i].line, amountCents: taken))
        }
        let amount = allocation.reduce(0) { $0 + $1.amountCents }
        if amount > 0 {
            discounts.append(
                .init(source: source, note: note, amountCents: amount, allocation: allocation))
        }
        return amount
    }

    /// Notes that a promotion applied, so an exclusive one can refuse the coupon.
    mutating func noteApplied(_ promotion: Promotion) {
        if promotion.exclusive && !exclusiveApplied.contains(promotion.id) { exclusiveApplied.append(promotion.id) }
    }

    /// The cheapest units first among these lines, up to `units`: (line index, units taken).
    /// Units are ranked by their net after earlier stages (line net ÷ quantity); equally cheap
    /// units go to the lower line number.
    func cheapestUnits(among indices: [Int], upTo units: Int64) -> [(index: Int, units: Int64)] {
        rankedUnits(among: indices, upTo: units, dearestFirst: false)
    }

    /// The dearest units first among these lines, up to `units`: (line index, units taken).
    /// Units are ranked by their net after earlier stages (line net ÷ quantity); equally dear
    /// units go to the lower line number.
    func dearestUnits(among indices: [Int], upTo units: Int64) -> [(index: Int, units: Int64)] {
        rankedUnits(among: indices, upTo: units, dearestFirst: true)
    }

    /// Units ranked by unit net (compared exactly: net_a × qty_b against net_b × qty_a), ties to
    /// the lower line number, taken up to `units`.
    private func rankedUnits(among indices: [Int], upTo units: Int64, dearestFirst: Bool) -> [(
        index: Int, units: Int64
    )] {
        let ranked = indices.filter { lines[$0].quantity > 0 && net($0) > 0 }.sorted { a, b in
            let lhs = Int128(net(a)) * Int128(lines[b].quantity)
            let rhs = Int128(net(b)) * Int128(lines[a].quantity)
            return lhs != rhs ? (dearestFirst ? lhs > rhs : lhs < rhs) : a < b
        }
        var left = units
        var taken: [(index: Int, units: Int64)] = []
        for i in ranked where left > 0 {
            let k = min(left, lines[i].quantity)
            taken.append((i, k))
            left -= k
        }
        return taken
    }

    /// The priced cart.
    func quote() -> PricingEngine.Quote {
        let fee = max(context.shippingFee.cents, 0)
        let shipping = fee - min(shippingDiscount, fee)
        let goods = lines.reduce(Int64(0)) { $0 + $1.net.cents }
        return PricingEngine.Quote(
            lines: lines, discounts: discounts, subtotal: Money(cents: lines.reduce(0) { $0 + $1.gross.cents }),
            total: Money(cents: goods + shipping), couponApplied: couponApplied, couponRejection: couponRejection,
            gifts: gifts, shippingFee: Money(cents: fee), shipping: Money(cents: shipping), skipped: skipped)
    }
}
