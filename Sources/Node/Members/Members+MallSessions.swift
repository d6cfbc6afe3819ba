import Commerce
import Replication
import Storage

/// How long a member stays signed in at the mall: 30 days at most, 7 days without a visit.
public enum MallSessionPolicy {
    public static let absoluteMillis: Int64 = 30 * 86_400_000
    public static let idleMillis: Int64 = 7 * 86_400_000
}

/// A member signed in at the mall (the session behind the cookie).
public struct MallSession: Sendable, Equatable {
    public var member: String
    /// The token every POST form of this session carries.
    public var csrf: String
    public var expires_at: Int64
}

/// What the member's own page shows (their own phone masked, as it is on a shared screen).
public struct MallMemberView: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var masked_phone: String?
    public var level: String?
    public var points: Int64
    public var wallet: Money
}

extension Members {
    /// The live mall session of a token, noting its use; refused (unauthorized) when unknown,
    /// logged out, expired or idle, or when its member is no longer known here.
    public func mallSession(_ token: String) throws(NodeError) -> MallSession {
        let now = store.wallNow()
        let found: MemberSessionRow?
        do {
            found =
                token.isEmpty || token.utf8.count > 128 ? nil : try store.memberSession(tokenHash: Tokens.hash(token))
        } catch { throw NodeError.wrap(error) }
        guard let row = found, row.endedAt == nil, row.expiresAt > now,
            now - row.lastSeenAt < MallSessionPolicy.idleMillis
        else {
            throw NodeError(.unauthorized, "this \(Field.session) is over or unknown; sign in with your phone")
        }
        do { try store.touchMemberSession(tokenHash: row.tokenHash, at: now) } catch { throw NodeError.wrap(error) }
        return MallSession(member: row.member, csrf: row.csrf, expires_at: row.expiresAt)
    }

    /// Ends a mall session (logout); an unknown or ended one is not an error.
    public func mallLogout(_ token: String) throws(NodeError) {
        do { _ = try store.endMemberSession(tokenHash: Tokens.hash(token), at: store.wallNow()) } catch {
            throw NodeError.wrap(error)
        }
    }

    /// The signed-in member's own summary: name, masked phone, level, available points and
    /// stored value, read as the counters and the console read them.
    public func mallMember(_ member: String) throws(NodeError) -> MallMemberView {
        let now = store.wallNow()
        return try read { r in
            let view = try Self.memberView(member, r, now: now)
            return MallMemberView(
                id: view.id, name: view.name, masked_phone: view.phone.map(Role.mask),
                level: try Self.memberLevel(member, r)?.name, points: view.points,
                wallet: Money(cents: view.wallet_cents))
        }
    }
}
