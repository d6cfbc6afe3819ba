import GRDB

/// A payment the mall started for an online order (schema 20, central only): with a provider
/// (the sandbox, a real gateway) or from the member's stored value, and where it stands.
public struct MallPaymentRow: Sendable, Equatable, Codable {
    public var id: String
    public var order: String
    public var member: String
    public var provider: String
    public var method: String
    public var amount_cents: Int64
    /// `created`, `paid`, `failed` or `refund_due`.
    public var state: String
    public var provider_txn: String?
    public var created_at: Int64
    public var notified_at: Int64?
    public var note: String?

    public init(
        id: String, order: String, member: String, provider: String, method: String, amount_cents: Int64,
        state: String, provider_txn: String? = nil, created_at: Int64, notified_at: Int64? = nil, note: String? = nil
    ) {
        (self.id, self.order, self.member, self.provider, self.method) = (id, order, member, provider, method)
        (self.amount_cents, self.state, self.provider_txn) = (amount_cents, state, provider_txn)
        (self.created_at, self.notified_at, self.note) = (created_at, notified_at, note)
    }

    init(row: Row) {
        self.init(
            id: row["id"], order: row["order_id"], member: row["member"], provider: row["provider"],
            method: row["method"], amount_cents: row["amount_cents"], state: row["state"],
            provider_txn: row["provider_txn"], created_at: row["created_at"], notified_at: row["notified_at"],
            note: row["note"])
    }
}

extension LocalTransaction {
    /// Records a new mall payment.
    public func insertMallPayment(_ p: MallPaymentRow) throws {
        try db.execute(
            sql: """
                INSERT INTO mall_payments(id, order_id, member, provider, method, amount_cents, state, provider_txn,
                    created_at, notified_at, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                p.id, p.order, p.member, p.provider, p.method, p.amount_cents, p.state, p.provider_txn, p.created_at,
                p.notified_at, p.note,
            ])
    }

    /// A mall payment by id, read inside the transaction.
    public func mallPayment(_ id: String) throws -> MallPaymentRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM mall_payments WHERE id = ?", arguments: [id]).map(
            MallPaymentRow.init(row:))
    }

    /// Records what a notification said about a payment: its new state, the provider's
    /// transaction id and why (for `refund_due`), notified now.
    public func settleMallPayment(_ id: String, state: String, providerTxn: String?, note: String?) throws {
        try db.execute(
            sql: """
                UPDATE mall_payments SET state = ?, provider_txn = COALESCE(?, provider_txn), note = ?, notified_at = ?
                WHERE id = ?
                """, arguments: [state, providerTxn, note, nowMillis, id])
    }
}

extension StoreReader {
    /// The mall payments of an order, oldest first.
    public func mallPayments(order: String) throws -> [MallPaymentRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM mall_payments WHERE order_id = ? ORDER BY created_at, rowid", arguments: [order]
        ).map(MallPaymentRow.init(row:))
    }

    /// A mall payment by id.
    public func mallPayment(_ id: String) throws -> MallPaymentRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM mall_payments WHERE id = ?", arguments: [id]).map(
            MallPaymentRow.init(row:))
    }

    /// Mall payments, or those in `state`, newest first.
    public func mallPayments(state: String?, limit: Int) throws -> [MallPaymentRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM mall_payments WHERE (?1 IS NULL OR state = ?1) ORDER BY created_at DESC, rowid DESC LIMIT ?2
                """, arguments: [state, limit]
        ).map(MallPaymentRow.init(row:))
    }
}
