import GRDB

/// One commission entry as stored (see the `commissions` table).
public struct CommissionEntryRow: Sendable, Equatable {
    public var order: String
    public var level: Int64
    public var distributor: String
    public var rule: String?
    public var earnCents: Int64
    public var reversedCents: Int64
    public var paidAt: Int64?
    public var completedAt: Int64?
    public var windowDays: Int64
}

extension StoreReader {
    /// Per member whose orders name `distributor` as their first upline: the count of orders
    /// that were paid (not pending, not cancelled) and their net paid amount in fen.
    public func customerSpend(ofDistributor distributor: String) throws -> [String: (orders: Int64, cents: Int64)] {
        let rows = try rows(
            """
            SELECT member, COUNT(*), COALESCE(SUM(paid_cents - refunded_cents), 0) FROM orders
            WHERE json_extract(upline, '$[0]') = ? AND member IS NOT NULL
            AND status NOT IN ('pending', 'cancelled') GROUP BY member
            """, [distributor])
        return Dictionary(rows.map { row -> (String, (orders: Int64, cents: Int64)) in (row[0], (row[1], row[2])) }) {
            first, _ in first
        }
    }

    /// Every commission entry (all distributors), in table order.
    public func commissionEntries() throws -> [CommissionEntryRow] {
        try rows(
            "SELECT order_id, level, distributor, earn_cents, reversed_cents, paid_at, completed_at, window_days FROM commissions"
        )
        .map {
            CommissionEntryRow(
                order: $0["order_id"], level: $0["level"], distributor: $0["distributor"], rule: nil,
                earnCents: $0["earn_cents"],
                reversedCents: $0["reversed_cents"], paidAt: $0["paid_at"], completedAt: $0["completed_at"],
                windowDays: $0["window_days"])
        }
    }

    /// One distributor's commission entries, by payment time then order.
    public func commissionEntries(distributor: String) throws -> [CommissionEntryRow] {
        try rows(
            "SELECT order_id, level, rule, earn_cents, reversed_cents, paid_at, completed_at, window_days FROM commissions WHERE distributor = ? ORDER BY paid_at, order_id",
            [distributor]
        ).map {
            CommissionEntryRow(
                order: $0["order_id"], level: $0["level"], distributor: distributor, rule: $0["rule"],
                earnCents: $0["earn_cents"],
                reversedCents: $0["reversed_cents"], paidAt: $0["paid_at"], completedAt: $0["completed_at"],
                windowDays: $0["window_days"])
        }
    }

    /// Sales (paid − refunded) and order count of the orders a distributor sold directly
    /// (first in the order's upline), pending and cancelled orders left out, within a window.
    public func distributorSales(_ distributor: String, in window: OrderWindow = OrderWindow()) throws -> (
        cents: Int64, orders: Int64
    ) {
        let (filter, args) = window.sql
        let row = try rows(
            """
            SELECT COALESCE(SUM(paid_cents - refunded_cents), 0), COUNT(*) FROM orders
            WHERE json_extract(upline, '$[0]') = ? AND status NOT IN ('pending', 'cancelled')\(filter)
            """, [distributor as any SQLValue] + args
        ).first
        return (row.map { $0[0] as Int64 } ?? 0, row.map { $0[1] as Int64 } ?? 0)
    }
}
