import Replication

/// The `transfer` register: goods shipped from one warehouse to another. The sending
/// warehouse's owner writes the shipment; the receiving one's owner writes the receipt.
public struct TransferRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case sku, qty, from, to, status
        case shippedAt = "shipped_at"
        case receivedQty = "received_qty"
        case receivedAt = "received_at"
    }
    public enum Status: String, Sendable, Codable, CaseIterable {
        case inTransit = "in_transit"
        case received
    }
    public static let kind = EntityKind.transfer

    public var sku: String?
    public var qty: Int64?
    public var from: String?
    public var to: String?
    public var status: Status?
    public var shippedAtMillis: Int64?
    public var receivedQty: Int64?
    public var receivedAtMillis: Int64?

    public init(
        sku: String? = nil, qty: Int64? = nil, from: String? = nil, to: String? = nil, status: Status? = nil,
        shippedAtMillis: Int64? = nil, receivedQty: Int64? = nil, receivedAtMillis: Int64? = nil
    ) {
        self.sku = sku
        self.qty = qty
        self.from = from
        self.to = to
        self.status = status
        self.shippedAtMillis = shippedAtMillis
        self.receivedQty = receivedQty
        self.receivedAtMillis = receivedAtMillis
    }

    /// The shipment: `qty` × `sku` leaves `from` for `to`.
    public static func shipment(sku: String, qty: Int64, from: String, to: String, atMillis: Int64) -> TransferRegister
    {
        TransferRegister(sku: sku, qty: qty, from: from, to: to, status: .inTransit, shippedAtMillis: atMillis)
    }

    /// The receipt: `qty` arrived (it may differ from what was shipped).
    public static func receipt(qty: Int64, atMillis: Int64) -> TransferRegister {
        TransferRegister(status: .received, receivedQty: qty, receivedAtMillis: atMillis)
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        sku = try f.optionalString(.sku)
        qty = try f.optionalInt(.qty)
        from = try f.optionalString(.from)
        to = try f.optionalString(.to)
        status = try f.optionalChoice(.status)
        shippedAtMillis = try f.optionalInt(.shippedAt)
        receivedQty = try f.optionalInt(.receivedQty)
        receivedAtMillis = try f.optionalInt(.receivedAt)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.sku, sku)
        f.set(.qty, qty)
        f.set(.from, from)
        f.set(.to, to)
        f.set(.status, status)
        f.set(.shippedAt, shippedAtMillis)
        f.set(.receivedQty, receivedQty)
        f.set(.receivedAt, receivedAtMillis)
    }

    /// Whether this patch writes part of the shipment (only the sender may).
    public var writesShipment: Bool { sku != nil || qty != nil || from != nil || to != nil }
}
