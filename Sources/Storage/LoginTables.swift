import GRDB

/// A node-local table of slow-hashed secrets kept with a count of wrong attempts: the staff's
/// till PINs (`staff_pins`) and head office's console passwords (`console_passwords`). Both
/// lock a user the same way (``NodeStore/reserveAttempt(on:user:maxFailures:lockMillis:)``).
public enum SecretTable: Sendable {
    case staffPINs, consolePasswords

    var table: String {
        switch self {
        case .staffPINs: return "staff_pins"
        case .consolePasswords: return "console_passwords"
        }
    }

    var hashColumn: String {
        switch self {
        case .staffPINs: return "pin_hash"
        case .consolePasswords: return "password_hash"
        }
    }
}

extension NodeStore {
    /// Counts one attempt before the secret's hash is checked: refused while locked; the
    /// `maxFailures`-th attempt in a row without the right secret locks the user for
    /// `lockMillis` (a right one, reported by ``attemptSucceeded(on:user:)``, lifts it).
    /// Counting first means guesses sent in parallel cannot pass the limit.
    public func reserveAttempt(on secrets: SecretTable, user: String, maxFailures: Int64, lockMillis: Int64) throws
        -> PINAttempt
    {
        let now = wallClock()
        return try writeLocal { db in
            guard
                let row = try Row.fetchOne(db, sql: "SELECT * FROM \(secrets.table) WHERE user = ?", arguments: [user])
            else { return .noPIN }
            if let until = row["locked_until"] as Int64?, until > now { return .locked(until: until) }
            let failures = (row["failures"] as Int64) + 1  // 0 again once a lock was set
            let lock: Int64? = failures >= maxFailures ? now + lockMillis : nil
            try db.execute(
                sql: "UPDATE \(secrets.table) SET failures = ?, locked_until = ? WHERE user = ?",
                arguments: [lock == nil ? failures : 0, lock, user])
            return .check(hash: row[secrets.hashColumn], failures: failures)
        }
    }

    /// A right secret: the attempts in a row start again from zero and any lock is lifted.
    public func attemptSucceeded(on secrets: SecretTable, user: String) throws {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE \(secrets.table) SET failures = 0, locked_until = NULL WHERE user = ?", arguments: [user])
        }
    }
}

/// A node-local table of login sessions kept by token hash: the tills' (`till_sessions`) and
/// head office's console (`console_sessions`). Both are used and ended the same way.
public enum SessionTable: Sendable {
    case till, console

    var table: String {
        switch self {
        case .till: return "till_sessions"
        case .console: return "console_sessions"
        }
    }
}

extension NodeStore {
    /// Notes that a live session was used at `at` (the idle timeout starts again; never back).
    public func touchSession(on sessions: SessionTable, tokenHash: String, at: Int64) throws {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE \(sessions.table) SET last_seen_at = MAX(last_seen_at, ?) WHERE token_hash = ?",
                arguments: [at, tokenHash])
        }
    }

    /// Ends a session (logout); false when there was no live session with that hash.
    public func endSession(on sessions: SessionTable, tokenHash: String, at: Int64) throws -> Bool {
        try writeLocal { db in
            try db.execute(
                sql: "UPDATE \(sessions.table) SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                arguments: [at, tokenHash])
            return db.changesCount > 0
        }
    }
}
