import FenxiaoSchema
import Foundation
import GRDB
import Replication

/// The role a node plays in the chain.
public enum NodeRole: String, Sendable, Codable {
    case central, store
}

/// Who this node is: its id and role, fixed at `fenxiao init`.
public struct NodeIdentity: Sendable, Equatable {
    public var node: NodeID
    public var role: NodeRole

    public init(node: NodeID, role: NodeRole) {
        self.node = node
        self.role = role
    }

}

/// Opens a node's SQLite file: WAL, `synchronous=NORMAL`, foreign keys, migrations from
/// `schema/` applied on open, and refusal of files that are not Fenxiao's or are newer.
public enum NodeDatabase {
    public static let fileName = "fenxiao.sqlite"
    /// How long a write waits for another process's lock (`FENXIAO_BUSY_TIMEOUT_S`, for tests).
    static let busyTimeoutSeconds: Int =
        ProcessInfo.processInfo.environment["FENXIAO_BUSY_TIMEOUT_S"].flatMap { Int($0) }.map { min(max($0, 0), 600) }
        ?? 30

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(TimeInterval(busyTimeoutSeconds))
        config.foreignKeysEnabled = true
        // Test knob: a page budget makes SQLite fail writes with SQLITE_FULL, like a full disk.
        let maxPages = ProcessInfo.processInfo.environment["FENXIAO_MAX_PAGE_COUNT"].flatMap { Int($0) }
        config.prepareDatabase { db in
            if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -16384")  // 16 MiB of page cache per connection
            // Checkpoint every ~64 MiB of WAL (SQLite's default is ~4 MiB): a sixteenth of the
            // checkpoints' copies and fsyncs on the sales path and in central's push lock, and
            // pages written many times between two checkpoints (stock levels, index pages) are
            // copied back once. Measured over 16 MiB: central's push +5 %, a store's sales +4 %
            // (README, Performance). Durability is unchanged (WAL, synchronous=NORMAL); the WAL
            // file may reach that size.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16000")
            // …and copied back on a thread of its own every ~8 MiB, off the writer's path
            // (replaces SQLite's hook; the writer still checkpoints at the same 16,000 frames).
            BackgroundCheckpoint.install(db)
        }
        return config
    }

    /// Creates a new node in `directory` (created if missing). Refuses an existing node.
    public static func create(directory: String, identity: NodeIdentity) throws(StorageError) -> DatabasePool {
        let path = (directory as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            throw StorageError(
                .alreadyInitialized,
                "\(directory) already holds a Fenxiao node; use another --data directory or remove it first")
        }
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                // The node's folder holds its token and every member's data: owner only.
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            // Created empty and owner-only before SQLite opens it; SQLite gives its -wal and
            // -shm files the same mode.
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            else {
                throw StorageError(.io, "cannot create \(path); check the folder's permissions")
            }
        } catch let e as StorageError {
            throw e
        } catch {
            throw StorageError(.io, "cannot create directory \(directory): \(error.localizedDescription)")
        }
        let pool = try openPool(path: path)
        try migrate(pool, path: path)
        try roleIndexes(pool, role: identity.role, path: path)
        do {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO node_meta(key, value) VALUES ('node', ?), ('role', ?), ('created_at', ?)",
                    arguments: [
                        identity.node.rawValue, identity.role.rawValue,
                        String(Int64(Date().timeIntervalSince1970 * 1000)),
                    ])
            }
        } catch {
            throw StorageError(.io, "cannot initialize \(path): \(error)")
        }
        return pool
    }

    /// Opens an existing node in `directory`.
    public static func open(directory: String) throws(StorageError) -> (DatabasePool, NodeIdentity) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw StorageError(
                .noNode, "no Fenxiao node at \(directory) (directory missing); run `fenxiao init` or pass --data DIR")
        }
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw StorageError(
                .noNode, "\(directory) is not a Fenxiao node (no \(fileName)); run `fenxiao init` or check --data")
        }
        try checkHeader(path: path)
        restrictPermissions(path: path)
        let pool = try openPool(path: path)
        try migrate(pool, path: path)
        do {
            let identity = try pool.read { db -> NodeIdentity? in
                guard let n = try String.fetchOne(db, sql: "SELECT value FROM node_meta WHERE key='node'"),
                    let r = try String.fetchOne(db, sql: "SELECT value FROM node_meta WHERE key='role'"),
                    let node = NodeID(n), let role = NodeRole(rawValue: r)
                else { return nil }
                return NodeIdentity(node: node, role: role)
            }
            guard let identity else {
                throw StorageError(
                    .notFenxiao, "\(path) has no node identity; it was never initialized by `fenxiao init`")
            }
            try roleIndexes(pool, role: identity.role, path: path)
            return (pool, identity)
        } catch let e as StorageError {
            throw e
        } catch {
            throw StorageError(.io, "cannot read \(path): \(error)")
        }
    }

    /// Tightens a node file created by an older fenxiao (or copied in) to owner-only, with its
    /// -wal and -shm. Best effort: a read-only copy someone else owns still opens.
    static func restrictPermissions(path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
            else { continue }
            try? FileManager.default.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: file)
        }
    }

    /// Reads the SQLite header directly so a foreign or garbage file is refused before use.
    static func checkHeader(path: String) throws(StorageError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StorageError(.io, "cannot read \(path); check its permissions")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return }  // empty file: treated as new by SQLite
        guard header.count == 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw StorageError(.notFenxiao, "\(path) is not an SQLite database; it is not a Fenxiao node")
        }
    }

    static func openPool(path: String) throws(StorageError) -> DatabasePool {
        _ = WALWrites.installed
        do {
            return try DatabasePool(path: path, configuration: configuration())
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw StorageError(.notFenxiao, "\(path) is not an SQLite database; it is not a Fenxiao node")
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT {
            throw StorageError.damaged(path)
        } catch {
            throw StorageError(.io, "cannot open \(path): \(error)")
        }
    }

    /// Indexes of the first schema that only central needs, dropped when a store opens:
    /// `orders_status` lists head office's orders by status over every store's; a store's own
    /// orders stay few (closed ones leave it after their after-sale period), a status filter
    /// reads them all in milliseconds, and the index cost every sale ~3 % (README, Performance).
    static let centralOnlyIndexes = ["orders_status"]

    /// Indexes only central needs (it serves pulls); stores do not pay for them on every write.
    static func roleIndexes(_ pool: DatabasePool, role: NodeRole, path: String) throws(StorageError) {
        guard role == .central else { return try dropCentralOnlyIndexes(pool, path: path) }
        do {
            // Checked first: a read needs no write lock, so opening central (`status`) while
            // another process writes does not wait for it.
            let held = try pool.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM sqlite_master
                        WHERE name IN ('change_log_pull', 'change_log_global', 'change_archive', 'change_archive_scope')
                        """) ?? 0
            }
            if held == 4 { return }
            try pool.write { db in
                try db.execute(sql: "CREATE INDEX IF NOT EXISTS change_log_pull ON change_log(scope, origin, pos)")
                // A snapshot's log copy skips the settled global changes by range (ScopeSnapshot).
                try db.execute(
                    sql: """
                        CREATE INDEX IF NOT EXISTS change_log_global ON change_log(origin, kind, hlc)
                        WHERE scope = 'global'
                        """)
                // The stores' settled changes leave the hot log for it (`CentralArchive`).
                for sql in CentralArchive.schema { try db.execute(sql: sql) }
            }
        } catch {
            throw StorageError(.io, "cannot index \(path): \(error)")
        }
    }

    /// A store drops ``centralOnlyIndexes`` (once: checked with a read, so opening a store while
    /// another process writes does not wait for it).
    static func dropCentralOnlyIndexes(_ pool: DatabasePool, path: String) throws(StorageError) {
        do {
            let held = try pool.read { db in
                try centralOnlyIndexes.filter {
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?)",
                        arguments: [$0]) ?? false
                }
            }
            if held.isEmpty { return }
            try pool.write { db in
                for name in held { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
            }
        } catch {
            throw StorageError(.io, "cannot drop central's indexes from \(path): \(error)")
        }
    }

    static func migrate(_ pool: DatabasePool, path: String) throws(StorageError) {
        var migrator = DatabaseMigrator()
        for (index, migration) in FenxiaoSchema.migrations.enumerated() {
            migrator.registerMigration(migration.id) { db in
                try db.execute(sql: migration.sql)
                try db.execute(sql: "PRAGMA user_version = \(index + 1)")
                try db.execute(sql: "PRAGMA application_id = \(FenxiaoSchema.applicationID)")
            }
        }
        do {
            let newer = try pool.read { db -> Bool in
                let applied = try migrator.appliedIdentifiers(db)
                let known = Set(FenxiaoSchema.migrations.map(\.id))
                return applied.contains { !known.contains($0) }
            }
            if newer {
                throw StorageError(
                    .newerSchema,
                    "\(path) was written by a newer fenxiao (unknown migrations); upgrade the fenxiao binary")
            }
            let (userVersion, appID, tables) = try pool.read { db in
                (
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
                )
            }
            if appID != FenxiaoSchema.applicationID && tables > 0 {
                throw StorageError(
                    .notFenxiao, "\(path) is an SQLite database of another application, not a Fenxiao node")
            }
            if userVersion > FenxiaoSchema.version {
                throw StorageError(
                    .newerSchema,
                    "\(path) has schema \(userVersion) but this fenxiao knows only \(FenxiaoSchema.version); upgrade the fenxiao binary"
                )
            }
            try migrator.migrate(pool)
        } catch let e as StorageError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw StorageError(.notFenxiao, "\(path) is not an SQLite database; it is not a Fenxiao node")
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT {
            throw StorageError.damaged(path)
        } catch {
            throw StorageError(.io, "cannot migrate \(path): \(error)")
        }
    }
}

/// The schema version this binary writes, for protocol headers.
public enum NodeSchema {
    public static var version: Int { FenxiaoSchema.version }
}
