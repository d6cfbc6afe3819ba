import Replication

/// An `order_line` record: one priced line of an order, written once with the order.
public struct OrderLineChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case order, line, sku, name, qty
        case unitCents = "unit_cents"
        case discountCents = "discount_cents"
    }
    public static let kind = EntityKind.orderLine

    public var order: String
    /// 1-based line number within the order.
    public var line: Int64
    public var sku: String
    public var name: String
    public var qty: Int64
    public var unitPrice: Money
    public var discount: Money

    public init(order: String, line: Int64, sku: String, name: String, qty: Int64, unitPrice: Money, discount: Money) {
        self.order = order
        self.line = line
        self.sku = sku
        self.name = name
        self.qty = qty
        self.unitPrice = unitPrice
        self.discount = discount
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        order = try f.string(.order)
        line = try f.positive(.line)
        sku = try f.string(.sku)
        name = try f.optionalString(.name) ?? ""
        qty = try f.positive(.qty)
        unitPrice = Money(cents: try f.nonNegative(.unitCents))
        discount = Money(cents: try f.nonNegative(.discountCents))
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.order, order)
        f.set(.line, line)
        f.set(.sku, sku)
        f.set(.name, name)
        f.set(.qty, qty)
        f.set(.unitCents, unitPrice.cents)
        f.set(.discountCents, discount.cents)
    }
}
