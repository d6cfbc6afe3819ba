/// Why the coupon offered with a cart was not applied: the reason's code and the fact behind
/// it (`PricingNote`), rendered for the customer by `PricingText`.
public struct CouponRejection: Sendable, Equatable, Encodable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable, Codable {
        case notYetValid, expired
        case membersOnly, memberLevel, memberGroup, store, channel
        /// An exclusive promotion applied to the order.
        case excludedByPromotion
        /// No line of the cart is in the coupon's scope (or, for a free-item coupon, has its SKU).
        case noEligibleItems
        case belowMinimumSpend
        /// The coupon would take nothing off (a zero amount, or free shipping with no fee).
        case nothingToDiscount
    }

    public var reason: Reason
    /// The fact: one of `PricingNote`'s coupon rejection cases.
    public var note: PricingNote

    /// A rejection for one of `PricingNote`'s coupon rejection cases; its reason follows from
    /// the note (any other note counts as `nothingToDiscount`).
    public init(_ note: PricingNote) {
        self.reason = note.rejectionReason ?? .nothingToDiscount
        self.note = note
    }

    /// The sentence in English: `coupon C10 has expired`.
    public var message: String { PricingText.english(note) }

    public var description: String { message }

    enum CodingKeys: String, CodingKey { case reason, message }

    /// Encoded as before the facts: `{"reason", "message"}` (the English sentence).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason, forKey: .reason)
        try c.encode(message, forKey: .message)
    }
}
