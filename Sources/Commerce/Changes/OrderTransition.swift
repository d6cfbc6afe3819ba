import Replication

/// A change of an order's status (op `transition`; the creating `upsert` carries a status
/// too): paid, shipped with its carrier and tracking number, completed, cancelled, refunded.
public struct OrderTransition: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case status, carrier, tracking, reason
    }
    public static let kind = EntityKind.order

    public var status: OrderStatus
    public var carrier: String?
    public var tracking: String?
    public var reason: String?
    /// Whether the change named a carrier (a shipment), even with no tracking number.
    public var namesCarrier: Bool

    public init(status: OrderStatus, carrier: String? = nil, tracking: String? = nil, reason: String? = nil) {
        self.status = status
        self.carrier = carrier
        self.tracking = tracking
        self.reason = reason
        namesCarrier = carrier != nil
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        status = try f.choice(.status)
        carrier = try f.optionalString(.carrier)
        tracking = try f.optionalString(.tracking)
        reason = try f.optionalString(.reason)
        namesCarrier = f.fields[Field.carrier.rawValue] != nil
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.status, status)
        f.set(.carrier, carrier)
        if carrier != nil { f.setOrNull(.tracking, tracking) } else { f.set(.tracking, tracking) }
        f.set(.reason, reason)
    }
}
