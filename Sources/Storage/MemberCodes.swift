import GRDB

/// A member's one-time login code at central (schema 18): only its salted SHA-256 is kept.
public struct MemberCodeRow: Sendable, Equatable {
    public var phone: String
    public var codeHash: String
    public var salt: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var tries: Int64
    public var usedAt: Int64?

    public init(
        phone: String, codeHash: String, salt: String, createdAt: Int64, expiresAt: Int64, tries: Int64, usedAt: Int64?
    ) {
        (self.phone, self.codeHash, self.salt) = (phone, codeHash, salt)
        (self.createdAt, self.expiresAt, self.tries, self.usedAt) = (createdAt, expiresAt, tries, usedAt)
    }
}

/// A member's mall session (its token is kept only as a SHA-256 hash; the CSRF token as given).
public struct MemberSessionRow: Sendable, Equatable {
    public var tokenHash: String
    public var member: String
    public var csrf: String
    public var startedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?

    public init(
        tokenHash: String, member: String, csrf: String, startedAt: Int64, lastSeenAt: Int64, expiresAt: Int64,
        endedAt: Int64?
    ) {
        (self.tokenHash, self.member, self.csrf) = (tokenHash, member, csrf)
        (self.startedAt, self.lastSeenAt, self.expiresAt, self.endedAt) = (startedAt, lastSeenAt, expiresAt, endedAt)
    }
}

extension LocalTransaction {
    /// How many requests counted against `key` since `since` (ms).
    public func codeRequests(key: String, since: Int64) throws -> Int64 {
        try Int64.fetchOne(
            db, sql: "SELECT COUNT(*) FROM member_code_requests WHERE key = ? AND at > ?", arguments: [key, since]) ?? 0
    }

    /// The latest request counted against `key`, if any.
    public func lastCodeRequest(key: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(at) FROM member_code_requests WHERE key = ?", arguments: [key])
    }

    /// Counts one request against each of `keys` now, dropping rows older than a day.
    public func countCodeRequest(keys: [String]) throws {
        try db.execute(sql: "DELETE FROM member_code_requests WHERE at < ?", arguments: [nowMillis - 86_400_000])
        for key in keys {
            try db.execute(
                sql: "INSERT INTO member_code_requests(key, at) VALUES (?, ?)", arguments: [key, nowMillis])
        }
    }

    /// Keeps a phone's new code (replacing any earlier one, used or not).
    public func putMemberCode(_ row: MemberCodeRow) throws {
        try db.execute(
            sql: """
                INSERT INTO member_codes(phone, code_hash, salt, created_at, expires_at, tries, used_at)
                VALUES (?, ?, ?, ?, ?, 0, NULL)
                ON CONFLICT(phone) DO UPDATE SET code_hash = excluded.code_hash, salt = excluded.salt,
                    created_at = excluded.created_at, expires_at = excluded.expires_at, tries = 0, used_at = NULL
                """, arguments: [row.phone, row.codeHash, row.salt, row.createdAt, row.expiresAt])
    }

    /// A phone's code, if one was ever sent.
    public func memberCode(phone: String) throws -> MemberCodeRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM member_codes WHERE phone = ?", arguments: [phone]).map {
            MemberCodeRow(
                phone: $0["phone"], codeHash: $0["code_hash"], salt: $0["salt"], createdAt: $0["created_at"],
                expiresAt: $0["expires_at"], tries: $0["tries"], usedAt: $0["used_at"])
        }
    }

    /// Counts a wrong code against a phone's code.
    public func memberCodeMissed(phone: String) throws {
        try db.execute(sql: "UPDATE member_codes SET tries = tries + 1 WHERE phone = ?", arguments: [phone])
    }

    /// Marks a phone's code used (it logs in once).
    public func memberCodeUsed(phone: String) throws {
        try db.execute(sql: "UPDATE member_codes SET used_at = ? WHERE phone = ?", arguments: [nowMillis, phone])
    }

    /// Records a new mall session.
    public func insertMemberSession(_ s: MemberSessionRow) throws {
        try db.execute(
            sql: """
                INSERT INTO member_sessions(token_hash, member, csrf, started_at, last_seen_at, expires_at, ended_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.tokenHash, s.member, s.csrf, s.startedAt, s.lastSeenAt, s.expiresAt, s.endedAt])
    }
}

extension NodeStore {
    /// A mall session by its token hash.
    public func memberSession(tokenHash: String) throws -> MemberSessionRow? {
        try read { r in
            try Row.fetchOne(r.db, sql: "SELECT * FROM member_sessions WHERE token_hash = ?", arguments: [tokenHash])
                .map {
                    MemberSessionRow(
                        tokenHash: $0["token_hash"], member: $0["member"], csrf: $0["csrf"],
                        startedAt: $0["started_at"], lastSeenAt: $0["last_seen_at"], expiresAt: $0["expires_at"],
                        endedAt: $0["ended_at"])
                }
        }
    }

    /// Notes that a live mall session was used at `at` (never back).
    public func touchMemberSession(tokenHash: String, at: Int64) throws {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE member_sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE token_hash = ?",
                arguments: [at, tokenHash])
        }
    }

    /// Ends a mall session (logout); false when there was no live session with that hash.
    public func endMemberSession(tokenHash: String, at: Int64) throws -> Bool {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE member_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                arguments: [at, tokenHash])
            return db.changesCount > 0
        }
    }
}

extension LocalTransaction {
    /// The bcrypt hash of `member`'s mall password (schema 21), if they set one.
    public func memberPassword(member: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT hash FROM member_passwords WHERE member = ?", arguments: [member])
    }

    /// Sets (or replaces) `member`'s mall password hash.
    public func setMemberPassword(member: String, hash: String) throws {
        try db.execute(
            sql: """
                INSERT INTO member_passwords(member, hash, set_at) VALUES (?, ?, ?)
                ON CONFLICT(member) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at
                """, arguments: [member, hash, nowMillis])
    }
}

extension StoreReader {
    /// Whether `member` has set a mall password (schema 21).
    public func hasMemberPassword(member: String) throws -> Bool {
        try !rows("SELECT 1 FROM member_passwords WHERE member = ?", [member]).isEmpty
    }
}
