/// Everything about a sale besides its items that pricing depends on: who buys, where, how, when,
/// and the shipping fee to charge.
///
/// Pricing is a pure function of the items, the promotions, the coupon and this value, so every
/// node that prices the same cart in the same context gets the same quote.
public struct PricingContext: Sendable, Equatable, Codable {
    /// The instant the cart is priced at, in ms since the epoch; decides which promotions and
    /// coupons are valid.
    public var now: Int64
    /// The member buying, or nil for a guest.
    public var memberID: String?
    /// The member's level (`gold`), for member prices and level-restricted coupons.
    public var memberLevel: String?
    /// Groups the member belongs to (`staff`, `new-members`), for group-restricted offers.
    public var memberGroups: [String]
    /// The store (node id) selling.
    public var store: String?
    /// The channel selling: at the counter or online.
    public var channel: SalesChannel?
    /// The shipping fee charged before any free-shipping coupon (zero at the counter). Negative
    /// fees are treated as zero.
    public var shippingFee: Money

    public init(
        now: Int64, memberID: String? = nil, memberLevel: String? = nil, memberGroups: [String] = [],
        store: String? = nil, channel: SalesChannel? = nil, shippingFee: Money = .zero
    ) {
        self.now = now
        self.memberID = memberID
        self.memberLevel = memberLevel
        self.memberGroups = memberGroups
        self.store = store
        self.channel = channel
        self.shippingFee = shippingFee
    }
}
