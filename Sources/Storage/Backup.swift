import Foundation
import GRDB
import Replication

/// What `fenxiao backup` wrote.
public struct BackupSummary: Sendable, Encodable, Equatable {
    public var file: String
    public var node: String
    public var role: String
    public var bytes: Int
    public var changes: Int
    /// `PRAGMA quick_check` and the change-capture check of the copy both passed.
    public var consistent: Bool
}

/// What `fenxiao restore` put in place.
public struct RestoredFile: Sendable, Equatable {
    public var identity: NodeIdentity
    /// Where the file it replaced was moved (nil when the directory held none).
    public var previous: String?
    /// The epoch of the file it replaced, when that file could still be read (a restore must
    /// open an epoch above it, even from an older backup).
    public var previousEpoch: Int64?
}

extension StorageError {
    /// The message for a damaged node file: what to run to get the node back.
    public static func damaged(_ path: String, detail: String = "") -> StorageError {
        let directory = (path as NSString).deletingLastPathComponent
        return StorageError(
            .corrupt,
            "\(path) is damaged\(detail.isEmpty ? "" : " (\(detail))"); nothing was changed. Restore the last backup "
                + "(made with `fenxiao backup --to FILE`): `fenxiao restore --from FILE --data \(directory)`; "
                + "at a store, then run `fenxiao sync` (it asks for `fenxiao recover` if the backup is older than what central holds)"
        )
    }
}

extension NodeStore {
    /// Writes a consistent copy of this node's database to `file` with SQLite's online backup
    /// (one snapshot read: writers carry on; the copy is what was committed when it began),
    /// then checks the copy. Refuses to overwrite an existing file.
    public func backup(to file: String) throws -> BackupSummary {
        if let shared {
            throw StorageError(
                .refused,
                "this central server's log is in PostgreSQL (\(shared.location)): back up that database (pg_dump, or a base backup with WAL archiving; docs/POSTGRES.md). This server's file is a copy any server rebuilds from it"
            )
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: file) {
            throw StorageError(.io, "\(file) already exists; choose a new file name (backups are never overwritten)")
        }
        let temporary = file + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: temporary)
        do {
            let destination = try DatabaseQueue(path: temporary)
            try mapErrors { try pool.backup(to: destination) }
            // A self-contained file: in WAL mode, every later read of the copy (our own check,
            // an operator's `sqlite3`) would leave -wal and -shm files beside it. `restore`
            // opens the file it puts in place in WAL mode again.
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode=DELETE") }
            try destination.close()
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try fm.moveItem(atPath: temporary, toPath: file)
        } catch let e as StorageError {
            try? fm.removeItem(atPath: temporary)
            throw e
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw StorageError(.io, "cannot write the backup \(file): \(error)")
        }
        let summary = try Self.inspectBackup(file)
        // Central: what the copy holds of each store is safe from a restore from now on, and
        // the stores may drop those of their own changes from their logs (docs/STABILITY.md).
        if identity.role == .central && summary.consistent { try recordDurable(try Self.heldSeqs(inBackup: file)) }
        return summary
    }

    /// The version vector of a backup: the highest seq it holds per origin.
    static func heldSeqs(inBackup file: String) throws -> [String: Int64] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: file, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in
            var held: [String: Int64] = [:]
            try db.eachRow("SELECT origin, seq FROM version_vector", { _ in }) { held[$0.text(0)] = $0.int64(1) }
            return held
        }
    }

    /// Opens a backup read-only and checks it: SQLite's `quick_check`, a Fenxiao identity, and
    /// the change-capture consistency check.
    public static func inspectBackup(_ file: String) throws -> BackupSummary {
        try NodeDatabase.checkHeader(path: file)
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: file, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                let quick = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard quick == ["ok"] else {
                    throw StorageError(
                        .corrupt,
                        "the backup \(file) is damaged (\(quick.prefix(3).joined(separator: "; "))); use another backup"
                    )
                }
                guard let n = try String.fetchOne(db, sql: "SELECT value FROM node_meta WHERE key='node'"),
                    let r = try String.fetchOne(db, sql: "SELECT value FROM node_meta WHERE key='role'"),
                    let node = NodeID(n), let role = NodeRole(rawValue: r)
                else { throw StorageError(.notFenxiao, "\(file) is not a Fenxiao node backup (no node identity)") }
                let reader = StoreReader(db: db, identity: NodeIdentity(node: node, role: role))
                let problems = try reader.consistencyProblems()
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                return BackupSummary(
                    file: file, node: n, role: r, bytes: size, changes: try reader.changeCount(),
                    consistent: problems.isEmpty)
            }
        } catch let e as StorageError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
            throw StorageError(.corrupt, "the backup \(file) is damaged; use another backup")
        } catch {
            throw StorageError(.io, "cannot read the backup \(file): \(error)")
        }
    }

    /// Puts the backup `file` in place as the node in `directory` (created if missing). The file
    /// it replaces, if any, is moved aside (never deleted). Refuses a damaged backup or one of
    /// another node. The node must not be running (`serve` or `sync --watch` stopped).
    public static func restoreFile(from file: String, into directory: String) throws -> RestoredFile {
        let backup = try inspectBackup(file)
        guard backup.consistent, let node = NodeID(backup.node), let role = NodeRole(rawValue: backup.role) else {
            throw StorageError(
                .corrupt, "\(file) fails the consistency check (`fenxiao debug check`); use another backup")
        }
        let fm = FileManager.default
        let target = (directory as NSString).appendingPathComponent(NodeDatabase.fileName)
        var previousEpoch: Int64?
        if fm.fileExists(atPath: target), let current = try? NodeDatabase.open(directory: directory) {
            previousEpoch = try? current.0.read { db in Int64(try Meta.get(db, EpochKeys.epoch) ?? "1") }
            try? current.0.close()
            guard current.1.node == node else {
                throw StorageError(
                    .invalidChange,
                    "\(file) is a backup of node \(node) but \(directory) holds node \(current.1.node); restore it into its own directory"
                )
            }
        }
        do {
            try fm.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var previous: String?
            if fm.fileExists(atPath: target) {
                let aside = target + ".before-restore-\(Int64(Date().timeIntervalSince1970))"
                for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
                    try fm.moveItem(atPath: target + suffix, toPath: aside + suffix)
                }
                previous = aside
            }
            let temporary = target + ".restoring"
            try? fm.removeItem(atPath: temporary)
            try fm.copyItem(atPath: file, toPath: temporary)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try fm.moveItem(atPath: temporary, toPath: target)
            return RestoredFile(
                identity: NodeIdentity(node: node, role: role), previous: previous, previousEpoch: previousEpoch)
        } catch {
            throw StorageError(.io, "cannot restore \(file) into \(directory): \(error)")
        }
    }
}
