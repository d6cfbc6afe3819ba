import GRDB
import Replication

/// What one archive run did at central (`fenxiao archive`).
public struct ArchiveReport: Sendable, Encodable, Equatable {
    /// Changes moved from the hot log to the archive in this run.
    public var archived: Int
    /// Changes left in the hot log.
    public var remaining: Int
    /// Changes in the archive.
    public var in_archive: Int
    /// Changes stamped at or below this were eligible (the lower of the frontier and the
    /// retention limit; `HLC.rawValue`; 0 while an enrolled store never promised).
    public var cutoff_hlc: Int64
    /// Every store that holds the frontier has pulled up to this log position: only changes at
    /// or below it were eligible.
    public var pulled_pos: Int64
    public var keep_days: Int
}

/// Central's archive (docs/STABILITY.md, "Central's archive"): the settled changes of the
/// stores leave central's hot log — the table every push appends to and every pull, snapshot
/// and sync check reads by index — for `change_archive`, which only the rare readers of old
/// history read: a store pulling from far behind (a restore, `recover`, `join --full-pull`),
/// `fenxiao recover`'s return of a store's own changes, a rejoining store's snapshot, an
/// order's story and its re-derivation at head office, and the promotion report.
///
/// A change moves when
/// - it is another node's (a store's), of a kind whose effect lives on whole in a table row
///   (``LogCompaction/kinds``: lines, payments, refunds, stock movements, member entries, audit
///   records) or an order's (re-deriving an order reads both tables) — registers, which every
///   node re-derives and sync checks read, stay;
/// - it is stamped at or below the frontier (final) and older than the retention;
/// - every store that holds the frontier has pulled past it (`peers.pull_cursor`), and it is
///   not the newest change of the log (positions are never reused);
/// - it is not the highest seq central holds of its origin (what a push continues from).
///
/// Per origin the highest seq archived goes to `log_compacted`, so a store's re-push of an
/// archived change is recognized as a duplicate — and compared with the archived copy: a reused
/// seq with other content is refused as before. The state hash covers tables, never the log, so
/// it does not change. Backups copy the archive with the rest of the file. Runs in chunks of
/// short write transactions, continuing where the last one stopped.
enum CentralArchive {
    /// The archive: the hot log's columns, positions kept.
    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS change_archive (
            pos    INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            seq    INTEGER NOT NULL,
            hlc    INTEGER NOT NULL,
            kind   TEXT NOT NULL,
            entity TEXT NOT NULL,
            op     TEXT NOT NULL,
            fields TEXT NOT NULL,
            ctx    TEXT NOT NULL,
            scope  TEXT NOT NULL,
            UNIQUE (origin, seq)
        )
        """,
        // A lagging store's pull reads the archived global changes by position.
        "CREATE INDEX IF NOT EXISTS change_archive_scope ON change_archive(scope, pos)",
    ]

    /// The kinds that move: what a store compacts (``LogCompaction/kinds``), and orders — central
    /// keeps every order row, and re-deriving one (a late payment, a commission rule) reads its
    /// history from both tables.
    static let kinds = LogCompaction.kinds + [EntityKind.order.rawValue]
    static let kindList = kinds.map { "'\($0)'" }.joined(separator: ", ")

    /// `node_meta`: the log position the next run starts after.
    static let positionKey = "archive_pos"
    /// `node_meta`: the highest position archived (readers skip the archive above it).
    static let highKey = "archive_high_pos"

    /// The highest position archived (0 before any run).
    static func high(_ db: Database) throws -> Int64 {
        Int64(try Meta.get(db, highKey) ?? "0") ?? 0
    }

    /// The position every store that holds the frontier has pulled up to.
    static func pulledByAll(_ db: Database) throws -> Int64 {
        try db.firstRow(
            """
            SELECT MIN(pull_cursor) FROM peers WHERE retired_at IS NULL AND token_hash NOT LIKE '%:admin'
            """, { _ in }
        ) { $0.int64(0) } ?? 0
    }

    /// One chunk: up to `chunk` changes by position after the last run's end. Returns how many
    /// moved and whether the run is done (at the end, or at a change too new).
    static func archiveChunk(_ db: Database, cutoff: HLC, chunk: Int) throws -> (moved: Int, done: Bool) {
        let from = Int64(try Meta.get(db, positionKey) ?? "0") ?? 0
        let newest = try db.firstRow("SELECT COALESCE(MAX(pos), 0) FROM change_log", { _ in }) { $0.int64(0) } ?? 0
        // Nor past what the snapshots' member-ledger folds have read (they find the members
        // with new entries in the hot log, ``SnapshotLedgerFolds``).
        let folded = Int64(try Meta.get(db, SnapshotLedgerFolds.positionKey) ?? "0") ?? 0
        let limit = min(try pulledByAll(db), newest - 1, folded)
        // How far this chunk goes: up to `chunk` changes, stopping before the first too new.
        let (to, more) = try NodeStore.settledPrefix(
            db, "SELECT pos, hlc FROM change_log WHERE pos > ? AND pos <= ? ORDER BY pos LIMIT ?",
            { bind in
                bind(from)
                bind(limit)
                bind(Int64(chunk))
            }, from: from, cutoff: cutoff, chunk: chunk)
        guard to > from else { return (0, true) }
        // The stores' changes of the compactable kinds in (from, to], less each origin's highest.
        let range = """
            FROM change_log WHERE pos > ?1 AND pos <= ?2 AND origin <> ?3 AND kind IN (\(kindList))
              AND seq < (SELECT v.seq FROM version_vector v WHERE v.origin = change_log.origin)
            """
        let arguments: StatementArguments = [from, to, NodeID.central.rawValue]
        try db.execute(
            sql: """
                INSERT INTO log_compacted(origin, seq) SELECT origin, MAX(seq) \(range) GROUP BY origin
                ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                """, arguments: arguments)
        try db.execute(
            sql:
                "INSERT INTO change_archive(pos, \(ChangeLogCodec.columns)) SELECT pos, \(ChangeLogCodec.columns) \(range)",
            arguments: arguments)
        let moved = db.changesCount
        try db.execute(sql: "DELETE \(range)", arguments: arguments)
        if moved > 0 {
            try Meta.set(db, highKey, String(max(try high(db), to)))
            try LogCompaction.raiseCutoff(db, to: cutoff)
        }
        try Meta.set(db, positionKey, String(to))
        return (moved, !more)
    }
}

extension StoreReader {
    /// Central: how many changes its archive holds (0 at a store, which has none).
    public func archivedChangeCount() throws -> Int {
        guard identity.role == .central else { return 0 }
        return try Int.fetchOne(db.statement("SELECT COUNT(*) FROM change_archive")) ?? 0
    }
}

extension NodeStore {
    /// Central: moves the stores' settled changes from the hot log to the archive (see
    /// ``CentralArchive``); `keepDays` replaces the stored retention when given. Each chunk is
    /// its own transaction.
    public func archiveLog(keepDays: Int? = nil, chunk: Int = 20_000) throws -> ArchiveReport {
        guard identity.role == .central else {
            throw StorageError(.refused, "the archive is central's; a store compacts its log instead")
        }
        guard shared == nil else {
            throw StorageError(
                .refused,
                "central's log is in PostgreSQL here; archive it there (docs/POSTGRES.md), not in a server's copy")
        }
        if let keepDays {
            if let problem = LogCompaction.keepDaysProblem(keepDays) { throw StorageError(.refused, problem) }
            try setMeta([LogCompaction.Keys.keepDays: String(keepDays)])
        }
        try advanceSnapshotFolds()
        let now = wallClock()
        let cutoff = try read { r in
            min(
                HLC(rawValue: try r.stabilityFrontier(wallMillis: now).hlc),
                try Self.retention(r.db, now: now))
        }
        var archived = 0
        if cutoff > .zero {
            while true {
                let step = try writeLocal { db in try CentralArchive.archiveChunk(db, cutoff: cutoff, chunk: chunk) }
                archived += step.moved
                if step.done { break }
            }
        }
        return try read { r in
            ArchiveReport(
                archived: archived, remaining: try r.changeCount(),
                in_archive: try r.archivedChangeCount(),
                cutoff_hlc: cutoff.rawValue, pulled_pos: try CentralArchive.pulledByAll(r.db),
                keep_days: try r.logKeepDays())
        }
    }
}
