/// Why the coupon offered with a cart was not applied, with a sentence for the customer.
public struct CouponRejection: Sendable, Equatable, Codable, CustomStringConvertible {
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
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
