import Replication

/// Why stock moved. Facts happened physically; intentions are claims on stock that the merge
/// may move elsewhere.
public enum StockReason: String, Sendable, Codable, CaseIterable {
    case receive, sale, `return`, transferOut = "transfer_out", transferIn = "transfer_in", adjust, count
    /// A reservation of stock for a pending online order or transfer (an intention).
    case allocate
    /// Ends a reservation without moving stock.
    case release
    /// Ends a reservation the merge displaced, because head office moved it elsewhere
    /// (or back-ordered it); keeps the displacement on record.
    case reallocate

    /// Facts keep their stock in a merge; intentions yield to them.
    public var isFact: Bool { self != .allocate && self != .release && self != .reallocate }
}

/// One entry of the stock ledger of a (SKU, warehouse).
///
/// `quantity` is a signed delta for facts, the counted balance for `count`, and the reserved
/// quantity (positive) for `allocate`. `releases` names an allocation this movement ends (a
/// shipment or a cancelled reservation).
public struct StockMovement: Sendable, Equatable {
    public var id: String
    public var sku: String
    public var warehouse: String
    public var reason: StockReason
    public var quantity: Int64
    public var releases: String?
    public var stamp: ChangeStamp

    public init(
        id: String, sku: String, warehouse: String, reason: StockReason, quantity: Int64,
        releases: String? = nil, stamp: ChangeStamp
    ) {
        self.id = id
        self.sku = sku
        self.warehouse = warehouse
        self.reason = reason
        self.quantity = quantity
        self.releases = releases
        self.stamp = stamp
    }
}

/// On hand, reserved and available units of one SKU in one warehouse.
public struct StockPosition: Sendable, Equatable, Codable {
    public var onHand: Int64
    public var reserved: Int64
    public var available: Int64 { onHand - reserved }

    public init(onHand: Int64, reserved: Int64) {
        self.onHand = onHand
        self.reserved = reserved
    }
}
