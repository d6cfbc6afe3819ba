import Replication

/// The `coupon` register (head office writes it): a fixed-amount coupon in the short form
/// (`amount_cents`, `min_spend_cents`), or any coupon with its full `definition`, plus how it
/// is used and given out.
public struct CouponRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case definition
        case amountCents = "amount_cents"
        case minSpendCents = "min_spend_cents"
        case singleUse = "single_use"
        case holdersOnly = "holders_only"
        case giveOnSpendCents = "give_on_spend_cents"
    }
    public static let kind = EntityKind.coupon

    public var amount: Money?
    public var minSpend: Money?
    /// Single-use (the default): one use per code, first claim wins across nodes.
    public var singleUse: Bool?
    /// The full definition (a `Coupon` as JSON with sorted keys, so every node stores the same bytes).
    public var definition: JSONValue?
    /// Only members who hold it (were given it) may use it.
    public var holdersOnly: Bool?
    /// Given automatically to a member whose order reaches this amount (nil: not given out so).
    public var giveOnSpend: Money?

    public init(
        amount: Money? = nil, minSpend: Money? = nil, singleUse: Bool? = nil, definition: JSONValue? = nil,
        holdersOnly: Bool? = nil, giveOnSpend: Money? = nil
    ) {
        self.amount = amount
        self.minSpend = minSpend
        self.singleUse = singleUse
        self.definition = definition
        self.holdersOnly = holdersOnly
        self.giveOnSpend = giveOnSpend
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        amount = try f.optionalInt(.amountCents).map(Money.init(cents:))
        minSpend = try f.optionalInt(.minSpendCents).map(Money.init(cents:))
        singleUse = try f.optionalBool(.singleUse)
        definition = f.value(.definition)
        holdersOnly = try f.optionalBool(.holdersOnly)
        giveOnSpend = try f.optionalInt(.giveOnSpendCents).map(Money.init(cents:))
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.amountCents, amount?.cents)
        f.set(.minSpendCents, minSpend?.cents)
        f.set(.singleUse, singleUse)
        f.set(.definition, definition)
        f.set(.holdersOnly, holdersOnly)
        if definition != nil { f.setOrNull(.giveOnSpendCents, giveOnSpend?.cents) }
    }

    /// Whether several orders may use the code (a multi-use coupon has no unique claim).
    public var isMultiUse: Bool { singleUse == false }

    /// The coupon `code` as the pricing engine applies it; nil when the register holds neither
    /// a definition nor an amount.
    public func coupon(code: String) -> Coupon? {
        if let definition {
            guard var c = decodeDefinition(definition, as: Coupon.self) else { return nil }
            c.code = code
            return c
        }
        guard let amount else { return nil }
        return Coupon(
            code: code, amountCents: amount.cents, minSpendCents: minSpend?.cents ?? 0, singleUse: singleUse ?? true)
    }
}
