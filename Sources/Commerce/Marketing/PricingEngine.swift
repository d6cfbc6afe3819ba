/// The pricing engine: pure and deterministic, so the same cart prices the same at every node.
///
/// Promotions that are active at `context.now` and whose audience admits the context are
/// considered in id order; no result depends on the order promotions are passed in.
///
/// **The threshold base.** Every threshold — spend-save tiers (满减), gift thresholds (满赠) and a
/// coupon's minimum spend — is judged on one amount per line, the *threshold base*: the line's
/// net after the line rules that apply to *everyone* (percent-off, flash sales), before
/// multi-buy, member discounts (member prices, level discounts and any promotion whose audience
/// names members, levels or groups), spend-save and coupons. (Judged after multi-buy, an added
/// item that regroups the free units could take a scoped coupon's lines under its minimum.) As in CRMEB and Shopify, a member discount never
/// pushes a cart under a threshold a guest's cart reaches. Together with the rules below this
/// makes pricing *monotone*: a member level, a coupon or an extra item never makes the customer
/// pay more for the same other items.
///
/// Stacking, in this order:
/// 1. **Line rules** (`percentOff`, `flashSale`, `memberPrice`): the best single one per line
///    (ties to the lower promotion id). Line rules never stack with each other, so a flash sale
///    and a member price on the same line do not add up: the cheaper price wins.
/// 2. **Multi-buy** (`buyNGetM`, buy-one-get-one): on the net left after step 1. Each line takes
///    part in at most one multi-buy promotion, decided for that line alone: among the
///    promotions of the widest audience that cover it (everyone, then members, then levels and
///    groups), the one
///    that would save most on that line by itself, on its threshold base; on equal savings the
///    better deal per unit, then the smaller group, then the lower id (`MultiBuyDeal`). So
///    adding an item never moves another line to another promotion. Within a promotion the
///    units of its lines are ranked dearest first by their own net (after step 1) and grouped
///    by `buy + get`; the `get` cheapest units of each full group are discounted at that net
///    (equally priced units: the lower line number is discounted). Ranked and valued on the
///    same amounts, a pool with one more unit never discounts less.
/// 3. **Gifts** (`gift`): every gift promotion whose threshold the eligible lines' base reaches
///    adds its gift at zero price (`Quote.gifts`); gifts take nothing off.
/// 4. **Spend-save** (`spendSave`): the single best saving among the tiers the order's base
///    reaches, once per order, capped at the net left (not counting the units a free-item
///    coupon reserved).
/// 5. **One coupon**, when it is valid at `context.now`, its audience admits the context, no
///    *exclusive* promotion applied in steps 1–4, and the base of its eligible lines reaches its
///    minimum spend. It is capped at those lines' net (free shipping: at the fee). When an
///    exclusive promotion blocks the coupon, the cart is also priced without the exclusive
///    promotions and with the coupon, and the customer gets the lower total; the promotions set
///    aside are listed in `Quote.skipped`. A free-item coupon that nothing known before
///    multi-buy refuses reserves its units right after step 1 (the dearest units of its SKU, at
///    their net then): multi-buy ranks them at zero and the coupon frees exactly them.
///
/// No applicable promotion disappears silently: one that takes nothing off a cart it covers is
/// listed in `Quote.skipped` with the reason (a better line price, a threshold not reached, …).
///
/// Every amount is rounded half-up to the fen where it is computed. Line rules, multi-buy and
/// free-item coupons land on the lines they concern; spend-save, amount and percentage coupons
/// are allocated to the lines they cover in proportion to their net (largest remainder, ties to
/// the lower line number). A line's `discount` is therefore exactly what was taken off it, and
/// `refundable(line:quantity:alreadyRefunded:of:)` returns what was really paid for part of it.
/// No discount exceeds what is left, so no line net and no total is ever negative.
public enum PricingEngine {
    /// One cart line to price.
    public struct Item: Sendable, Equatable {
        public var sku: String
        public var name: String
        public var quantity: Int64
        public var unitPrice: Money
        /// The SKU's category, for category-scoped promotions and coupons.
        public var category: CategoryPath?
        public init(sku: String, name: String, quantity: Int64, unitPrice: Money, category: CategoryPath? = nil) {
            self.sku = sku
            self.name = name
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.category = category
        }
    }

    /// One applied discount, explained.
    ///
    /// Encoded as `{"source", "description", "amountCents", "allocation"}`, the description in
    /// English; the fact behind it is `note` (render it with `PricingText`).
    public struct Discount: Sendable, Equatable, Encodable {
        /// `promotion:ID` or `coupon:CODE`.
        public var source: String
        /// What the discount is, as data.
        public var note: PricingNote
        /// The amount taken off, in fen (always positive).
        public var amountCents: Int64
        /// How the amount lands on lines, by line number; sums to `amountCents` except for free
        /// shipping, which discounts the shipping fee and no line.
        public var allocation: [Share]

        public init(source: String, note: PricingNote, amountCents: Int64, allocation: [Share] = []) {
            self.source = source
            self.note = note
            self.amountCents = amountCents
            self.allocation = allocation
        }

        /// A sentence for the receipt, in English: `Flash sale: ¥9.90 each on line 1 (TEA-01 × 2)`.
        public var description: String { PricingText.english(note) }

        enum CodingKeys: String, CodingKey { case source, description, amountCents, allocation }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(description, forKey: .description)
            try c.encode(amountCents, forKey: .amountCents)
            try c.encode(allocation, forKey: .allocation)
        }

        /// The part of a discount carried by one line.
        public struct Share: Sendable, Equatable, Codable {
            public var line: Int
            public var amountCents: Int64
            public init(line: Int, amountCents: Int64) {
                self.line = line
                self.amountCents = amountCents
            }
        }
    }

    /// A gift with purchase: a zero-price line explained by the promotion that granted it.
    /// Encoded as `{"source", "description", "line"}`, the description in English.
    public struct Gift: Sendable, Equatable, Encodable {
        /// `promotion:ID`.
        public var source: String
        /// Why the gift was granted, as data.
        public var note: PricingNote
        /// The gift as an order line at zero price, numbered after the cart's lines.
        public var line: OrderLine

        public init(source: String, note: PricingNote, line: OrderLine) {
            self.source = source
            self.note = note
            self.line = line
        }

        /// `Gift: 1 × Tote bag (GIFT-01) for spending ¥100.00`, in English.
        public var description: String { PricingText.english(note) }

        enum CodingKeys: String, CodingKey { case source, description, line }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(description, forKey: .description)
            try c.encode(line, forKey: .line)
        }
    }

    /// An applicable promotion that took nothing off this cart, and why.
    /// Encoded as `{"source", "reason"}`, the reason in English.
    public struct Skipped: Sendable, Equatable, Encodable {
        /// `promotion:ID`, `level:ID` or `member`.
        public var source: String
        /// Why, as data.
        public var note: PricingNote

        public init(source: String, note: PricingNote) {
            self.source = source
            self.note = note
        }

        /// `needs ¥300.00; this cart has ¥290.00 before member and coupon discounts`, in English.
        public var reason: String { PricingText.english(note) }

        enum CodingKeys: String, CodingKey { case source, reason }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(reason, forKey: .reason)
        }
    }

    /// A priced cart.
    public struct Quote: Sendable, Equatable {
        /// The cart's lines, numbered from 1 in the order given, each with its total discount.
        public var lines: [OrderLine]
        /// Every discount applied, in the order of the stages.
        public var discounts: [Discount]
        /// The lines' gross (list price × quantity), before any discount; shipping excluded.
        public var subtotal: Money
        /// What the customer pays: the lines' net plus the shipping charged.
        public var total: Money
        /// The coupon applied, if any.
        public var couponApplied: String?
        /// Why the coupon offered was not applied (nil when it was, or when none was offered).
        public var couponRejection: CouponRejection?
        /// Gifts granted, in promotion id order.
        public var gifts: [Gift]
        /// The shipping fee before discounts (from the context).
        public var shippingFee: Money
        /// The shipping fee charged after a free-shipping coupon.
        public var shipping: Money
        /// Applicable promotions that took nothing off, with the reason, in promotion id order.
        public var skipped: [Skipped] = []

        /// Everything taken off: the sum of `discounts`.
        public var discountTotal: Money { subtotal + shippingFee - total }
        /// The lines' net: what the goods cost after every discount, shipping excluded.
        public var goodsTotal: Money { total - shipping }
    }

    /// Prices a cart at an instant for a guest with no shipping fee, as the first callers do.
    public static func quote(items: [Item], promotions: [Promotion], coupon: Coupon?, at millis: Int64) -> Quote {
        quote(items: items, promotions: promotions, coupon: coupon, context: PricingContext(now: millis))
    }

    /// Prices a cart in a context (member, store, channel, time, shipping fee).
    ///
    /// A member never pays more than with fewer member benefits: the cart is also priced as for
    /// the same member without a level, and as for a guest, and the customer pays the lowest
    /// total (ties keep the member's own pricing). Benefits interact — a member price can move a
    /// buy-N-get-M pool's free unit out of a percentage coupon's reach — so this is the rule that
    /// makes "a level or a membership never raises the total" hold for every cart, and the
    /// benefits set aside are named in `skipped`.
    public static func quote(items: [Item], promotions: [Promotion], coupon: Coupon?, context: PricingContext)
        -> Quote
    {
        var best = quoteAsPriced(items: items, promotions: promotions, coupon: coupon, context: context)
        // Who buys changes a price only through member promotions (member prices and level
        // discounts among them) and the coupon's audience: without either, every comparison
        // would price the same cart the same way, so a counter sale pays for one pricing.
        guard context.memberID != nil, coupon != nil || promotions.contains(where: \.dependsOnMember) else {
            return best
        }
        var fallbacks: [(PricingContext, Skipped)] = []
        if let level = context.memberLevel {
            var noLevel = context
            noLevel.memberLevel = nil
            fallbacks.append(
                (
                    noLevel,
                    Skipped(source: "level:\(level)", note: .levelSetAside(level: level))
                ))
        }
        var guest = context
        guest.memberLevel = nil
        guest.memberID = nil
        fallbacks.append(
            (
                guest,
                Skipped(source: "member", note: .memberBenefitsSetAside)
            ))
        for (fallback, note) in fallbacks {
            var other = quoteAsPriced(items: items, promotions: promotions, coupon: coupon, context: fallback)
            if other.total < best.total {
                other.skipped.append(note)
                best = other
            }
        }
        return best
    }

    /// Prices a cart exactly as for `context`, with no comparison against fewer benefits.
    static func quoteAsPriced(items: [Item], promotions: [Promotion], coupon: Coupon?, context: PricingContext)
        -> Quote
    {
        let applicable = promotions.filter { $0.applies(in: context) }.sorted { $0.id < $1.id }
        var run = price(items, applicable, coupon: coupon, context: context)
        if let coupon, !run.exclusiveApplied.isEmpty {
            // The exclusive promotions refused the coupon: the customer gets whichever is cheaper.
            var alternative = price(items, applicable.filter { !$0.exclusive }, coupon: coupon, context: context)
            if alternative.couponApplied != nil && alternative.total < run.total {
                let setAside = applicable.filter {
                    $0.exclusive && (run.exclusiveApplied.contains($0.id) || alternative.reasonSkipped($0) != nil)
                }
                alternative.skipped = setAside.map {
                    Skipped(source: "promotion:\($0.id)", note: .exclusiveGaveWayToCoupon(code: coupon.code))
                }
                run = alternative
            }
        }
        run.explainSkipped(applicable)
        return run.quote()
    }

    /// Runs every stage over these promotions (already filtered and sorted): first the line rules
    /// for everyone, which give the threshold base; then the real run.
    ///
    /// A free-item coupon reserves its units before multi-buy (`reserveFreeItems`); when the
    /// coupon is refused after all (an exclusive promotion applied), the cart is priced again
    /// without the reservation.
    static func price(
        _ items: [Item], _ promotions: [Promotion], coupon: Coupon?, context: PricingContext, reserving: Bool = true
    ) -> PricingRun {
        let shared = promotions.filter { !$0.dependsOnMember }
        var everyone = PricingRun(items: items, context: context)
        everyone.applyLineRules(shared)
        var run = PricingRun(items: items, context: context, base: everyone.lines.map(\.net.cents))
        run.applyLineRules(promotions)
        if reserving, let coupon { run.reserveFreeItems(coupon) }
        run.applyMultiBuy(promotions)
        run.grantGifts(promotions)
        run.applySpendSave(promotions)
        if let coupon { run.apply(coupon) }
        if run.couponApplied == nil && !run.couponReserved.isEmpty {
            return price(items, promotions, coupon: coupon, context: context, reserving: false)
        }
        return run
    }
}
