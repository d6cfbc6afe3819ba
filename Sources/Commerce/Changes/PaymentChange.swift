import Replication

/// A `payment` record: money (or points, or stored value) received for an order.
public struct PaymentChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case order, method, reference, shift
        case amountCents = "amount_cents"
        case tenderedCents = "tendered_cents"
    }
    public static let kind = EntityKind.payment

    public var order: String
    public var method: Tender
    public var amount: Money
    /// The till's or provider's reference for the payment (a card slip, a transaction id).
    public var reference: String?
    /// The till shift it was taken in (omitted outside a shift, so older changes keep their bytes).
    public var shift: String?
    /// Cash handed over for a cash payment (≥ the amount; the change due is the difference).
    public var tendered: Money?

    public init(
        order: String, method: Tender, amount: Money, reference: String? = nil, shift: String? = nil,
        tendered: Money? = nil
    ) {
        self.order = order
        self.method = method
        self.amount = amount
        self.reference = reference
        self.shift = shift
        self.tendered = tendered
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        order = try f.string(.order)
        method = try f.choice(.method)
        amount = Money(cents: try f.nonNegative(.amountCents))
        reference = try f.optionalString(.reference)
        shift = try f.optionalString(.shift)
        tendered = try f.optionalInt(.tenderedCents).map { Money(cents: $0) }
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.order, order)
        f.set(.method, method)
        f.set(.amountCents, amount.cents)
        f.set(.reference, reference)
        f.set(.shift, shift)
        f.set(.tenderedCents, tendered?.cents)
    }
}

/// How a payment was tendered: a payment method the customer chooses, or points redeemed.
public enum Tender: String, Sendable, Codable, CaseIterable {
    case cash, card, wallet, qrpay, stored, points, wechat, alipay

    public init(_ method: PaymentMethod) {
        switch method {
        case .cash: self = .cash
        case .card: self = .card
        case .wallet: self = .wallet
        case .qrpay: self = .qrpay
        case .stored: self = .stored
        case .wechat: self = .wechat
        case .alipay: self = .alipay
        }
    }
}
