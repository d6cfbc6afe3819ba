import Foundation
import GRDB
import Replication

/// A node's storage: its identity, its SQLite pool and the one way to write to it.
///
/// Every write runs in one `BEGIN IMMEDIATE` transaction that appends change records and
/// applies them to the domain tables through the same ``ChangeApplier`` that applies remote
/// changes, so a domain row never exists without its change and vice versa.
public final class NodeStore: Sendable {
    public let identity: NodeIdentity
    public let directory: String
    let pool: DatabasePool
    /// Wall clock in ms since the epoch; injected so tests can skew it.
    let wallClock: @Sendable () -> Int64
    /// The log this central server shares with others (docs/POSTGRES.md); nil for a single
    /// central and for stores.
    public let shared: (any SharedLog)?
    /// What earlier local writes learned: parsed registers, conflict roots, waiting movements (``WriterCache``).
    let writerCache = WriterCache()
    /// The writer connection, whose statements ``WriterStatements`` keeps while this store lives.
    private let writerConnection: ObjectIdentifier?

    /// The system clock, shifted by `FENXIAO_CLOCK_SKEW_MS` when set (for skew tests).
    public static func systemWallClock() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + skewMillis
    }

    /// Read once: the environment is not cheap to query on every clock tick.
    static let skewMillis: Int64 =
        ProcessInfo.processInfo.environment["FENXIAO_CLOCK_SKEW_MS"].flatMap { Int64($0) } ?? 0

    /// The node's wall clock now (ms since the epoch).
    public func wallNow() -> Int64 { wallClock() }

    init(
        identity: NodeIdentity, directory: String, pool: DatabasePool, wallClock: @escaping @Sendable () -> Int64,
        shared: (any SharedLog)? = nil
    ) {
        self.identity = identity
        self.directory = directory
        self.pool = pool
        self.wallClock = wallClock
        self.shared = shared
        writerConnection = try? pool.writeWithoutTransaction { WriterStatements.register($0) }
    }

    deinit {
        if let writerConnection { WriterStatements.unregister(writerConnection) }
    }

    /// Opens the node in `directory`. A central server whose log is shared (its file names
    /// the database) connects through `sharedLog`, and is refused without one.
    public static func open(
        directory: String, wallClock: @escaping @Sendable () -> Int64 = NodeStore.systemWallClock,
        sharedLog: (@Sendable (String) throws -> any SharedLog)? = nil
    ) throws(StorageError) -> NodeStore {
        let (pool, identity) = try NodeDatabase.open(directory: directory)
        let url: String?
        do { url = try pool.read { try Meta.get($0, SharedLogKeys.url) } } catch {
            throw StorageError(.io, "cannot read \(directory): \(error)")
        }
        guard let url else {
            return NodeStore(identity: identity, directory: directory, pool: pool, wallClock: wallClock)
        }
        guard let sharedLog else {
            throw StorageError(
                .refused, "\(directory) is a central server whose log is in a shared database; open it with fenxiao")
        }
        let shared = try sharedErrors { try sharedLog(url) }
        let store = NodeStore(
            identity: identity, directory: directory, pool: pool, wallClock: wallClock, shared: shared)
        try sharedErrors { try store.catchUpShared() }
        return store
    }

    /// Creates a central server in `directory` whose log is the shared one at `url`: an empty
    /// file that takes the shared log's changes (made by the servers before it) at once.
    public static func createShared(
        directory: String, url: String, sharedLog: @Sendable (String) throws -> any SharedLog,
        wallClock: @escaping @Sendable () -> Int64 = NodeStore.systemWallClock
    ) throws(StorageError) -> NodeStore {
        let shared = try sharedErrors { try sharedLog(url) }
        let identity = NodeIdentity(node: .central, role: .central)
        let pool = try NodeDatabase.create(directory: directory, identity: identity)
        let store = NodeStore(
            identity: identity, directory: directory, pool: pool, wallClock: wallClock, shared: shared)
        try sharedErrors {
            let proposed = Int64(try store.read { try $0.meta("created_at") } ?? "0") ?? 0
            let created = try shared.chainCreatedAt(proposing: proposed)
            try store.setMeta([SharedLogKeys.url: url, "created_at": String(created)])
            try store.catchUpShared()
        }
        return store
    }

    /// `body`'s errors as storage errors (a shared log's own are already; anything else is I/O).
    static func sharedErrors<T>(_ body: () throws -> T) throws(StorageError) -> T {
        do { return try body() } catch let e as StorageError { throw e } catch { throw StorageError(.io, "\(error)") }
    }

    /// Creates a node in `directory`.
    public static func create(
        directory: String, identity: NodeIdentity,
        wallClock: @escaping @Sendable () -> Int64 = NodeStore.systemWallClock
    ) throws(StorageError) -> NodeStore {
        let pool = try NodeDatabase.create(directory: directory, identity: identity)
        return NodeStore(identity: identity, directory: directory, pool: pool, wallClock: wallClock)
    }

    /// Runs `body` in one write transaction; its emitted changes and their rows commit together.
    public func write<T>(_ body: (inout LocalTransaction) throws -> T) throws -> T {
        try mapErrors {
            try pool.writeWithoutTransaction { db in
                var result: T?
                do {
                    try db.immediateTransaction {
                        result = try sharedWrite(db) {
                            // After a shared log's catch-up: what it applied also empties the cache.
                            try writerCache.begin(db)
                            var tx = try LocalTransaction(
                                db: db, identity: identity, wallMillis: wallClock(), cache: writerCache)
                            let result = try body(&tx)
                            try tx.finish()
                            return result
                        }
                    }
                    try writerCache.committed(db)
                } catch {
                    writerCache.reset()
                    throw error
                }
                guard let result else { throw StorageError(.io, "transaction produced no result") }
                return result
            }
        }
    }

    /// Applies changes received from another node, in one transaction, idempotently.
    /// `validate` runs inside the transaction before anything is applied (authorization);
    /// `extra` runs after, for bookkeeping that must commit with the changes.
    /// With `clampAhead` (central accepting a push), each register write stamped beyond the
    /// clock bound gets a `clock_clamp` in the same transaction (sync/PROTOCOL.md §3.2).
    public func applyRemote(
        _ changes: [ChangeRecord], clampAhead: Bool = false, validate: ((StoreReader) throws -> Void)? = nil,
        extra: ((Database) throws -> Void)? = nil
    ) throws -> ApplyReport {
        try mapErrors {
            try pool.writeWithoutTransaction { db in
                var report = ApplyReport()
                try db.immediateTransaction {
                    report = try sharedWrite(db) {
                        try validate?(StoreReader(db: db, identity: identity))
                        let report = try Self.applyRemote(
                            changes, db: db, identity: identity, wallMillis: wallClock(), clampAhead: clampAhead)
                        try extra?(db)
                        return report
                    }
                }
                return report
            }
        }
    }

    static func applyRemote(
        _ changes: [ChangeRecord], db: Database, identity: NodeIdentity, wallMillis: Int64, clampAhead: Bool = false
    ) throws -> ApplyReport {
        var applier = ChangeApplier(db: db, role: identity.role)
        applier.keysMoves = changes.count >= StockMoveKeying.directBatch
        applier.conflictRoots = ConflictRootsProbe()
        applier.compacted = try LogCompaction.watermarks(db)
        let bound = try Meta.clockBound(db)
        let trustedWall = try Meta.trustedWall(db, wallMillis: wallMillis)
        var ahead: [ChangeRecord] = []
        // Borrowed, not `for c in changes`: copying a change retains each of its parts.
        try changes.withUnsafeBufferPointer { batch in
            let logged = try LogRowsAhead(batch, db: db)
            try RecordRowsAhead.insert(batch, db: db, compacted: applier.compacted, isNew: logged.isNew)
            applier.logRowsAhead = logged
            for i in batch.indices {
                if try applier.apply(batch[i]), clampAhead, case .register = batch[i].kind.policy,
                    bound.isAhead(batch[i].hlc, wallMillis: trustedWall)
                {
                    ahead.append(batch[i])
                }
            }
        }
        try applier.finish()
        if applier.insertedMoves > 0 { try StockMoveKeying.keyIfDue(db) }
        // Bounded: a received stamp moves this clock at most `maxOffset` past the trusted wall.
        var clock = HybridClock(last: try Meta.hlc(db))
        if clock.observe(applier.report.maxHLC, wallMillis: trustedWall, bound: bound) {
            applier.report.aheadOfBound = true
        }
        try Meta.set(db, "hlc", String(clock.last.rawValue))
        var clampConflicts = 0
        if !ahead.isEmpty {
            (applier.report.clamped, clampConflicts) = try ClockClamps.emit(
                for: ahead, db: db, identity: identity, wallMillis: wallMillis)
        }
        applier.report.conflictsAfter = applier.conflictTally.delta + clampConflicts
        return applier.report
    }

    /// Read-only access for queries.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try mapErrors { try pool.read { db in try body(StoreReader(db: db, identity: identity)) } }
    }

    /// Runs a raw write without change capture, for node-local bookkeeping (sync cursors, peers).
    public func writeLocal<T>(_ body: (Database) throws -> T) throws -> T {
        try mapErrors {
            try pool.writeWithoutTransaction { db in
                var result: T?
                try db.immediateTransaction { result = try body(db) }
                guard let result else { throw StorageError(.io, "transaction produced no result") }
                return result
            }
        }
    }

    /// Folds the WAL into the main file (before copying or replacing the file).
    public func checkpoint() throws {
        _ = try mapErrors {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }

    /// Checks the file with `PRAGMA quick_check`; throws when SQLite reports damage.
    public func quickCheck() throws {
        let result = try mapErrors { try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") } }
        guard result == ["ok"] else {
            throw StorageError.damaged(
                "\(directory)/\(NodeDatabase.fileName)", detail: result.prefix(3).joined(separator: "; "))
        }
    }

    func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as DatabaseError {
            switch e.resultCode {
            case .SQLITE_FULL:
                throw StorageError(.io, "the disk is full; nothing was written. Free space and try again")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                throw StorageError.damaged("\(directory)/\(NodeDatabase.fileName)")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                throw StorageError(
                    .busy,
                    LockHolders.message(
                        path: (directory as NSString).appendingPathComponent(NodeDatabase.fileName),
                        waitedSeconds: NodeDatabase.busyTimeoutSeconds))
            case .SQLITE_IOERR:
                throw StorageError(
                    .io, "the disk reported an I/O error; nothing was written. Check the disk and try again")
            default:
                throw StorageError(.io, "database error: \(e.message ?? "\(e.resultCode)")")
            }
        }
    }
}

/// Node-local key/value bookkeeping in `node_meta`.
public enum Meta {
    public static func get(_ db: Database, _ key: String) throws -> String? {
        try db.firstRow("SELECT value FROM node_meta WHERE key = ?", { $0(key) }) { $0.optionalText(0) } ?? nil
    }

    public static func set(_ db: Database, _ key: String, _ value: String) throws {
        try db.step("INSERT OR REPLACE INTO node_meta(key, value) VALUES (?, ?)") { bind in
            bind(key)
            bind(value)
        }
    }

    /// The node's clock: the last stamp it gave or observed. A store's sale does not write it
    /// (one page fewer per commit): its own latest change carries the stamp, so the clock is
    /// the later of `node_meta.hlc` and that change's (``LocalTransaction/finish()``).
    static func hlc(_ db: Database) throws -> HLC {
        let kept = HLC(rawValue: Int64(try get(db, "hlc") ?? "0") ?? 0)
        let own = try db.firstRow(
            """
            SELECT hlc FROM change_log WHERE origin = (SELECT value FROM node_meta WHERE key = 'node')
            ORDER BY seq DESC LIMIT 1
            """, { _ in }
        ) { HLC(rawValue: $0.int64(0)) }
        return max(kept, own ?? .zero)
    }

    /// The clock (as ``hlc(_:)``) and the highest seq `node` authored (0 before its first
    /// change), with one read of its latest change: what a local transaction starts from.
    static func clockAndLastSeq(_ db: Database, node: NodeID) throws -> (HLC, Int64) {
        let kept = HLC(rawValue: Int64(try get(db, "hlc") ?? "0") ?? 0)
        let latest = try db.firstRow(
            "SELECT seq, hlc FROM change_log WHERE origin = ? ORDER BY seq DESC LIMIT 1", { $0(node.rawValue) }
        ) { (seq: $0.int64(0), hlc: HLC(rawValue: $0.int64(1))) }
        return (max(kept, latest?.hlc ?? .zero), latest?.seq ?? 0)
    }
}
