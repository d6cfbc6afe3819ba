import GRDB
import GRDBSQLite
import Replication
import Synchronization

/// What the writer connection learned in earlier local write transactions and a sale would
/// otherwise read again: the registers it parsed (catalog, promotions, member levels,
/// settings — a sale reads ten and they rarely change) and which conflict roots hold records
/// (``ConflictRootsProbe``: a sale re-derives a few stock levels, each of which used to delete
/// its root's records whether there were any or not), how many stock movements wait to be keyed, and which kinds
/// hold a register at all (a sale asks whether the chain has users).
///
/// Valid only while nothing but this node's own local writes touched the database:
/// ``NodeStore/write(_:)`` checks at the start of each transaction that the main file's
/// data version (`SQLITE_FCNTL_DATA_VERSION`, which moves with every commit of any
/// connection or process, this one included) is where the last committed local write left
/// it — no pull, compaction, quarantine, raw write or other process committed since;
/// otherwise the cache starts empty. Inside a transaction the applier drops a register's entries as it rewrites the
/// register, and a transaction that rolls back leaves the cache empty for the next one.
final class WriterCache: Sendable {
    /// Where the writer stood after the last committed local write.
    typealias Stamp = UInt32

    struct State {
        var stamp: Stamp?
        /// Parsed fields by register; `nil` inside means "no such register".
        var fields: [EntityKey: Fields?] = [:]
        /// The typed payload last read for a register (read as that type again: no parsing).
        var typed: [EntityKey: any Sendable] = [:]
        /// Every register of a kind, for kinds small enough to keep (``listLimit``).
        var lists: [String: [(id: String, fields: Fields)]] = [:]
        /// Which roots hold conflict records, for the local writes that follow; nil until first needed.
        var conflictRoots: ConflictRootsProbe?
        /// Movements waiting to be keyed (``StockMoveKeying``), counted up to its batch; nil
        /// until first needed.
        var unkeyedMoves: Int?
        /// Whether a kind has any register (a sale asks whether the chain has users).
        var kindsHeld: [String: Bool] = [:]
    }

    /// Entries kept at most; the cache starts over when full (a catalog of many thousand
    /// SKUs keeps its most recent reads, not all of them).
    static let entryLimit = 20_000
    /// Kinds with more registers than this are read from the table every time.
    static let listLimit = 500

    private let state = Mutex(State())

    /// At the start of a local write transaction: empties the cache unless the database is
    /// exactly as the last committed local write left it.
    func begin(_ db: Database) throws {
        let now = try Self.stamp(db)
        state.withLock { s in
            if s.stamp != now { s = State() }
            s.stamp = nil  // set again only when this transaction commits
        }
    }

    /// After a local write transaction committed.
    func committed(_ db: Database) throws {
        let now = try Self.stamp(db)
        state.withLock { $0.stamp = now }
    }

    /// A transaction rolled back (or failed before committing): nothing cached survives.
    func reset() { state.withLock { $0 = State() } }

    /// Register `key` was rewritten: drop what was read of it, its kind's list and whether the kind holds any.
    func invalidate(_ key: EntityKey) {
        state.withLock { s in
            s.fields[key] = nil
            s.typed[key] = nil
            s.lists[key.kind] = nil
            s.kindsHeld[key.kind] = nil
        }
    }

    /// Whether `kind` has a register, if known.
    func holdsKind(_ kind: String) -> Bool? { state.withLock { $0.kindsHeld[kind] } }

    /// Whether `kind` has a register, as read.
    func note(kind: String, held: Bool) { state.withLock { $0.kindsHeld[kind] = held } }

    func fields(_ key: EntityKey) -> Fields?? { state.withLock { $0.fields[key] } }

    func store(_ key: EntityKey, fields: Fields?) {
        state.withLock { s in
            Self.makeRoom(&s)
            s.fields[key] = .some(fields)
        }
    }

    func typed<P: ChangePayload>(_: P.Type, _ key: EntityKey) -> P? {
        state.withLock { $0.typed[key] as? P }
    }

    func store<P: ChangePayload>(_ key: EntityKey, typed value: P) {
        state.withLock { s in
            Self.makeRoom(&s)
            s.typed[key] = value
        }
    }

    /// Starts the register entries over when they reached ``entryLimit``.
    private static func makeRoom(_ s: inout State) {
        if s.fields.count + s.typed.count >= entryLimit { (s.fields, s.typed) = ([:], [:]) }
    }

    /// Which roots hold conflict records: what earlier local writes learned and kept up to
    /// date, or a new probe (dropped with the rest of the cache when another writer committed
    /// or a transaction rolled back).
    func conflictRoots() -> ConflictRootsProbe {
        state.withLock { s in
            if let probe = s.conflictRoots { return probe }
            let probe = ConflictRootsProbe()
            s.conflictRoots = probe
            return probe
        }
    }

    /// After a local write that inserted `added` movements: keys them all once a batch is
    /// waiting (``StockMoveKeying/keyIfDue(_:)`` without reading the index on every sale).
    func keyMovesIfDue(_ db: Database, added: Int) throws {
        let known = state.withLock { $0.unkeyedMoves }
        // Unknown: counted from the index (this transaction's own movements included).
        let waiting = try known.map { $0 + added } ?? StockMoveKeying.waiting(db)
        if waiting >= StockMoveKeying.batch {
            try StockMoveKeying.keyAll(db)
            state.withLock { $0.unkeyedMoves = 0 }
        } else {
            state.withLock { $0.unkeyedMoves = waiting }
        }
    }

    func list(_ kind: String) -> [(id: String, fields: Fields)]? { state.withLock { $0.lists[kind] } }

    func store(list: [(id: String, fields: Fields)], of kind: String) {
        guard list.count <= Self.listLimit else { return }
        state.withLock { $0.lists[kind] = list }
    }

    /// The main file's data version as this connection sees it (inside a transaction: current).
    static func stamp(_ db: Database) throws -> Stamp {
        var version: UInt32 = 0
        let code = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_DATA_VERSION, &version)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        return version
    }
}
