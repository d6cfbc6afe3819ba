import Commerce
import HummingbirdBcrypt
import Replication
import Storage

/// A head-office user logged in at the console. The session's token is given once, by
/// ``Access/consoleLogin(user:password:)``; central keeps only its SHA-256.
public struct ConsoleSession: Sendable, Equatable, Codable {
    public var user: String
    public var role: Role
    /// The token every POST form of this session carries (checked against the session's own).
    public var csrf: String
    public var started_at: Int64
    /// Absolute end: ``SessionPolicy/absoluteMillis`` after login.
    public var expires_at: Int64
    /// When it ends if not used before: ``SessionPolicy/idleMillis`` after its last use.
    public var idle_until: Int64
}

/// What a console login answers: the session and its token (the browser keeps it in a cookie).
public struct ConsoleLogin: Sendable, Equatable {
    public var token: String
    public var session: ConsoleSession
}

extension Access {
    /// Logs `user` in at the console with their password: a new session (12 hours at most,
    /// 30 minutes idle, as at the till). Five wrong passwords in a row lock the user for 15
    /// minutes (``PINLockout``'s numbers). The login is audited (`user.login`, subject `console`).
    public func consoleLogin(user: String, password: String) throws(NodeError) -> ConsoleLogin {
        try requireCentral("the head-office console")
        let role = try consoleRole(user)
        let attempt: PINAttempt
        do {
            attempt = try store.reserveAttempt(
                on: .consolePasswords,
                user: user, maxFailures: PINLockout.maxFailures, lockMillis: PINLockout.lockMillis)
        } catch { throw NodeError.wrap(error) }
        switch attempt {
        case .noPIN:
            throw NodeError(
                .unauthorized,
                "user \(user) has no console password; a head-office user manager sets one at central first",
                field: .password)
        case .locked(let until):
            throw NodeError(
                .unauthorized,
                "user \(user) is locked after \(PINLockout.maxFailures) wrong passwords until \(node.till.clockTime(until)); wait, or an admin sets a new password",
                field: .password)
        case .check(let hash, let failures):
            guard Bcrypt.verify(password, hash: hash) else {
                let left = PINLockout.maxFailures - failures
                throw NodeError(
                    .unauthorized,
                    left > 0
                        ? "wrong \(Field.password) for user \(user); \(left) more wrong lock the user for 15 minutes"
                        : "wrong \(Field.password) for user \(user); the user is now locked for 15 minutes",
                    field: .password)
            }
        }
        let token = Tokens.generate()
        let now = store.wallNow()
        let row = ConsoleSessionRow(
            tokenHash: Tokens.hash(token), user: user, csrf: Tokens.generate(), startedAt: now, lastSeenAt: now,
            expiresAt: now + SessionPolicy.absoluteMillis, endedAt: nil)
        do {
            try store.attemptSucceeded(on: .consolePasswords, user: user)
            try store.insertConsoleSession(row)
        } catch { throw NodeError.wrap(error) }
        try node.write { tx in try node.audit(&tx, user: user, action: "user.login", subject: "console") }
        return ConsoleLogin(token: token, session: Self.view(row, role: role))
    }

    /// The live console session of a token, noting its use. Refused with a sentence saying why:
    /// unknown, logged out, expired, idle, or its user disabled or without console rights since.
    public func consoleSession(_ token: String) throws(NodeError) -> ConsoleSession {
        let now = store.wallNow()
        let found: ConsoleSessionRow?
        do {
            found =
                token.isEmpty || token.utf8.count > 128 ? nil : try store.consoleSession(tokenHash: Tokens.hash(token))
        } catch { throw NodeError.wrap(error) }
        guard let row = found else {
            throw NodeError(.unauthorized, "this \(Field.session) is unknown here; log in with your password")
        }
        switch SessionPolicy.ended(expiresAt: row.expiresAt, lastSeenAt: row.lastSeenAt, endedAt: row.endedAt, now: now)
        {
        case .loggedOut?:
            throw NodeError(.unauthorized, "this \(Field.session) ended; log in again")
        case .expired?:
            throw NodeError(.unauthorized, "this \(Field.session) expired (sessions last 12 hours); log in again")
        case .idle?:
            throw NodeError(.unauthorized, "this \(Field.session) was idle for 30 minutes; log in again")
        case nil: break
        }
        let role = try consoleRole(row.user)
        do { try store.touchSession(on: .console, tokenHash: row.tokenHash, at: now) } catch {
            throw NodeError.wrap(error)
        }
        var touched = row
        touched.lastSeenAt = max(row.lastSeenAt, now)
        return Self.view(touched, role: role)
    }

    /// Ends a console session (logout, audited); an unknown or ended one is not an error.
    public func consoleLogout(_ token: String) throws(NodeError) {
        let hash = Tokens.hash(token)
        let ended: ConsoleSessionRow?
        do {
            guard let row = try store.consoleSession(tokenHash: hash) else { return }
            ended = try store.endSession(on: .console, tokenHash: hash, at: store.wallNow()) ? row : nil
        } catch { throw NodeError.wrap(error) }
        if let ended {
            try node.write { tx in try node.audit(&tx, user: ended.user, action: "user.logout", subject: "console") }
        }
    }

    /// The role of a user who may use the console (known, enabled, with a head-office permission).
    func consoleRole(_ user: String) throws(NodeError) -> Role {
        let acting = node.acting(as: user)
        let found = try acting.read { r in try acting.actingUser(r) }
        guard let found else {
            throw NodeError(.notFound, "this chain has no users yet; add one with `fenxiao user add`", field: .user)
        }
        guard !found.role.permissions.isDisjoint(with: ConsoleAccess.permissions) else {
            throw NodeError(
                .forbidden, "user \(user) (\(found.role.rawValue)) has no head-office permission", field: .user)
        }
        return found.role
    }

    static func view(_ row: ConsoleSessionRow, role: Role) -> ConsoleSession {
        ConsoleSession(
            user: row.user, role: role, csrf: row.csrf, started_at: row.startedAt, expires_at: row.expiresAt,
            idle_until: min(row.expiresAt, row.lastSeenAt + SessionPolicy.idleMillis))
    }
}
