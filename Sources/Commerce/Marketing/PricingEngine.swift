/// The pricing engine: pure and deterministic, so the same cart prices the same at every node.
///
/// Promotions that are active at `context.now` and whose audience admits the context are
/// considered in id order; no result depends on the order promotions are passed in. Stacking,
/// in this order:
/// 1. **Line rules** (`percentOff`, `flashSale`, `memberPrice`): the best single one per line
///    (ties to the lower promotion id). Line rules never stack with each other, so a flash sale
///    and a member price on the same line do not add up: the cheaper price wins.
/// 2. **Multi-buy** (`buyNGetM`, buy-one-get-one): on the net left after step 1. Each line takes
///    part in at most one multi-buy promotion: the one saving most is applied first (ties to
///    the lower id), it takes all its eligible lines, and the next is priced on the lines left.
/// 3. **Gifts** (`gift`): every gift promotion whose threshold the eligible net after step 2
///    reaches adds its gift at zero price (`Quote.gifts`); gifts take nothing off.
/// 4. **Spend-save** (`spendSave`): the single best saving among the tiers reached by the
///    order's net after step 2, once per order.
/// 5. **One coupon**, when it is valid at `context.now`, its audience admits the context, no
///    *exclusive* promotion applied in steps 1–4, and the net of its eligible lines after step 4
///    reaches its minimum spend. It is capped at that net (free shipping: at the fee).
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
    public struct Discount: Sendable, Equatable, Codable {
        /// `promotion:ID` or `coupon:CODE`.
        public var source: String
        /// A sentence for the receipt: `Flash sale: ¥9.90 each on line 1 (TEA-01 × 2)`.
        public var description: String
        /// The amount taken off, in fen (always positive).
        public var amountCents: Int64
        /// How the amount lands on lines, by line number; sums to `amountCents` except for free
        /// shipping, which discounts the shipping fee and no line.
        public var allocation: [Share]

        public init(source: String, description: String, amountCents: Int64, allocation: [Share] = []) {
            self.source = source
            self.description = description
            self.amountCents = amountCents
            self.allocation = allocation
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
    public struct Gift: Sendable, Equatable, Codable {
        /// `promotion:ID`.
        public var source: String
        /// `Gift: 1 × Tote bag (GIFT-01) for spending ¥100.00`.
        public var description: String
        /// The gift as an order line at zero price, numbered after the cart's lines.
        public var line: OrderLine

        public init(source: String, description: String, line: OrderLine) {
            self.source = source
            self.description = description
            self.line = line
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
    public static func quote(items: [Item], promotions: [Promotion], coupon: Coupon?, context: PricingContext)
        -> Quote
    {
        let applicable = promotions.filter { $0.applies(in: context) }.sorted { $0.id < $1.id }
        var run = PricingRun(items: items, context: context)
        run.applyLineRules(applicable)
        run.applyMultiBuy(applicable)
        run.grantGifts(applicable)
        run.applySpendSave(applicable)
        if let coupon { run.apply(coupon) }
        return run.quote()
    }
}
