import Foundation
import Replication
import Storage

/// The shared log of central servers on PostgreSQL (``SharedLog``; docs/POSTGRES.md): one
/// connection per server, used under the server's SQLite writer (every call comes from a
/// write transaction or the tailer's), guarded by a lock all the same; reconnects after the
/// server went away (a restart, a promoted standby behind the same address).
public final class PGSharedLog: SharedLog, @unchecked Sendable {
    let url: String
    let lock = NSRecursiveLock()
    var connection: PGConnection? {
        didSet { if connection !== oldValue { housekeeper = false } }  // a session lock dies with its session
    }
    /// Whether this connection's session holds the housekeeping lock.
    var housekeeper = false
    /// The advisory-lock key of housekeeping ("FXIA" + 2; migrations use + 1).
    static let housekeepingKey = "1180194114"
    /// Set while ``locked(_:)`` runs: nested calls join its transaction.
    var inTransaction = false

    public var location: String { PGConnection.redacted(url) }

    /// Connects to `url` and runs the PostgreSQL migrations.
    public init(url: String) throws {
        self.url = url
        try withConnection { try PGSchema.migrate($0) }
    }

    /// Opens the shared log at `url` (the factory `NodeStore.open` takes).
    @Sendable public static func open(_ url: String) throws -> any SharedLog { try PGSharedLog(url: url) }

    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let c: PGConnection
        do { c = try connection ?? PGConnection(url: url) } catch let e as PGError {
            throw StorageError(.io, e.message)
        }
        connection = c
        do {
            return try body(c)
        } catch let e as PGError {
            if !c.isConnected { connection = nil }
            throw StorageError(.io, "the shared log at \(location): \(e.message)")
        }
    }

    /// `body` in a transaction of its own, or in the one ``locked(_:)`` holds.
    func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try withConnection { c in
            if inTransaction { return try body(c) }
            return try c.transaction { try body(c) }
        }
    }

    public func locked<T>(_ body: (Int64) throws -> T) throws -> T {
        try withConnection { c in
            try c.transaction {
                guard let head = try c.query("SELECT pos FROM log_head WHERE id = 1 FOR UPDATE").first?.first,
                    let pos = head.flatMap({ Int64($0) })
                else { throw PGError(message: "the change log has no head row; run the migrations") }
                inTransaction = true
                defer { inTransaction = false }
                return try body(pos)
            }
        }
    }

    public func head() throws -> Int64 {
        try withConnection { c in
            try c.query("SELECT pos FROM log_head WHERE id = 1").first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
        }
    }

    public func changes(after position: Int64, limit: Int) throws -> [PositionedChange] {
        try withConnection { c in
            try c.query(
                "SELECT pos, \(PGChangeRow.columns) FROM change_log WHERE pos > $1 ORDER BY pos LIMIT $2",
                [String(position), String(limit)]
            ).map { row in
                guard let pos = row.first.flatMap({ $0.flatMap { Int64($0) } }) else {
                    throw PGError(message: "a change_log row has no position")
                }
                return PositionedChange(position: pos, change: try PGChangeRow.decode(Array(row.dropFirst())))
            }
        }
    }

    public func publish(_ changes: [PositionedChange]) throws {
        try transaction { c in
            guard
                var head = try c.query("SELECT pos FROM log_head WHERE id = 1 FOR UPDATE").first?.first
                    .flatMap({ $0.flatMap { Int64($0) } })
            else { throw PGError(message: "the change log has no head row; run the migrations") }
            var highest: [String: Int64] = [:]
            for chunk in stride(from: 0, to: changes.count, by: 500).map({ changes[$0..<min($0 + 500, changes.count)] })
            {
                var values: [String] = []
                var parameters: [String?] = []
                for p in chunk {
                    guard p.position == head + 1 else {
                        throw PGError(
                            message:
                                "change \(p.change.stamp.changeID) was given position \(p.position) but the log ends at \(head); another server wrote without the head's lock"
                        )
                    }
                    head = p.position
                    let c = p.change
                    let n = parameters.count
                    values.append("(" + (1...10).map { "$\(n + $0)" }.joined(separator: ", ") + ")")
                    parameters += [
                        String(p.position), c.origin.rawValue, String(c.seq), String(c.hlc.rawValue), c.kind.rawValue,
                        c.entity, c.op.rawValue, c.canonicalFields, c.canonicalContext, c.scope.description,
                    ]
                    highest[c.origin.rawValue] = max(highest[c.origin.rawValue, default: 0], c.seq)
                }
                try c.query(
                    "INSERT INTO change_log (pos, \(PGChangeRow.columns)) VALUES " + values.joined(separator: ", "),
                    parameters)
            }
            try c.query("UPDATE log_head SET pos = $1 WHERE id = 1", [String(head)])
            for (origin, seq) in highest.sorted(by: { $0.key < $1.key }) {
                try c.query(
                    """
                    INSERT INTO version_vector (origin, seq) VALUES ($1, $2)
                    ON CONFLICT (origin) DO UPDATE SET seq = GREATEST(version_vector.seq, excluded.seq)
                    """, [origin, String(seq)])
            }
        }
    }

    static let peerColumns =
        "node, token_hash, revoked, acked_seq, last_push, last_pull, pull_cursor, enrolled_at, stable_hlc, retired_at, durable_seq"

    public func publishEnrollment(_ peer: SharedPeer) throws {
        try upsert(
            peer,
            onConflict: """
                token_hash = excluded.token_hash, revoked = excluded.revoked, retired_at = excluded.retired_at,
                enrolled_at = excluded.enrolled_at
                """)
    }

    public func publishProgress(_ peer: SharedPeer) throws {
        // GREATEST ignores NULLs: a time another server recorded is never erased.
        try upsert(
            peer,
            onConflict: """
                acked_seq = GREATEST(peers.acked_seq, excluded.acked_seq),
                last_push = GREATEST(peers.last_push, excluded.last_push),
                last_pull = GREATEST(peers.last_pull, excluded.last_pull),
                pull_cursor = GREATEST(peers.pull_cursor, excluded.pull_cursor),
                stable_hlc = GREATEST(peers.stable_hlc, excluded.stable_hlc),
                durable_seq = GREATEST(peers.durable_seq, excluded.durable_seq)
                """)
    }

    /// Inserts `peer` or updates what `onConflict` sets, under `peers_head`'s row lock with the
    /// next version (versions become visible in commit order).
    func upsert(_ peer: SharedPeer, onConflict: String) throws {
        try transaction { c in
            let version = try Self.nextVersion(c)
            try c.query(
                """
                INSERT INTO peers (\(Self.peerColumns), version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (node) DO UPDATE SET \(onConflict), version = excluded.version
                """,
                [
                    peer.node, peer.tokenHash, peer.revoked ? "true" : "false", String(peer.ackedSeq),
                    peer.lastPush.map(String.init), peer.lastPull.map(String.init), String(peer.pullCursor),
                    String(peer.enrolledAt), String(peer.stableHLC), peer.retiredAt.map(String.init),
                    String(peer.durableSeq), version,
                ])
        }
    }

    /// The next version of a shared row (peers, central's bookkeeping), taken under the row
    /// lock of `peers_head`: versions become visible in commit order.
    static func nextVersion(_ c: PGConnection) throws -> String {
        guard
            let version = try c.query("UPDATE peers_head SET version = version + 1 WHERE id = 1 RETURNING version")
                .first?.first ?? nil
        else { throw PGError(message: "the peers table has no head row; run the migrations") }
        return version
    }

    public func peers(changedAfter version: Int64) throws -> [SharedPeer] {
        try withConnection { c in
            try c.query(
                "SELECT \(Self.peerColumns), version FROM peers WHERE version > $1 ORDER BY version", [String(version)]
            ).map { row in
                func int(_ i: Int) -> Int64? { row[i].flatMap { Int64($0) } }
                guard row.count == 12, let node = row[0], let token = row[1], let v = int(11) else {
                    throw PGError(message: "a peers row is unreadable")
                }
                return SharedPeer(
                    node: node, tokenHash: token, revoked: row[2] == "t", ackedSeq: int(3) ?? 0, lastPush: int(4),
                    lastPull: int(5), pullCursor: int(6) ?? 0, enrolledAt: int(7) ?? 0, stableHLC: int(8) ?? 0,
                    retiredAt: int(9), durableSeq: int(10) ?? 0, version: v)
            }
        }
    }

    public func publishMeta(_ values: [String: String]) throws {
        guard !values.isEmpty else { return }
        try transaction { c in
            let version = try Self.nextVersion(c)
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try c.query(
                    """
                    INSERT INTO central_meta (key, value, version) VALUES ($1, $2, $3)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version
                    """, [key, value, version])
            }
        }
    }

    public func meta(changedAfter version: Int64) throws -> (values: [String: String], version: Int64) {
        try withConnection { c in
            var values: [String: String] = [:]
            var highest = version
            for row in try c.query(
                "SELECT key, value, version FROM central_meta WHERE version > $1", [String(version)])
            {
                guard row.count == 3, let key = row[0], let value = row[1], let v = row[2].flatMap({ Int64($0) })
                else { throw PGError(message: "a central_meta row is unreadable") }
                values[key] = value
                highest = max(highest, v)
            }
            return (values, highest)
        }
    }

    public func holdsHousekeeping() throws -> Bool {
        try withConnection { c in
            if !housekeeper {
                housekeeper =
                    try c.query("SELECT pg_try_advisory_lock(\(Self.housekeepingKey))").first?.first ?? nil == "t"
            }
            return housekeeper
        }
    }

    public func chainCreatedAt(proposing proposed: Int64) throws -> Int64 {
        try transaction { c in
            try c.query(
                "INSERT INTO chain (id, created_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [String(proposed)])
            guard let value = try c.query("SELECT created_at FROM chain WHERE id = 1").first?.first ?? nil,
                let created = Int64(value)
            else { throw PGError(message: "the chain row is unreadable") }
            return created
        }
    }
}
