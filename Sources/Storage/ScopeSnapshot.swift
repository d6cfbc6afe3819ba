import Commerce
import FenxiaoSchema
import Foundation
import GRDB
import Replication

/// What a scope snapshot holds and where the store that loads it carries on from
/// (docs/STABILITY.md, "Snapshot bootstrap"; sync/PROTOCOL.md §8.9).
public struct SnapshotManifest: Sendable, Codable, Equatable {
    /// The store the snapshot was made for (its scope and the global one).
    public var node: String
    /// Central's log position the snapshot covers: the store pulls after it.
    public var cursor: Int64
    /// Changes of the kinds that live on whole in table rows stamped at or below this are
    /// rows only (as after a compaction); every other change of the scope is in the log.
    public var frontier: Int64
    /// Central's clock when the snapshot was made: the store's clock moves past it.
    public var hlc: Int64
    /// The state hash of the rows (the store's own hash must equal it once loaded).
    public var state_hash: String
    /// Table rows and log changes the snapshot carries.
    public var rows: Int
    public var changes: Int
    public var schema: Int
    /// The store's own highest seq central holds (0 for a new store): a store that lost its
    /// file gets its own changes back in the log, acknowledged up to here.
    public var own_seq: Int64
}

/// A consistent copy of one store's scopes at central — the rows a store has after pulling
/// everything and compacting at the frontier, the changes it would still keep in its log,
/// and central's version vector as the watermarks that make every earlier change a duplicate
/// — so a new store joins by loading it instead of pulling (and applying) the whole history.
///
/// Central writes it as an SQLite file with the node schema, from one read transaction on
/// its own file (`ATTACH`), without holding its writer; the store loads it in one
/// transaction, checks the state hash, and pulls the changes after `cursor` as usual.
public enum ScopeSnapshot {
    /// Replicated tables copied row for row, filtered by scope: the state hash's tables and the
    /// digests of rows folded away (`hash_folds`).
    static var scopedTables: [String] { StateHash.tables.map(\.name) + ["hash_folds", "member_bases"] }
    /// The `node_meta` key of the snapshot's manifest (JSON).
    static let manifestKey = "snapshot_manifest"

    /// The columns of `table` in schema order (both files run the same migrations).
    static func columns(_ db: Database, _ table: String) throws -> String {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
            .joined(separator: ", ")
    }

    /// The changes a new store keeps, from `source`'s log, in its order (arguments: the store,
    /// its scope, central, the cutoff): its own (archived ones too, ``CentralArchive``), the global ones of other origins less the
    /// settled compactable ones, and its scope as central wrote it. Read by ranges of central's
    /// indexes, never row by row over history: the pull index for its own scope and central's
    /// global changes; for the other origins' global changes (every store's member entries),
    /// `change_log_global` by (origin, kind, stamp), so the settled compactable ones below the
    /// cutoff (most of them) are skipped as a range instead of read and left out.
    static func keptChangesSQL(from source: String) -> String {
        let others = "(SELECT origin FROM \(source).version_vector WHERE origin <> ?1 AND origin <> ?3)"
        return """
            SELECT \(ChangeLogCodec.columns) FROM (
            SELECT pos, \(ChangeLogCodec.columns) FROM \(source).change_log WHERE pos IN (
                SELECT pos FROM \(source).change_log WHERE origin = ?1
                UNION ALL
                SELECT pos FROM \(source).change_log INDEXED BY change_log_global
                WHERE scope = 'global' AND origin IN \(others) AND kind IN (\(LogCompaction.kindList)) AND hlc > ?4
                UNION ALL
                SELECT pos FROM \(source).change_log INDEXED BY change_log_global
                WHERE scope = 'global' AND origin IN \(others) AND kind IN (\(keptKindList))
                UNION ALL
                SELECT pos FROM \(source).change_log INDEXED BY change_log_pull WHERE scope = 'global' AND origin = ?3
                UNION ALL
                SELECT pos FROM \(source).change_log INDEXED BY change_log_pull WHERE scope = ?2 AND origin = ?3)
            UNION ALL
            SELECT pos, \(ChangeLogCodec.columns) FROM \(source).change_archive WHERE origin = ?1)
            ORDER BY pos
            """
    }

    /// Every kind compaction never drops, quoted for SQL.
    static let keptKindList = EntityKind.allCases.map(\.rawValue).filter { !LogCompaction.kinds.contains($0) }
        .map { "'\($0)'" }.joined(separator: ", ")

    /// The history rows (`entity_history`) of the changes the new store keeps, from `source`:
    /// one primary-key look-up per kept change (`CROSS JOIN` keeps that loop order), never a
    /// read of central's whole history (a row
    /// for every order change of every store, ever). A change records at most one history row,
    /// under its own kind and entity, except a `clock_clamp`, which joins the history of the
    /// register it dates (`of_kind`, `of_entity`).
    static func historySQL(from source: String) -> String {
        """
        SELECT h.kind, h.entity, h.origin, h.seq FROM main.change_log c
        CROSS JOIN \(source).entity_history h
          ON h.kind = CASE c.kind WHEN 'clock_clamp' THEN json_extract(c.fields, '$.of_kind') ELSE c.kind END
         AND h.entity = CASE c.kind WHEN 'clock_clamp' THEN json_extract(c.fields, '$.of_entity') ELSE c.entity END
         AND h.origin = c.origin AND h.seq = c.seq
        """
    }

    /// Copies one table's rows of `scopes` from `source` (a schema name) into `main`, a scope
    /// at a time (the global rows of the big tables by their partial index, schema 28).
    static func copyScoped(_ db: Database, table: String, from source: String, scopes: [Scope]) throws -> Int {
        let columns = try columns(db, table)
        var rows = 0
        for scope in scopes {
            // The global scope as a literal: the partial indexes are `WHERE scope = 'global'`.
            let match = scope == .global ? "scope = 'global'" : "scope = ?"
            try db.execute(
                sql: "INSERT INTO main.\(table)(\(columns)) SELECT \(columns) FROM \(source).\(table) WHERE \(match)",
                arguments: scope == .global ? [] : [scope.description])
            rows += db.changesCount
        }
        return rows
    }

    /// The scopes `source` holds anything of: the global scope, and a store's own scope only
    /// if a change was ever written in it (rows come from changes of their scope; the pull
    /// index and the archive's scope index answer without reading the log). A new store's own scope is usually empty, and
    /// skipping it spares reading every row of central's big tables.
    static func heldScopes(_ db: Database, from source: String, _ scopes: [Scope]) throws -> [Scope] {
        try scopes.filter { scope in
            guard case .node = scope else { return true }
            // Central may have archived every change of it (``CentralArchive``).
            return try db.firstRow(
                """
                SELECT EXISTS(SELECT 1 FROM \(source).change_log INDEXED BY change_log_pull WHERE scope = ?1)
                    OR EXISTS(SELECT 1 FROM \(source).change_archive INDEXED BY change_archive_scope WHERE scope = ?1)
                """,
                { $0(scope.description) }
            ) { $0.bool(0) } ?? true
        }
    }

    /// Copies every table a snapshot carries as is, from `source` into `main` (a store loading one).
    static func copyWhole(_ db: Database, from source: String) throws -> Int {
        var rows = 0
        for table in scopedTables + ["stock_open_allocations", "entity_history"] {
            let columns = try columns(db, table)
            try db.execute(sql: "INSERT INTO main.\(table)(\(columns)) SELECT \(columns) FROM \(source).\(table)")
            rows += db.changesCount
        }
        return rows
    }

    /// Runs `body` in one transaction of `kind` on `pool`'s writer with `file` attached as
    /// `name` (ATTACH is refused inside a transaction), detached afterwards.
    static func inTransaction<T>(
        _ pool: DatabasePool, attaching file: String, as name: String, _ kind: Database.TransactionKind,
        _ body: (Database) throws -> T
    ) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS \(name)", arguments: [file])
            defer { try? db.execute(sql: "DETACH DATABASE \(name)") }
            var result: T?
            try db.inTransaction(kind) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw StorageError(.io, "the snapshot transaction produced no result") }
            return result
        }
    }
}

extension NodeStore {
    /// Central: writes a snapshot of `store`'s scopes into `directory` (created; the caller
    /// removes it) and returns the snapshot file and its manifest. For a store central holds
    /// changes of, only with `withOwnChanges` (a store that lost its file rejoining: its own
    /// changes come back whole in the log); refused otherwise.
    public func writeSnapshot(for store: NodeID, into directory: String, withOwnChanges: Bool = false) throws -> (
        file: String, manifest: SnapshotManifest
    ) {
        guard identity.role == .central else {
            throw StorageError(.refused, "snapshots are made by central")
        }
        // The cutoff: the frontier over the stores that have promised, less the requester (it
        // has no change yet, checked below). Which settled records travel as rows only is all
        // it decides — the state never depends on it (`SnapshotBootstrapPropertyTests`) — so a
        // store enrolled but never synced does not hold it at nothing: what it pushes later is
        // applied and logged at the new store like any late change. Read first: it only grows,
        // so an older value keeps more changes in the snapshot's log, never fewer.
        let frontier = try read { r in try r.stabilityFrontier(wallMillis: wallClock(), forSnapshotOf: store) }
        // Member ledgers fold below the frontier over every other store (one that never
        // promised holds it at nothing): what a store would have folded had it kept everything.
        let foldCutoff =
            withOwnChanges
            ? HLC.zero
            : HLC(
                rawValue: try read { r in
                    try r.stabilityFrontier(wallMillis: wallClock(), forSnapshotOf: store, onlyPromised: false).hlc
                })
        try advanceSnapshotFolds(cutoff: foldCutoff)
        let target = try NodeDatabase.create(directory: directory, identity: NodeIdentity(node: store, role: .store))
        let centralFile = (self.directory as NSString).appendingPathComponent(NodeDatabase.fileName)
        let scopes: [Scope] = [.global, .node(store)]
        // One transaction: every read of `central` sees one committed state.
        let manifest: SnapshotManifest = try mapErrors {
            try ScopeSnapshot.inTransaction(target, attaching: centralFile, as: "central", .deferred) { db in
                try Self.copyScope(
                    db, store: store, scopes: scopes, frontier: HLC(rawValue: frontier.hlc), withOwn: withOwnChanges,
                    foldCutoff: foldCutoff)
            }
        }
        // One self-contained file (its bytes are sent as they are): fold the WAL in, leave WAL mode.
        let file = (directory as NSString).appendingPathComponent(NodeDatabase.fileName)
        try mapErrors {
            try target.close()
            let single = try DatabaseQueue(path: file)
            try single.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode=DELETE") }
            try single.close()
        }
        return (file, manifest)
    }

    static func copyScope(
        _ db: Database, store: NodeID, scopes: [Scope], frontier: HLC, withOwn: Bool, foldCutoff: HLC = .zero
    ) throws -> SnapshotManifest {
        let own =
            try db.firstRow("SELECT seq FROM central.version_vector WHERE origin = ?", { $0(store.rawValue) }) {
                $0.int64(0)
            } ?? 0
        if own > 0 && !withOwn {
            throw StorageError(
                .refused,
                "central holds changes of \(store) up to seq \(own): it is not a new store, so it cannot start from a snapshot; "
                    + "run `fenxiao recover` there (a store restored from a copy) or `fenxiao sync --full-pull`")
        }
        var rows = 0
        // Member ledgers travel folded when central's bases stand at this cutoff.
        let folded = try SnapshotLedgerFolds.usable(db, schema: "central", cutoff: foldCutoff)
        let held = try ScopeSnapshot.heldScopes(db, from: "central", scopes)
        for table in ScopeSnapshot.scopedTables where !(folded && table == "member_ledger") {
            rows += try ScopeSnapshot.copyScoped(db, table: table, from: "central", scopes: held)
        }
        if folded { rows += try SnapshotLedgerFolds.copy(db, from: "central", scopes: held) }
        // Open allocations belong to a stock level (no scope of their own).
        let allocationColumns = try ScopeSnapshot.columns(db, "stock_open_allocations")
        try db.execute(
            sql: """
                INSERT INTO main.stock_open_allocations(\(allocationColumns))
                SELECT \(allocationColumns) FROM central.stock_open_allocations
                WHERE (sku, warehouse) IN (SELECT sku, warehouse FROM main.stock_levels)
                """)
        rows += db.changesCount
        // The log a store keeps after pulling everything and compacting at the frontier: the
        // changes a pull gives it (global ones of other origins, its scope as central wrote
        // it), less those of the compactable kinds at or below the frontier — and, rejoining,
        // its own changes whole (its next seq and the sync's checks read them). In central's order.
        try db.execute(
            sql: "INSERT INTO main.change_log(\(ChangeLogCodec.columns)) "
                + ScopeSnapshot.keptChangesSQL(from: "central"),
            arguments: [store.rawValue, Scope.node(store).description, NodeID.central.rawValue, frontier.rawValue])
        let changes = db.changesCount
        try db.execute(
            sql: "INSERT INTO main.entity_history(kind, entity, origin, seq) "
                + ScopeSnapshot.historySQL(from: "central"))
        rows += db.changesCount
        // Everything of an origin up to central's vector is in the rows or the log (central
        // holds each origin's changes without gaps): the vector is the watermark of each
        // origin but central's and the store's own, whose changes all stay in the log.
        try db.execute(
            sql: "INSERT INTO main.version_vector(origin, seq) SELECT origin, seq FROM central.version_vector")
        try db.execute(
            sql: """
                INSERT INTO main.log_compacted(origin, seq)
                SELECT origin, seq FROM central.version_vector WHERE origin NOT IN (?, ?)
                """,
            arguments: [NodeID.central.rawValue, store.rawValue])
        let cursor =
            try db.firstRow("SELECT COALESCE(MAX(pos), 0) FROM central.change_log", { _ in }) { $0.int64(0) } ?? 0
        let clock = HLC(
            rawValue: Int64(
                try db.firstRow("SELECT value FROM central.node_meta WHERE key = 'hlc'", { _ in }) {
                    $0.text(0)
                } ?? "0") ?? 0)
        let manifest = SnapshotManifest(
            node: store.rawValue, cursor: cursor, frontier: frontier.rawValue, hlc: clock.rawValue,
            state_hash: try StateHash.compute(db, scopes: scopes), rows: rows, changes: changes,
            schema: FenxiaoSchema.version, own_seq: own)
        let json = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
        try Meta.set(db, ScopeSnapshot.manifestKey, json)
        return manifest
    }
}

extension NodeStore {
    /// A store: whether it may start from a snapshot — nothing in its log, nothing pulled yet.
    public func canLoadSnapshot() throws -> Bool {
        guard identity.role == .store else { return false }
        return try read { r in try Self.isBlank(r.db) }
    }

    static func isBlank(_ db: Database) throws -> Bool {
        let logged = try db.firstRow("SELECT EXISTS(SELECT 1 FROM change_log)", { _ in }) { $0.bool(0) } ?? true
        let cursor = try Meta.get(db, "pull_cursor") ?? "0"
        return !logged && (Int64(cursor) ?? 0) == 0
    }

    /// A store: loads the snapshot `file` central made for it, in one transaction: the rows,
    /// the log, the version vector and watermarks, and the pull cursor. Refused — nothing
    /// written — unless the store is blank and the snapshot is for this store and schema, and
    /// unless the loaded rows hash to the snapshot's state hash.
    public func loadSnapshot(from file: String) throws -> SnapshotManifest {
        guard identity.role == .store else { throw StorageError(.refused, "only a store loads a snapshot") }
        try NodeDatabase.checkHeader(path: file)
        let me = identity.node
        let manifest: SnapshotManifest = try mapErrors {
            try ScopeSnapshot.inTransaction(pool, attaching: file, as: "snapshot", .immediate) { db in
                let manifest = try Self.snapshotManifest(db, schema: "snapshot")
                guard manifest.node == me.rawValue, manifest.schema == FenxiaoSchema.version else {
                    throw StorageError(
                        .refused,
                        "the snapshot is for node \(manifest.node) at schema \(manifest.schema), not for \(me) at schema "
                            + "\(FenxiaoSchema.version); nothing loaded")
                }
                guard try Self.isBlank(db) else {
                    throw StorageError(
                        .refused,
                        "this store already holds changes; a snapshot starts only a new store; nothing loaded")
                }
                _ = try ScopeSnapshot.copyWhole(db, from: "snapshot")
                try db.execute(
                    sql: """
                        INSERT INTO main.change_log(\(ChangeLogCodec.columns))
                        SELECT \(ChangeLogCodec.columns) FROM snapshot.change_log ORDER BY pos
                        """)
                for table in ["version_vector", "log_compacted"] {
                    try db.execute(
                        sql: """
                            INSERT INTO main.\(table)(origin, seq) SELECT origin, seq FROM snapshot.\(table) WHERE true
                            ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                            """)
                }
                let hash = try StateHash.compute(db, scopes: [.global, .node(me)])
                guard hash == manifest.state_hash else {
                    throw StorageError(
                        .corrupt,
                        "the snapshot's rows hash to \(hash.prefix(12)), not to the \(manifest.state_hash.prefix(12)) central sent; "
                            + "nothing loaded: run `fenxiao sync --full-pull`")
                }
                try Meta.set(db, "pull_cursor", String(manifest.cursor))
                // Rejoining after losing its file: central holds these of its own changes.
                if manifest.own_seq > 0 { try Meta.set(db, "acked_seq", String(manifest.own_seq)) }
                if manifest.frontier > 0 {
                    try Meta.set(db, LogCompaction.Keys.frontier, String(manifest.frontier))
                    // The snapshot holds every change up to its cursor: complete below its frontier.
                    try Meta.set(db, LogCompaction.Keys.foldFrontier, String(manifest.frontier))
                    try Meta.set(db, LogCompaction.Keys.cutoff, String(manifest.frontier))
                }
                return manifest
            }
        }
        // Every change this store writes from now on is stamped after everything it holds.
        try observeClock(HLC(rawValue: manifest.hlc))
        return manifest
    }

    /// The manifest kept in a snapshot's `node_meta` (attached as `schema`).
    static func snapshotManifest(_ db: Database, schema: String) throws -> SnapshotManifest {
        let json = try db.firstRow(
            "SELECT value FROM \(schema).node_meta WHERE key = ?", { $0(ScopeSnapshot.manifestKey) }
        ) { $0.text(0) }
        guard let json, let manifest = try? JSONDecoder().decode(SnapshotManifest.self, from: Data(json.utf8)) else {
            throw StorageError(.notFenxiao, "the file is not a Fenxiao snapshot (no readable manifest); nothing loaded")
        }
        return manifest
    }
}
