import GRDB

extension StoreReader {
    /// How many outbox events wait for delivery (central's `/metrics` backlog gauge): a count,
    /// not the rows.
    public func outboxBacklog() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL") ?? 0
    }
}
