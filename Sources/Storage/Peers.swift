import Crypto
import Foundation
import GRDB
import Replication

/// An enrolled node as central sees it (node-local bookkeeping, never replicated).
public struct PeerView: Sendable, Equatable, Codable {
    public var node: String
    public var role: String
    public var revoked: Bool
    public var acked_seq: Int64
    public var last_push: Int64?
    public var last_pull: Int64?
    public var pull_cursor: Int64
    /// Changes in the store's scope central holds beyond the store's pull cursor.
    public var lag: Int64
    /// Set while the store's pushes are refused for a change's content (it needs its
    /// operator: `fenxiao sync quarantine`); absent otherwise.
    public var blocked: BlockedPush? = nil
    /// The store's clock minus central's, measured at its last sync (ms; nil before one).
    public var clock_offset_ms: Int64? = nil
    /// Whether that offset is beyond the maximum offset (the store's clock needs setting).
    public var clock_beyond_bound: Bool? = nil
    /// Set while central, restored from a backup, waits for this store to give back what it
    /// acknowledged after the backup: since when (ms, central's clock; 0 if unknown).
    public var restore_waiting_since: Int64? = nil
    /// The store's promise: no new change of it will be stamped at or below this
    /// (`HLC.rawValue`; 0 before its first pull). The lowest one is central's frontier.
    public var stable_hlc: Int64 = 0
    /// When head office retired the store (`fenxiao enroll --retire`); nil while it is active.
    public var retired_at: Int64? = nil
    /// The highest seq of the store that central's latest `fenxiao backup` holds.
    public var durable_seq: Int64 = 0
}

/// Enrollment tokens: central keeps only their SHA-256.
public enum Tokens {
    /// A new random token (256 bits, hex).
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let v = rng.next() as UInt64
            let hex = String(v, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }
}

extension NodeStore {
    /// Records a peer's token hash (replacing an earlier one). `role` is `store` or `admin`.
    public func enrollPeer(node: String, role: String, token: String) throws {
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO peers(node, token_hash, revoked, enrolled_at) VALUES (?, ?, 0, ?)
                    ON CONFLICT(node) DO UPDATE SET token_hash = excluded.token_hash, revoked = 0, retired_at = NULL
                    """,
                arguments: [node, Tokens.hash(token) + ":" + role, wallClock()])
            try publishPeer(db, node: node, enrollment: true)
        }
    }

    /// Revokes a peer; returns false when it was never enrolled.
    public func revokePeer(node: String) throws -> Bool {
        try writeLocal { db in
            try db.execute(sql: "UPDATE peers SET revoked = 1 WHERE node = ?", arguments: [node])
            let found = db.changesCount > 0
            if found { try publishPeer(db, node: node, enrollment: true) }
            return found
        }
    }

    /// The peer a token belongs to: (node, role, revoked), or nil for an unknown token. A
    /// server sharing its log looks again after copying the shared peers (a store enrolled
    /// through another server a moment ago).
    public func peer(forToken token: String) throws -> (node: String, role: String, revoked: Bool)? {
        if let found = try localPeer(forToken: token) { return found }
        guard shared != nil else { return nil }
        try catchUpShared()
        return try localPeer(forToken: token)
    }

    func localPeer(forToken token: String) throws -> (node: String, role: String, revoked: Bool)? {
        try read { r in
            let hash = Tokens.hash(token)
            guard
                let row = try Row.fetchOne(
                    r.db, sql: "SELECT node, token_hash, revoked FROM peers WHERE token_hash LIKE ? || ':%'",
                    arguments: [hash])
            else { return nil }
            let stored: String = row["token_hash"]
            return (row["node"], String(stored.split(separator: ":").last ?? "store"), (row["revoked"] as Int64) != 0)
        }
    }

    /// The role (`store` or `admin`) a node is enrolled with, or nil.
    public func peerRole(node: String) throws -> String? {
        try read { r in
            try String.fetchOne(
                r.db.statement("SELECT token_hash FROM peers WHERE node = ?"), arguments: [node]
            )
            .map { String($0.split(separator: ":").last ?? "store") }
        }
    }

    /// Every enrolled peer with its sync progress (computes each store's lag: for the
    /// operator's node list, not for hot paths).
    public func peers() throws -> [PeerView] {
        try read { r in
            try Row.fetchAll(r.db, sql: "SELECT * FROM peers ORDER BY node").map { row in
                let node: String = row["node"]
                let cursor: Int64 = row["pull_cursor"]
                let lag =
                    try Int64.fetchOne(
                        r.db,
                        sql: """
                            SELECT (SELECT COUNT(*) FROM change_log WHERE pos > ?1 AND scope IN ('global', ?2) AND origin <> ?3)
                              + (SELECT COUNT(*) FROM change_archive WHERE scope = 'global' AND pos > ?1 AND origin <> ?3)
                            """,
                        arguments: [cursor, "node:\(node)", node]) ?? 0
                let stored: String = row["token_hash"]
                let offset = try r.clockOffset(node: node)
                let maxOffset = try r.clockBound().maxOffsetMillis
                return PeerView(
                    node: node, role: String(stored.split(separator: ":").last ?? "store"),
                    revoked: (row["revoked"] as Int64) != 0,
                    acked_seq: try Int64.fetchOne(
                        r.db, sql: "SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE origin = ?", arguments: [node])
                        ?? 0,
                    last_push: row["last_push"], last_pull: row["last_pull"], pull_cursor: cursor, lag: lag,
                    clock_offset_ms: offset?.offsetMillis,
                    clock_beyond_bound: offset.map { $0.offsetMillis.magnitude > maxOffset.magnitude },
                    stable_hlc: row["stable_hlc"], retired_at: row["retired_at"], durable_seq: row["durable_seq"])
            }
        }
    }

    /// Open `allocation_displaced` conflicts without a resolution note (cheap check before
    /// central's follow-up, after every push: by the `conflicts_displaced` index, never a scan
    /// of every conflict).
    public func unresolvedDisplacements() throws -> Int {
        try read { r in try Int.fetchOne(r.db.statement(Self.unresolvedDisplacementsSQL)) ?? 0 }
    }

    static let unresolvedDisplacementsSQL = """
        SELECT COUNT(*) FROM conflicts c WHERE c.rule = 'allocation_displaced'
        AND NOT EXISTS (SELECT 1 FROM registers r WHERE r.kind = 'conflict_note' AND r.id = c.id)
        """

    /// The highest seq of `origin` held here (pushes are contiguous, so also the count).
    public func heldSeq(of origin: NodeID) throws -> Int64 {
        try read { r in
            try Int64.fetchOne(
                r.db, sql: "SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE origin = ?", arguments: [origin.rawValue]
            ) ?? 0
        }
    }

    /// Applies a pushed batch and records the push in the same transaction.
    public func applyPush(
        _ changes: [ChangeRecord], from node: NodeID, validate: @escaping (StoreReader) throws -> Void
    ) throws -> (ApplyReport, Int64) {
        var acked: Int64 = 0
        let report = try applyRemote(
            changes, clampAhead: true, validate: validate,
            extra: { db in
                acked =
                    try Int64.fetchOne(
                        db.statement("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE origin = ?"),
                        arguments: [node.rawValue]) ?? 0
                try db.execute(
                    sql: "UPDATE peers SET acked_seq = ?, last_push = ? WHERE node = ?",
                    arguments: [acked, self.wallClock(), node.rawValue])
                try self.publishPeer(db, node: node.rawValue, enrollment: false)
                if !changes.isEmpty { try Self.clearBlocked(db, node: node) }
            })
        return (report, acked)
    }

    /// Store side: applies pulled changes and moves the cursor in the same transaction.
    public func applyPull(_ changes: [ChangeRecord], cursor: Int64) throws -> ApplyReport {
        try applyRemote(
            changes,
            extra: { db in
                try Meta.set(db, "pull_cursor", String(cursor))
            })
    }

    /// Store side: node-local sync settings and progress.
    public func setMeta(_ values: [String: String]) throws {
        try writeLocal { db in
            for (k, v) in values.sorted(by: { $0.key < $1.key }) { try Meta.set(db, k, v) }
        }
    }
}
