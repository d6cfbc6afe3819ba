/// A promotion published by head office.
///
/// A promotion applies while it is active (`startsAt` ≤ now < `endsAt`) and its `audience`
/// admits the cart's `PricingContext`. How promotions stack is described on `PricingEngine`.
public struct Promotion: Sendable, Equatable, Codable {
    /// What a promotion does. Rules fall into four stages of the engine:
    /// line rules (`percentOff`, `flashSale`, `memberPrice`), multi-buy (`buyNGetM`),
    /// order rules (`spendSave`) and gifts (`gift`).
    public enum Rule: Sendable, Equatable, Codable {
        /// Percentage off listed SKUs (all SKUs when `skus` is empty). A line rule: the best single
        /// line rule per line applies.
        case percentOff(percent: Int64, skus: [String])
        /// Spend-X-save-Y (满减), tiered: the highest saving whose threshold the threshold base
        /// (the net after everyone's line rules, before multi-buy and member discounts) reaches
        /// applies, once per order.
        case spendSave(tiers: [Tier])
        /// A time-limited price (限时折扣, flash sale) on the items in `scope`; the window is the
        /// promotion's `startsAt`/`endsAt`. A line rule.
        case flashSale(scope: ItemScope, price: LinePrice)
        /// A member-level price (会员价): customers whose level is in `levels` (any level when empty,
        /// but never a guest) pay `price` on the items in `scope`. A line rule.
        case memberPrice(levels: [String], scope: ItemScope, price: LinePrice)
        /// Buy `buy`, get `get` (买N送M; 1 and 1 is buy-one-get-one): the eligible units of the
        /// cart are ranked dearest first and grouped by `buy + get`; in every full group the `get`
        /// cheapest units are discounted by `getPercentOff` percent (100: free; 50: half price).
        /// Ties between equally cheap units go to the lower line number.
        case buyNGetM(buy: Int64, get: Int64, scope: ItemScope, getPercentOff: Int64 = 100)
        /// A gift with purchase (满赠): when the eligible lines' threshold base (see
        /// `PricingEngine`) reaches `thresholdCents`, `quantity` × `sku` is added at zero price.
        case gift(sku: String, name: String, quantity: Int64 = 1, thresholdCents: Int64, scope: ItemScope = .all)

        /// Buy one, get one free (买一送一) on the items in `scope`.
        public static func buyOneGetOne(_ scope: ItemScope) -> Rule {
            .buyNGetM(buy: 1, get: 1, scope: scope)
        }
    }

    /// One step of a spend-save promotion: spend at least `thresholdCents`, save `saveCents`.
    public struct Tier: Sendable, Equatable, Codable {
        public var thresholdCents: Int64
        public var saveCents: Int64
        public init(thresholdCents: Int64, saveCents: Int64) {
            self.thresholdCents = thresholdCents
            self.saveCents = saveCents
        }
    }

    public var id: String
    public var name: String
    public var rule: Rule
    /// Active from this instant (ms since epoch) until `endsAt` (exclusive); nil = open.
    public var startsAt: Int64?
    public var endsAt: Int64?
    /// An exclusive promotion (不与优惠券同享) refuses any coupon on an order it applied to.
    /// It does not exclude other promotions.
    public var exclusive: Bool
    /// Who the promotion is for (members, stores, channels); everyone by default.
    public var audience: Audience
    /// For a member level's discount (`levelDiscount`, built from the level, never published):
    /// the level's name, which its explanation is worded from in each language.
    public var levelName: String?

    public init(
        id: String, name: String, rule: Rule, startsAt: Int64? = nil, endsAt: Int64? = nil, exclusive: Bool = false,
        audience: Audience = .everyone
    ) {
        self.id = id
        self.name = name
        self.rule = rule
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.exclusive = exclusive
        self.audience = audience
    }

    /// A member level's discount as a member-price promotion on every item, so the engine
    /// applies it with the same stacking rules as every other line promotion: id `level-ID`,
    /// named `金卡 5% member discount` (its English explanation; `PricingText` words it per language).
    public static func levelDiscount(level: String, name: String, percent: Int64) -> Promotion {
        var promotion = Promotion(
            id: "level-\(level)", name: "\(name) \(percent)% member discount",
            rule: .memberPrice(levels: [level], scope: .all, price: .percentOff(percent)))
        promotion.levelName = name
        return promotion
    }

    /// True from `startsAt` (inclusive) until `endsAt` (exclusive).
    public func isActive(at millis: Int64) -> Bool {
        if let s = startsAt, millis < s { return false }
        if let e = endsAt, millis >= e { return false }
        return true
    }

    /// True for member discounts: member prices, and promotions whose audience requires a member,
    /// a level or a group. They never lower the threshold base (see `PricingEngine`).
    public var dependsOnMember: Bool {
        if case .memberPrice = rule { return true }
        return audience.membersOnly || !audience.memberLevels.isEmpty || !audience.memberGroups.isEmpty
    }

    /// True when the promotion is active at the context's time and its audience admits the context.
    public func applies(in context: PricingContext) -> Bool {
        isActive(at: context.now) && audience.mismatch(with: context) == nil
    }
}

/// How a line rule prices a line.
public enum LinePrice: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Percent off the line's gross, rounded half-up to the fen (clamped to 0–100).
    case percentOff(Int64)
    /// A fixed price per unit, in fen; applies only where it is below the list price.
    case unitPrice(cents: Int64)
    /// A fixed price per unit for each listed SKU, in fen (SKU → price); other SKUs are unchanged.
    case unitPrices([String: Int64])

    /// The discount this price gives a line of `quantity` × `unitCents` (never negative, never
    /// more than the line's gross).
    func discount(sku: String, quantity: Int64, unitCents: Int64) -> Int64 {
        let gross = unitCents * quantity
        guard gross > 0, quantity > 0 else { return 0 }
        switch self {
        case .percentOff(let percent):
            return PricingEngine.percent(percent, of: gross)
        case .unitPrice(let cents):
            return max(0, unitCents - max(cents, 0)) * quantity
        case .unitPrices(let prices):
            guard let cents = prices[sku] else { return 0 }
            return max(0, unitCents - max(cents, 0)) * quantity
        }
    }

    /// `10% off`, `at ¥9.90 each`, `at list prices`.
    public var description: String {
        switch self {
        case .percentOff(let percent): return "\(min(max(percent, 0), 100))% off"
        case .unitPrice(let cents): return "at \(Money(cents: max(cents, 0))) each"
        case .unitPrices: return "at the listed prices"
        }
    }
}
