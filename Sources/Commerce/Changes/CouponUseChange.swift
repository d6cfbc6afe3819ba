import Replication

/// A `coupon_use` claim on a unique key: a single-use coupon taken by an order, or any other
/// once-only key (`checkin:…`, `held:…`, an order's `cancel:`/`paid:` marker).
public struct CouponUseChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case key, coupon, order, claimant, ref
        case amountCents = "amount_cents"
    }
    public static let kind = EntityKind.couponUse

    /// The claimed key; when absent the key is `coupon:<coupon>`.
    public var key: String?
    public var coupon: String?
    /// The order that takes the claim (the claimant is then `order:<order>`).
    public var order: String?
    /// Who claims when no order does (a member's check-in…).
    public var claimant: String?
    public var amount: Money?
    public var ref: String?

    public init(
        key: String? = nil, coupon: String? = nil, order: String? = nil, claimant: String? = nil, amount: Money? = nil,
        ref: String? = nil
    ) {
        self.key = key
        self.coupon = coupon
        self.order = order
        self.claimant = claimant
        self.amount = amount
        self.ref = ref
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        key = try f.optionalString(.key)
        coupon = try f.optionalString(.coupon)
        order = try f.optionalString(.order)
        claimant = try f.optionalString(.claimant)
        amount = try f.optionalInt(.amountCents).map(Money.init(cents:))
        ref = try f.optionalString(.ref)
        if key == nil, coupon == nil { throw f.fail(.coupon, "must be a non-empty string when there is no key") }
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.key, key)
        f.set(.coupon, coupon)
        f.set(.order, order)
        f.set(.claimant, claimant)
        f.set(.amountCents, amount?.cents)
        f.set(.ref, ref)
    }

    /// The unique key claimed.
    public var claimedKey: String { key ?? "coupon:\(coupon ?? "")" }
}
