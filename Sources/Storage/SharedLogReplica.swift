import GRDB
import Replication

/// `node_meta` keys of a central server whose log is shared (``SharedLog``).
public enum SharedLogKeys {
    /// The shared database's URL (`fenxiao init --role central --database URL`).
    public static let url = "shared_log_url"
    /// The highest `SharedPeer.version` copied into this server's `peers`.
    static let peersVersion = "shared_peers_version"
    /// The highest version of central's shared epoch bookkeeping copied into `node_meta`.
    static let metaVersion = "shared_meta_version"
    /// The epoch this server's file was made in: a later one means PostgreSQL was restored
    /// from a backup after it, and the file is ahead of the log.
    static let madeInEpoch = "shared_made_epoch"
}

/// This server's SQLite file as a replica of the shared log: the same changes at the same
/// positions (see ``SharedLog``).
extension NodeStore {
    /// Runs `body` inside the SQLite write transaction `db`. With a shared log, `body` runs
    /// holding its head: what other servers appended is applied first, and the changes `body`
    /// writes are published at the positions this file gave them before SQLite commits.
    func sharedWrite<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard let shared else { return try body() }
        return try shared.locked { head in
            try catchUp(db, shared, to: head)
            let result = try body()
            let fresh = try Self.positionedChanges(db, after: head)
            if !fresh.isEmpty { try shared.publish(fresh) }
            return result
        }
    }

    /// Applies what other servers appended to the shared log and their changes to enrolled
    /// nodes; returns how many changes were applied (0 without a shared log). Serving a pull
    /// and the server's periodic tailer call it; every write does it under the head's lock.
    @discardableResult
    public func catchUpShared() throws -> Int {
        guard let shared else { return 0 }
        let head = try shared.head()
        let (local, peersVersion, metaVersion) = try read { r in
            (
                try Self.lastPosition(r.db), Int64(try r.meta(SharedLogKeys.peersVersion) ?? "0") ?? 0,
                Int64(try r.meta(SharedLogKeys.metaVersion) ?? "0") ?? 0
            )
        }
        let peersChanged = !(try shared.peers(changedAfter: peersVersion).isEmpty)
        let metaChanged = try shared.meta(changedAfter: metaVersion).version > metaVersion
        // A file ahead of the log (PostgreSQL restored) goes on to `catchUp`, which refuses it.
        guard head != local || peersChanged || metaChanged else { return 0 }
        return try mapErrors {
            try pool.writeWithoutTransaction { db in
                var applied = 0
                try db.inTransaction(.immediate) {
                    let before = try Self.lastPosition(db)
                    // Read again under the writer: a write of this server may have moved the
                    // file past the head read above (its PostgreSQL commit came first).
                    try catchUp(db, shared, to: try shared.head())
                    applied = Int(try Self.lastPosition(db) - before)
                    return .commit
                }
                return applied
            }
        }
    }

    /// Applies the shared log's changes after this file's last position up to `head`, in
    /// pages, checking that each lands at its shared position; then copies changed peers.
    func catchUp(_ db: Database, _ shared: any SharedLog, to head: Int64) throws {
        try copyMeta(db, shared)
        var local = try Self.lastPosition(db)
        guard local <= head else {
            throw StorageError(
                .corrupt,
                "this server's file holds changes up to position \(local) but the shared log at \(shared.location) ends at \(head); the file belongs to another database: move it aside and run `fenxiao init --role central --database …` again"
            )
        }
        while local < head {
            let page = try shared.changes(after: local, limit: 2_000)
            guard let last = page.last else { break }
            for (i, p) in page.enumerated() where p.position != local + Int64(i) + 1 {
                throw StorageError(
                    .corrupt, "the shared log at \(shared.location) has no change at position \(local + Int64(i) + 1)")
            }
            let report = try Self.applyRemote(
                page.map(\.change), db: db, identity: identity, wallMillis: wallClock())
            local = try Self.lastPosition(db)
            guard local == last.position, report.duplicates == 0 else {
                throw StorageError(
                    .corrupt,
                    "this server's file diverged from the shared log at \(shared.location) before position \(last.position): move it aside and run `fenxiao init --role central --database …` again"
                )
            }
            // Central's own changes from other servers: this server's next stamp follows them.
            if let own = page.lazy.map(\.change).filter({ $0.origin == self.identity.node }).map(\.hlc).max(),
                own > (try Meta.hlc(db))
            {
                try Meta.set(db, "hlc", String(own.rawValue))
            }
        }
        try copyPeers(db, shared)
    }

    /// Copies central's epoch bookkeeping changed since the last copy into `node_meta`, and
    /// refuses a file made before PostgreSQL was restored (it holds changes the log lost).
    func copyMeta(_ db: Database, _ shared: any SharedLog) throws {
        let since = Int64(try Meta.get(db, SharedLogKeys.metaVersion) ?? "0") ?? 0
        let changed = try shared.meta(changedAfter: since)
        for (key, value) in changed.values.sorted(by: { $0.key < $1.key }) { try Meta.set(db, key, value) }
        if changed.version > since { try Meta.set(db, SharedLogKeys.metaVersion, String(changed.version)) }
        let epoch = Int64(try Meta.get(db, EpochKeys.epoch) ?? "1") ?? 1
        guard let made = Int64(try Meta.get(db, SharedLogKeys.madeInEpoch) ?? "") else {
            return try Meta.set(db, SharedLogKeys.madeInEpoch, String(epoch))
        }
        guard epoch <= made else {
            throw StorageError(
                .refused,
                "PostgreSQL at \(shared.location) was restored from a backup (epoch \(epoch)) after this server's file was made (epoch \(made)): move \(directory) aside and run `fenxiao init --role central --node central --database …` in a new folder"
            )
        }
    }

    /// Whether this server runs central's housekeeping: always for a single central; among
    /// servers sharing a log, the one holding the shared database's housekeeping lock.
    public func runsHousekeeping() throws -> Bool {
        try shared?.holdsHousekeeping() ?? true
    }

    /// Publishes central's epoch bookkeeping to every server (nothing without a shared log).
    func publishSharedMeta(_ values: [String: String]) throws {
        try shared?.publishMeta(values)
    }

    /// Copies peers whose shared row changed since the last copy into this file's `peers`.
    func copyPeers(_ db: Database, _ shared: any SharedLog) throws {
        let since = Int64(try Meta.get(db, SharedLogKeys.peersVersion) ?? "0") ?? 0
        let changed = try shared.peers(changedAfter: since)
        guard let highest = changed.map(\.version).max() else { return }
        for p in changed {
            try db.execute(
                sql: """
                    INSERT INTO peers(node, token_hash, revoked, acked_seq, last_push, last_pull, pull_cursor,
                        enrolled_at, stable_hlc, retired_at, durable_seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(node) DO UPDATE SET token_hash = excluded.token_hash, revoked = excluded.revoked,
                        acked_seq = excluded.acked_seq, last_push = excluded.last_push,
                        last_pull = excluded.last_pull, pull_cursor = excluded.pull_cursor,
                        enrolled_at = excluded.enrolled_at, stable_hlc = excluded.stable_hlc,
                        retired_at = excluded.retired_at, durable_seq = excluded.durable_seq
                    """,
                arguments: [
                    p.node, p.tokenHash, p.revoked ? 1 : 0, p.ackedSeq, p.lastPush, p.lastPull, p.pullCursor,
                    p.enrolledAt, p.stableHLC, p.retiredAt, p.durableSeq,
                ])
        }
        try Meta.set(db, SharedLogKeys.peersVersion, String(highest))
    }

    /// Publishes this file's `peers` row of `node` to the shared log: its enrollment (token,
    /// revoked, retired) or its sync progress. Nothing without a shared log.
    func publishPeer(_ db: Database, node: String, enrollment: Bool) throws {
        guard let shared else { return }
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT node, token_hash, revoked, acked_seq, last_push, last_pull, pull_cursor, enrolled_at,
                        stable_hlc, retired_at, durable_seq FROM peers WHERE node = ?
                    """, arguments: [node])
        else { return }
        let peer = SharedPeer(
            node: row["node"], tokenHash: row["token_hash"], revoked: (row["revoked"] as Int64) != 0,
            ackedSeq: row["acked_seq"], lastPush: row["last_push"], lastPull: row["last_pull"],
            pullCursor: row["pull_cursor"], enrolledAt: row["enrolled_at"], stableHLC: row["stable_hlc"],
            retiredAt: row["retired_at"], durableSeq: row["durable_seq"], version: 0)
        if enrollment { try shared.publishEnrollment(peer) } else { try shared.publishProgress(peer) }
    }

    /// The last position in this file's log (0 when empty).
    static func lastPosition(_ db: Database) throws -> Int64 {
        try db.firstRow("SELECT MAX(pos) FROM change_log", { _ in }) { $0.int64(0) } ?? 0
    }

    /// This file's changes after `position`, with their positions.
    static func positionedChanges(_ db: Database, after position: Int64) throws -> [PositionedChange] {
        try Row.fetchAll(
            db, sql: "SELECT pos, \(ChangeLogCodec.columns) FROM change_log WHERE pos > ? ORDER BY pos",
            arguments: [position]
        ).map { PositionedChange(position: $0["pos"], change: try ChangeLogCodec.decode($0)) }
    }
}
