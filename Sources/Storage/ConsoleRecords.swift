import GRDB

/// A console user's password at this node: its bcrypt hash and the lockout counters (schema 16).
public struct ConsolePasswordRow: Sendable, Equatable {
    public var user: String
    public var passwordHash: String
    public var setAt: Int64
    public var failures: Int64
    public var lockedUntil: Int64?
}

/// A console session (its token is kept only as a SHA-256 hash; the CSRF token as given).
public struct ConsoleSessionRow: Sendable, Equatable {
    public var tokenHash: String
    public var user: String
    public var csrf: String
    public var startedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?

    public init(
        tokenHash: String, user: String, csrf: String, startedAt: Int64, lastSeenAt: Int64, expiresAt: Int64,
        endedAt: Int64?
    ) {
        self.tokenHash = tokenHash
        self.user = user
        self.csrf = csrf
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}

extension NodeStore {
    // MARK: Console passwords

    /// Sets a user's console password hash (clearing the lockout) and ends their sessions.
    public func setConsolePassword(user: String, hash: String) throws {
        let now = wallClock()
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO console_passwords(user, password_hash, set_at, failures, locked_until)
                    VALUES (?, ?, ?, 0, NULL)
                    ON CONFLICT(user) DO UPDATE SET password_hash = excluded.password_hash, set_at = excluded.set_at,
                        failures = 0, locked_until = NULL
                    """, arguments: [user, hash, now])
            try db.execute(
                sql: "UPDATE console_sessions SET ended_at = ? WHERE user = ? AND ended_at IS NULL",
                arguments: [now, user])
        }
    }

    /// A user's console password row, or nil when the user has none here.
    public func consolePassword(user: String) throws -> ConsolePasswordRow? {
        try read { r in
            try Row.fetchOne(r.db, sql: "SELECT * FROM console_passwords WHERE user = ?", arguments: [user]).map {
                ConsolePasswordRow(
                    user: $0["user"], passwordHash: $0["password_hash"], setAt: $0["set_at"],
                    failures: $0["failures"], lockedUntil: $0["locked_until"])
            }
        }
    }

    // MARK: Console sessions

    /// Records a new console session.
    public func insertConsoleSession(_ s: ConsoleSessionRow) throws {
        try writeLocal { db in
            try db.execute(
                sql: """
                    INSERT INTO console_sessions(token_hash, user, csrf, started_at, last_seen_at, expires_at, ended_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [s.tokenHash, s.user, s.csrf, s.startedAt, s.lastSeenAt, s.expiresAt, s.endedAt])
        }
    }

    /// A console session by its token hash.
    public func consoleSession(tokenHash: String) throws -> ConsoleSessionRow? {
        try read { r in
            try Row.fetchOne(r.db, sql: "SELECT * FROM console_sessions WHERE token_hash = ?", arguments: [tokenHash])
                .map {
                    ConsoleSessionRow(
                        tokenHash: $0["token_hash"], user: $0["user"], csrf: $0["csrf"], startedAt: $0["started_at"],
                        lastSeenAt: $0["last_seen_at"], expiresAt: $0["expires_at"], endedAt: $0["ended_at"])
                }
        }
    }
}
