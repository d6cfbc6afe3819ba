import GRDB
import GRDBSQLite
import Synchronization

/// A node's writer connection's prepared statements, found by where their SQL text lives.
///
/// GRDB's `cachedStatement(sql:)` finds a statement by hashing its whole SQL text: ~100 ns for
/// the ~150-byte statements of the apply path, which runs a few hundred thousand of them for a
/// day of pushes (~4 % of central's writer, ~3 % of a sale in the profile). The statements of
/// that path are string literals, whose text never moves, so this shelf keys them by the
/// address of their UTF-8 bytes in a small direct-mapped table and confirms a hit with `==`
/// (a pointer comparison when it is the same literal; a full comparison otherwise, so a
/// string built at run time whose bytes happen to sit where another's did is never mistaken
/// for it). Texts of up to 15 bytes are stored inside the `String` itself (no address) and go
/// to GRDB's cache, as does everything on connections without a shelf (readers, tools).
///
/// A shelf belongs to one ``NodeStore``'s writer connection: registered when the store opens,
/// dropped (and its statements finalized) when the store goes, while the connection is still
/// open. It is used only on that connection's queue, one caller at a time.
final class WriterStatements: @unchecked Sendable {
    /// Slots of the table (a power of two); a collision replaces the slot's statement.
    static let slots = 256

    private struct Slot {
        let sql: String
        let statement: Statement
    }

    private var table = [Slot?](repeating: nil, count: WriterStatements.slots)

    /// The statement for `sql` on `db` (this shelf's connection), prepared on first use.
    func statement(_ sql: String, _ db: Database) throws -> Statement {
        var sql = sql
        guard
            let address = sql.withUTF8({ bytes in
                bytes.count > 15 ? UInt(bitPattern: bytes.baseAddress) : nil
            })
        else { return try db.cachedStatement(sql: sql) }
        let index = Int((address >> 4) & UInt(Self.slots - 1))
        if let slot = table[index], slot.sql == sql { return slot.statement }
        let statement = try db.cachedStatement(sql: sql)
        table[index] = Slot(sql: sql, statement: statement)
        return statement
    }

    // MARK: The shelves of open stores

    /// By connection object, with its SQLite handle: a handle a shelf's statements keep open
    /// cannot be reused by another connection, so a match on both is this connection.
    private static let shelves = Mutex<[(connection: ObjectIdentifier, handle: UInt, shelf: WriterStatements)]>([])

    /// Gives `db` (a store's writer connection) a shelf of its own; returns the key for
    /// ``unregister(_:)``.
    @discardableResult
    static func register(_ db: Database) -> ObjectIdentifier {
        let id = ObjectIdentifier(db)
        let handle = UInt(bitPattern: db.sqliteConnection)
        shelves.withLock { list in
            list.removeAll { $0.connection == id }
            list.append((id, handle, WriterStatements()))
        }
        return id
    }

    /// Drops the shelf of a connection registered with ``register(_:)``.
    static func unregister(_ connection: ObjectIdentifier) {
        let dropped = shelves.withLock { list in
            let held = list.filter { $0.connection == connection }
            list.removeAll { $0.connection == connection }
            return held
        }
        _ = dropped  // statements are finalized here, outside the lock
    }

    /// The shelf of `db`, if it is a registered writer connection.
    static func shelf(of db: Database) -> WriterStatements? {
        let id = ObjectIdentifier(db)
        let handle = UInt(bitPattern: db.sqliteConnection)
        return shelves.withLock { list in
            for entry in list where entry.connection == id && entry.handle == handle { return entry.shelf }
            return nil
        }
    }
}

extension Database {
    /// A prepared statement for `sql`, reused across calls: from the writer's shelf
    /// (``WriterStatements``) on a store's writer connection, from GRDB's cache elsewhere.
    func statement(_ sql: String) throws -> Statement {
        if let shelf = WriterStatements.shelf(of: self) { return try shelf.statement(sql, self) }
        return try cachedStatement(sql: sql)
    }

    /// `inTransaction(.immediate)` with its `BEGIN` and `COMMIT` prepared once: GRDB prepares
    /// both anew for every transaction (~3 % of a sale, which is one transaction). Same
    /// semantics: `body`'s error, or a failed commit, rolls the transaction back and is thrown.
    func immediateTransaction(_ body: () throws -> Void) throws {
        try reset(statement("BEGIN IMMEDIATE TRANSACTION")).execute()
        do {
            try body()
            try reset(statement("COMMIT TRANSACTION")).execute()
        } catch {
            // Some errors (SQLITE_FULL, SQLITE_IOERR…) roll back by themselves; then there is
            // nothing left to roll back.
            if isInsideTransaction { try? rollback() }
            throw error
        }
    }

    /// `statement`, reset: a reused statement whose last run failed (a commit the disk refused)
    /// would report that failure again when GRDB resets it before running it.
    private func reset(_ statement: Statement) -> Statement {
        sqlite3_reset(statement.sqliteStatement)
        return statement
    }
}
