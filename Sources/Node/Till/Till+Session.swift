import Commerce
import Replication
import Storage

/// A logged-in staff member at a till. The session's token is given once, by ``Till/login(user:pin:tillToken:)``;
/// the node keeps only its SHA-256, in a node-local table.
public struct TillSession: Sendable, Equatable, Codable {
    public var user: String
    public var role: Role
    public var till: String
    public var started_at: Int64
    /// Absolute end: ``SessionPolicy/absoluteMillis`` after login.
    public var expires_at: Int64
    /// When it ends if not used before: ``SessionPolicy/idleMillis`` after its last use.
    public var idle_until: Int64
}

/// What a login answers: the session and its token (shown once; the till's browser keeps it).
public struct TillLogin: Sendable, Equatable, Codable {
    public var token: String
    public var session: TillSession
}

extension Till {
    /// Logs `user` in at the till holding `tillToken` with their PIN: a new session (12 hours at
    /// most, 30 minutes idle; ``SessionPolicy``). The login is audited (`user.login`, subject
    /// `till:ID`) and replicates like every audit entry.
    public func login(user: String, pin: String, tillToken: String) throws(NodeError) -> TillLogin {
        let till = try resolve(tillToken: tillToken)
        let member = try staff(user)
        guard member.role.permissions.contains(.sell) else {
            throw NodeError(
                .forbidden, "user \(user) (\(member.role.rawValue)) is not store staff and cannot log in at a till",
                field: .user)
        }
        _ = try verify(user: user, pin: pin)
        let token = Tokens.generate()
        let now = store.wallNow()
        let row = SessionRow(
            tokenHash: Tokens.hash(token), user: user, till: till.id, startedAt: now, lastSeenAt: now,
            expiresAt: now + SessionPolicy.absoluteMillis, endedAt: nil)
        try local { try store.insertSession(row) }
        try node.write { tx in try node.audit(&tx, user: user, action: "user.login", subject: "till:\(till.id)") }
        return TillLogin(token: token, session: Self.view(row, role: member.role))
    }

    /// Ends a session (logout). An unknown or already ended session is not an error: the
    /// till is logged out either way.
    public func logout(_ token: String) throws(NodeError) {
        let hash = Tokens.hash(token)
        guard let row = try local({ try store.session(tokenHash: hash) }) else { return }
        if try local({ try store.endSession(on: .till, tokenHash: hash, at: store.wallNow()) }) {
            try node.write { tx in
                try node.audit(&tx, user: row.user, action: "user.logout", subject: "till:\(row.till)")
            }
        }
    }

    /// The live session of a token, noting its use (the idle timeout starts again). Refused
    /// with a sentence saying why: unknown, logged out, expired, idle, its till revoked, or its
    /// user disabled or moved since.
    public func session(_ token: String) throws(NodeError) -> TillSession {
        let now = store.wallNow()
        guard !token.isEmpty, token.utf8.count <= 128,
            let row = try local({ try store.session(tokenHash: Tokens.hash(token)) })
        else {
            throw NodeError(.unauthorized, "this \(Field.session) is unknown here; log in with your PIN")
        }
        switch SessionPolicy.ended(expiresAt: row.expiresAt, lastSeenAt: row.lastSeenAt, endedAt: row.endedAt, now: now)
        {
        case .loggedOut(let at)?:
            throw NodeError(
                .unauthorized, "this \(Field.session) ended at \(clockTime(at)); log in again with your PIN")
        case .expired(let at)?:
            throw NodeError(
                .unauthorized,
                "this \(Field.session) expired at \(clockTime(at)) (sessions last 12 hours); log in again with your PIN"
            )
        case .idle(let since)?:
            throw NodeError(
                .unauthorized,
                "this \(Field.session) was idle since \(clockTime(since)) (30 minutes); log in again with your PIN")
        case nil: break
        }
        guard let till = try local({ try store.tills().first { $0.id == row.till } }), till.revokedAt == nil else {
            throw NodeError(.unauthorized, "till \(row.till) was revoked; its sessions ended", field: .session)
        }
        let member = try staff(row.user)
        try local { try store.touchSession(on: .till, tokenHash: row.tokenHash, at: now) }
        var touched = row
        touched.lastSeenAt = max(row.lastSeenAt, now)
        return Self.view(touched, role: member.role)
    }

    /// The node acting as a session's user: the till's use cases run through it, under the same
    /// permission matrix as the CLI.
    public func node(for session: TillSession) -> FenxiaoNode { node.acting(as: session.user) }

    static func view(_ row: SessionRow, role: Role) -> TillSession {
        TillSession(
            user: row.user, role: role, till: row.till, started_at: row.startedAt, expires_at: row.expiresAt,
            idle_until: min(row.expiresAt, row.lastSeenAt + SessionPolicy.idleMillis))
    }
}
