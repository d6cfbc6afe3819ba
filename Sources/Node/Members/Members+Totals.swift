import Storage

extension Members {
    /// What a member spent over their lifetime, from the merged orders: paid minus refunded,
    /// pending and cancelled orders left out (levels by spend, automatic distributor approval).
    static func lifetimeSpend(of member: String, _ r: StoreReader) throws -> Int64 {
        try r.rows(
            "SELECT COALESCE(SUM(paid_cents - refunded_cents), 0) FROM orders WHERE member = ? AND status NOT IN ('pending', 'cancelled')",
            [member]
        ).first?[0] ?? 0
    }

    /// Points a member earned over their lifetime (every credit, whatever was spent since):
    /// what levels by points are based on.
    static func lifetimePoints(of member: String, _ r: StoreReader) throws -> Int64 {
        try r.rows(
            "SELECT COALESCE(SUM(delta), 0) FROM member_ledger WHERE member = ? AND account = 'points' AND delta > 0", [member]
        ).first?[0] ?? 0
    }
}
