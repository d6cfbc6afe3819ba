import Replication

/// A `stock_move` ledger entry: `qty` units of a SKU moved at a warehouse for a reason.
public struct StockMoveChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case sku, warehouse, reason, qty, releases, ref
        case cancelOf = "cancel_of"
    }
    public static let kind = EntityKind.stockMove

    public var sku: String
    public var warehouse: String
    public var reason: StockReason
    /// Signed: positive adds to the shelf (or reserves, for `allocate`), negative takes away.
    public var qty: Int64
    /// The allocation (reservation) this move settles or frees.
    public var releases: String?
    /// What caused it: an order, a transfer, a note.
    public var ref: String?
    /// The order whose cancel this move belongs to; it counts only while that order is cancelled.
    public var cancelOf: String?

    public init(
        sku: String, warehouse: String, reason: StockReason, qty: Int64, releases: String? = nil, ref: String? = nil,
        cancelOf: String? = nil
    ) {
        self.sku = sku
        self.warehouse = warehouse
        self.reason = reason
        self.qty = qty
        self.releases = releases
        self.ref = ref
        self.cancelOf = cancelOf
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        sku = try f.string(.sku)
        warehouse = try f.string(.warehouse)
        reason = try f.choice(.reason)
        qty = try f.int(.qty)
        releases = try f.optionalString(.releases)
        ref = try f.optionalString(.ref)
        cancelOf = try f.optionalString(.cancelOf)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.sku, sku)
        f.set(.warehouse, warehouse)
        f.set(.reason, reason)
        f.set(.qty, qty)
        f.set(.releases, releases)
        f.set(.ref, ref)
        f.set(.cancelOf, cancelOf)
    }
}
