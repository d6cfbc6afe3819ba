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
