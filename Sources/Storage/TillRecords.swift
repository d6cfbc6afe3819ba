import GRDB

/// A till enrolled at this node (node-local, never replicated; schema 014).
public struct TillRow: Sendable, Equatable {
    public var id: String
    public var tokenHash: String
    public var addedAt: Int64
    public var revokedAt: Int64?
    public var lastSeenAt: Int64?
}

/// A staff member's PIN at this node: its bcrypt hash and the lockout counters.
public struct PINRow: Sendable, Equatable {
    public var user: String
    public var pinHash: String
    public var setAt: Int64
    public var failures: Int64
    public var lockedUntil: Int64?
}

/// A till session (its token is kept only as a SHA-256 hash).
public struct SessionRow: Sendable, Equatable {
    public var tokenHash: String
    public var user: String
    public var till: String
    public var startedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?

    public init(
        tokenHash: String, user: String, till: String, startedAt: Int64, lastSeenAt: Int64, expiresAt: Int64,
        endedAt: Int64?
    ) {
        self.tokenHash = tokenHash
        self.user = user
        self.till = till
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}

/// The outcome of reserving one PIN attempt (counted before the hash is checked).
public enum PINAttempt: Sendable, Equatable {
    /// The user has no PIN at this node.
    case noPIN
    /// Locked until this instant (ms).
    case locked(until: Int64)
    /// Counted (the `failures`-th wrong one in a row if it is wrong); check the PIN against this hash.
    case check(hash: String, failures: Int64)
}

extension NodeStore {
    // MARK: Tills

    /// Enrolls a till, or gives an enrolled (or revoked) one a new token; the old token and its
    /// sessions stop working.
    public func enrollTill(id: String, tokenHash: String) throws {
        let now = wallClock()
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO tills(id, token_hash, added_at) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, added_at = excluded.added_at, revoked_at = NULL
                    """, arguments: [id, tokenHash, now])
            try db.execute(
                sql: "UPDATE till_sessions SET ended_at = ? WHERE till = ? AND ended_at IS NULL", arguments: [now, id])
        }
    }

    /// Revokes a till and ends its sessions; false when it was never enrolled.
    public func revokeTill(id: String) throws -> Bool {
        let now = wallClock()
        return try writeLocal { db in
            try db.execute(
                sql: "UPDATE tills SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", arguments: [now, id])
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "UPDATE till_sessions SET ended_at = ? WHERE till = ? AND ended_at IS NULL", arguments: [now, id])
            return true
        }
    }

    /// Every till enrolled here, by id.
    public func tills() throws -> [TillRow] {
        try read { r in try Row.fetchAll(r.db, sql: "SELECT * FROM tills ORDER BY id").map(Self.tillRow) }
    }

    /// The till a token hash belongs to (revoked ones too), noting that it was seen now.
    public func till(tokenHash: String) throws -> TillRow? {
        let now = wallClock()
        return try writeLocal { db in
            guard
                let row = try Row.fetchOne(db, sql: "SELECT * FROM tills WHERE token_hash = ?", arguments: [tokenHash])
            else { return nil }
            try db.execute(
                sql: "UPDATE tills SET last_seen_at = ? WHERE id = ?", arguments: [now, row["id"] as String])
            return Self.tillRow(row)
        }
    }

    static func tillRow(_ row: Row) -> TillRow {
        TillRow(
            id: row["id"], tokenHash: row["token_hash"], addedAt: row["added_at"], revokedAt: row["revoked_at"],
            lastSeenAt: row["last_seen_at"])
    }

    // MARK: PINs

    /// Sets a user's PIN hash (clearing the lockout).
    public func setPIN(user: String, hash: String) throws {
        let now = wallClock()
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO staff_pins(user, pin_hash, set_at, failures, locked_until) VALUES (?, ?, ?, 0, NULL)
                    ON CONFLICT(user) DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at, failures = 0,
                        locked_until = NULL
                    """, arguments: [user, hash, now])
        }
    }

    /// A user's PIN row, or nil when the user has no PIN here.
    public func pin(user: String) throws -> PINRow? {
        try read { r in
            try Row.fetchOne(r.db, sql: "SELECT * FROM staff_pins WHERE user = ?", arguments: [user]).map {
                PINRow(
                    user: $0["user"], pinHash: $0["pin_hash"], setAt: $0["set_at"], failures: $0["failures"],
                    lockedUntil: $0["locked_until"])
            }
        }
    }

    // MARK: Sessions

    /// Records a new session.
    public func insertSession(_ s: SessionRow) throws {
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO till_sessions(token_hash, user, till, started_at, last_seen_at, expires_at, ended_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [s.tokenHash, s.user, s.till, s.startedAt, s.lastSeenAt, s.expiresAt, s.endedAt])
        }
    }

    /// A session by its token hash.
    public func session(tokenHash: String) throws -> SessionRow? {
        try read { r in
            try Row.fetchOne(r.db, sql: "SELECT * FROM till_sessions WHERE token_hash = ?", arguments: [tokenHash]).map
            {
                SessionRow(
                    tokenHash: $0["token_hash"], user: $0["user"], till: $0["till"], startedAt: $0["started_at"],
                    lastSeenAt: $0["last_seen_at"], expiresAt: $0["expires_at"], endedAt: $0["ended_at"])
            }
        }
    }

    /// Ends every live session of a user (their PIN changed).
    public func endSessions(user: String, at: Int64) throws {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE till_sessions SET ended_at = ? WHERE user = ? AND ended_at IS NULL", arguments: [at, user])
        }
    }
}
