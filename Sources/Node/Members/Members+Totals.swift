import Storage

extension Members {
    /// What a member spent over their lifetime, from the merged orders: paid minus refunded,
    /// pending and cancelled orders left out (levels by spend, automatic distributor approval).
    static func lifetimeSpend(of member: String, _ r: StoreReader) throws -> Int64 {
        try r.lifetimeSpend(member: member)
    }

    /// Points a member earned over their lifetime (every credit, whatever was spent since):
    /// what levels by points are based on.
    static func lifetimePoints(of member: String, _ r: StoreReader) throws -> Int64 {
        try r.lifetimePointsEarned(member: member)
    }
}
