import FenxiaoSchema

/// Runs central's PostgreSQL migrations (`schema/postgres/`), each once, in order. Several
/// servers starting at once take turns on an advisory lock, so each migration runs once.
public enum PGSchema {
    /// The advisory-lock key of migrations ("FXIA" + 1).
    static let lockKey = "1180194113"

    public static func migrate(_ connection: PGConnection) throws {
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try connection.query("CREATE TABLE IF NOT EXISTS fenxiao_migrations (id text PRIMARY KEY)")
            let applied = Set(try connection.query("SELECT id FROM fenxiao_migrations").compactMap { $0.first ?? nil })
            let known = Set(FenxiaoSchema.postgresMigrations.map(\.id))
            if let unknown = applied.subtracting(known).sorted().first {
                throw PGError(
                    message:
                        "the database was migrated by a newer fenxiao (migration \(unknown)); upgrade the fenxiao binary"
                )
            }
            for migration in FenxiaoSchema.postgresMigrations where !applied.contains(migration.id) {
                try connection.execute(script: migration.sql)
                try connection.query("INSERT INTO fenxiao_migrations (id) VALUES ($1)", [migration.id])
            }
        }
    }
}
