/// A coupon definition: what it takes off and when it may be used.
///
/// At most one coupon applies per order, after every promotion (see `PricingEngine`). Its
/// minimum spend is measured on the threshold base of the lines in `scope` (their net after the
/// promotions for everyone, before member, spend-save and coupon discounts), and its
/// discount is spread over those lines only (a free-shipping coupon discounts the shipping fee).
public struct Coupon: Sendable, Equatable, Codable {
    /// What a coupon takes off.
    public enum Kind: Sendable, Equatable, Codable {
        /// A fixed amount (满减券), capped at the eligible net.
        case amountOff(cents: Int64)
        /// A percentage of the eligible net (折扣券), rounded half-up to the fen, then capped at
        /// `capCents` when given.
        case percentOff(percent: Int64, capCents: Int64?)
        /// Up to `maxUnits` units of `sku` free (赠品券): the dearest units of that SKU in the cart
        /// (ties to the lower line number), at what they cost after promotions. Dearest, not
        /// cheapest: with the cheapest, one more cheap unit in the cart would take the free slot
        /// and the customer would pay more for the units they already had.
        case freeItem(sku: String, maxUnits: Int64)
        /// Free shipping (免邮券): the context's shipping fee is not charged.
        case freeShipping
    }

    public var code: String
    public var kind: Kind
    /// The eligible lines' threshold base needed, in fen.
    public var minSpendCents: Int64
    /// Single-use coupons are enforced at the counter and across stores by the unique-claim rule.
    public var singleUse: Bool
    /// Lines the coupon covers, both for the minimum spend and for the discount.
    public var scope: ItemScope
    /// Who may use it (member levels and groups, stores, channels).
    public var audience: Audience
    /// Valid from this instant (ms since epoch) until `endsAt` (exclusive); nil = open.
    public var startsAt: Int64?
    public var endsAt: Int64?

    /// A fixed-amount coupon for every item and everyone, as coupons were first defined.
    public init(code: String, amountCents: Int64, minSpendCents: Int64 = 0, singleUse: Bool = true) {
        self.init(code: code, kind: .amountOff(cents: amountCents), minSpendCents: minSpendCents, singleUse: singleUse)
    }

    /// A coupon of any kind with its conditions.
    public init(
        code: String, kind: Kind, minSpendCents: Int64 = 0, scope: ItemScope = .all, audience: Audience = .everyone,
        startsAt: Int64? = nil, endsAt: Int64? = nil, singleUse: Bool = true
    ) {
        self.code = code
        self.kind = kind
        self.minSpendCents = minSpendCents
        self.singleUse = singleUse
        self.scope = scope
        self.audience = audience
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    /// The fixed amount of an `amountOff` coupon, in fen; zero for the other kinds.
    public var amountCents: Int64 {
        if case .amountOff(let cents) = kind { return cents }
        return 0
    }

    /// True from `endsAt` on: no longer issued, claimed or used.
    public func hasEnded(at millis: Int64) -> Bool {
        endsAt.map { millis >= $0 } ?? false
    }

    /// True from `startsAt` (inclusive) until `endsAt` (exclusive).
    public func isValid(at millis: Int64) -> Bool {
        if let s = startsAt, millis < s { return false }
        if let e = endsAt, millis >= e { return false }
        return true
    }
}
