import Commerce
import GRDB
import Replication

/// An open reservation of an online order: an `allocate` movement no counting movement released.
public struct OpenReservation: Sendable, Equatable {
    public var id: String
    public var sku: String
    public var warehouse: String
    public var qty: Int64
}

/// Points of one order's refunds, from the member ledger (see `RefundHistory` in Node).
public struct OrderPointsTotals: Sendable, Equatable {
    /// Points given back by earlier refunds (`PTB-…` entries).
    public var returned: Int64
    /// Points the order earned at the counter (`PTS-<order>`).
    public var earned: Int64
    /// Points earlier refunds clawed back from what the order earned.
    public var clawed: Int64
}

extension StoreReader {
    /// Whether `claimant` holds a claim other than the `cancel:`/`paid:` markers.
    public func holdsClaims(claimant: String) throws -> Bool {
        try !rows(
            "SELECT 1 FROM claims WHERE claimant = ? AND key NOT LIKE 'cancel:%' AND key NOT LIKE 'paid:%' LIMIT 1",
            [claimant]
        ).isEmpty
    }

    /// The first claimant of a claim key (e.g. who holds `phone:<number>`), if any.
    public func claimant(of key: String) throws -> String? {
        try rows("SELECT claimant FROM claims WHERE key = ?", [key]).first.map { $0["claimant"] as String }
    }

    /// The open reservations of an order, by movement id.
    public func openReservations(order: String) throws -> [OpenReservation] {
        try rows(
            """
            SELECT m.id, m.sku, m.warehouse, m.qty FROM stock_moves m
            WHERE m.ref = ? AND m.reason = 'allocate'
              AND NOT EXISTS (SELECT 1 FROM stock_moves x WHERE x.releases = m.id AND \(StockMoveRule.counts("x")))
            ORDER BY m.id
            """, [order]
        ).map { OpenReservation(id: $0["id"], sku: $0["sku"], warehouse: $0["warehouse"], qty: $0["qty"]) }
    }

    /// The open reservations of one SKU of an order, oldest first (by stamp, then id).
    public func openReservations(order: String, sku: String) throws -> [OpenReservation] {
        try rows(
            """
            SELECT m.id, m.warehouse, m.qty FROM stock_moves m
            WHERE m.ref = ? AND m.sku = ? AND m.reason = 'allocate'
              AND NOT EXISTS (SELECT 1 FROM stock_moves x WHERE x.releases = m.id AND \(StockMoveRule.counts("x")))
            ORDER BY m.hlc, m.id
            """, [order, sku]
        ).map { OpenReservation(id: $0["id"], sku: sku, warehouse: $0["warehouse"], qty: $0["qty"]) }
    }

    /// How many open reservations an order still has.
    public func openReservationCount(order: String) throws -> Int64 {
        try rows(
            """
            SELECT COUNT(*) FROM stock_moves m WHERE m.ref = ? AND m.reason = 'allocate'
              AND NOT EXISTS (SELECT 1 FROM stock_moves x WHERE x.releases = m.id AND \(StockMoveRule.counts("x")))
            """, [order]
        ).first.map { $0[0] as Int64 } ?? 0
    }

    /// An order's payments in the stated order (as recorded: by stamp, then id).
    public func payments(order: String) throws -> [RefundSplit.Payment] {
        try rows("SELECT id, method, amount_cents FROM payments WHERE order_id = ? ORDER BY hlc, id", [order]).map {
            RefundSplit.Payment(id: $0["id"], method: $0["method"], amount: $0["amount_cents"])
        }
    }

    /// The points an order earned, and what its refunds gave back and clawed back so far.
    public func pointsTotals(order: String, member: String?) throws -> OrderPointsTotals {
        let sums = try rows(
            """
            SELECT
              COALESCE(SUM(CASE WHEN id LIKE 'PTB-%' THEN delta END), 0),
              COALESCE(SUM(CASE WHEN id = ? THEN delta END), 0),
              COALESCE(SUM(CASE WHEN id LIKE 'PTS-%' AND id != ? AND reason = 'refund' THEN -delta END), 0)
            FROM member_ledger WHERE member = ? AND account = 'points' AND ref = ?
            """, ["PTS-\(order)", "PTS-\(order)", member ?? "", order]
        ).first
        let returned: Int64? = sums?[0]
        let earned: Int64? = sums?[1]
        let clawed: Int64? = sums?[2]
        return OrderPointsTotals(returned: returned ?? 0, earned: earned ?? 0, clawed: clawed ?? 0)
    }
}

extension StoreReader {
    /// When order `id` was created and the after-sale period it was sold with (nil days: it
    /// never closes); nil when the order is not held.
    public func orderClosing(_ id: String) throws -> (created: HLC, days: Int64?)? {
        try db.firstRow("SELECT created_hlc, close_days FROM orders WHERE id = ?", { $0(id) }) {
            (HLC(rawValue: $0.int64(0)), $0.optionalInt64(1))
        }
    }
}

extension StoreReader {
    /// How many closed orders this store dropped (``ClosedOrderPruning``): the rows folded
    /// into the state hash's `orders` part.
    public func droppedClosedOrders() throws -> Int64 {
        try db.firstRow("SELECT COALESCE(SUM(rows), 0) FROM hash_folds WHERE tbl = 'orders'", { _ in }) { $0.int64(0) }
            ?? 0
    }
}
