import Replication

/// The `binding` register, keyed by the member: the distributor a customer is bound to, how
/// and until when the binding is locked against re-binding.
public struct BindingRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case distributor, via, order
        case boundAt = "bound_at"
        case lockUntil = "lock_until"
    }
    /// How the customer was bound.
    public enum Via: String, Sendable, Codable, CaseIterable {
        /// `distributor bind` with the distributor's referral code.
        case referralCode = "referral_code"
        /// Their first order placed through the distributor's link.
        case firstPurchase = "first_purchase"
    }
    public static let kind = EntityKind.binding

    public var distributor: String?
    public var boundAtMillis: Int64?
    /// Until this instant another distributor cannot take the customer over.
    public var lockUntilMillis: Int64?
    public var via: Via?
    /// The order that bound the customer (first-purchase bindings).
    public var order: String?

    public init(
        distributor: String? = nil, boundAtMillis: Int64? = nil, lockUntilMillis: Int64? = nil, via: Via? = nil,
        order: String? = nil
    ) {
        self.distributor = distributor
        self.boundAtMillis = boundAtMillis
        self.lockUntilMillis = lockUntilMillis
        self.via = via
        self.order = order
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        distributor = try f.optionalString(.distributor)
        boundAtMillis = try f.optionalInt(.boundAt)
        lockUntilMillis = try f.optionalInt(.lockUntil)
        via = try f.optionalChoice(.via)
        order = try f.optionalString(.order)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.distributor, distributor)
        f.set(.boundAt, boundAtMillis)
        f.set(.lockUntil, lockUntilMillis)
        f.set(.via, via)
        f.set(.order, order)
    }
}
