import Commerce
import GRDB

/// The money of one till shift, read from its payments and refunds (schema 15).
public struct ShiftMoney: Sendable {
    /// Each payment of the shift: its order, method and amount (fen; points for `points`).
    public var payments: [(order: String, method: String, cents: Int64)]
    /// Each refund part of the shift's refunds: method and amount.
    public var refundParts: [(method: String, cents: Int64)]
    /// Each refund of the shift: its amount.
    public var refunds: [Int64]
}

extension StoreReader {
    /// The member holding a phone: the first claim of `phone:<number>` by (hlc, origin, seq).
    public func memberHolding(phone: String) throws -> String? {
        try rows("SELECT claimant FROM claims WHERE key = ? ORDER BY hlc, origin, seq LIMIT 1", ["phone:\(phone)"])
            .first.map { String(($0["claimant"] as String).dropFirst("member:".count)) }
    }

    /// The SKU carrying a barcode (the first by code when several do).
    public func sku(barcode: String) throws -> String? {
        try rows(
            "SELECT id FROM registers WHERE kind = 'sku' AND json_extract(fields, '$.barcode') = ? ORDER BY id LIMIT 1",
            [barcode]
        ).first.map { $0["id"] as String }
    }

    /// Order ids ending with `suffix` (letters and digits only), newest first.
    public func orderIDs(endingWith suffix: String, limit: Int) throws -> [String] {
        guard suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return [] }
        return try rows(
            "SELECT id FROM orders WHERE id LIKE ? ORDER BY created_at DESC, id DESC LIMIT ?", ["%" + suffix, limit]
        )
        .map { $0["id"] as String }.filter { $0.hasSuffix(suffix) }
    }

    /// The payments and refunds that name a shift.
    public func shiftMoney(_ shift: String) throws -> ShiftMoney {
        ShiftMoney(
            payments: try rows(
                "SELECT order_id, method, amount_cents FROM payments WHERE shift = ? ORDER BY hlc, id", [shift]
            )
            .map { ($0["order_id"], $0["method"], $0["amount_cents"]) },
            refundParts: try rows(
                "SELECT p.method, p.amount_cents FROM refund_parts p JOIN refunds f ON f.id = p.refund_id WHERE f.shift = ?",
                [shift]
            ).map { ($0["method"], $0["amount_cents"]) },
            refunds: try rows("SELECT amount_cents FROM refunds WHERE shift = ?", [shift]).map { $0["amount_cents"] })
    }

    /// Points a member earned on an order at the counter (its `order` points entries).
    public func pointsEarned(order: String) throws -> Int64 {
        try rows(
            "SELECT COALESCE(SUM(delta), 0) AS d FROM member_ledger WHERE ref = ? AND account = 'points' AND reason = 'order'",
            [order]
        ).first?["d"] ?? 0
    }

    /// The user of the first audit entry of `action` on `subject` (who sold an order).
    public func firstAuditUser(action: String, subject: String) throws -> String? {
        try rows(
            "SELECT user FROM audit_log WHERE action = ? AND subject = ? ORDER BY at, id LIMIT 1", [action, subject]
        )
        .first.map { $0["user"] as String }
    }
}
