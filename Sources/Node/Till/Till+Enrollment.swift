import Commerce
import Replication
import Storage

/// A till as `fenxiao till list` shows it (never its token).
public struct TillView: Sendable, Equatable, Codable {
    public var id: String
    public var added_at: Int64
    public var revoked_at: Int64?
    public var last_seen_at: Int64?
    public var revoked: Bool
}

/// A till just enrolled: its token is shown once, for that till's browser; the node keeps only
/// its SHA-256.
public struct TillEnrollment: Sendable, Equatable, Codable {
    public var till: String
    public var token: String
}

extension Till {
    /// Enrols a till (`fenxiao till add TILL-2`), or gives an enrolled one a new token (its
    /// old token and sessions stop working). Needs `manage_till` once the chain has users.
    public func add(_ id: String) throws(NodeError) -> TillEnrollment {
        try Self.validate(id)
        try node.write(.manageTill, "till.add", subject: id) { _ in }
        let token = Tokens.generate()
        try local { try store.enrollTill(id: id, tokenHash: Tokens.hash(token)) }
        return TillEnrollment(till: id, token: token)
    }

    /// The tills enrolled here.
    public func list() throws(NodeError) -> [TillView] {
        try node.read(.manageTill) { _ in }
        return try local { try store.tills().map(Self.view) }
    }

    /// Revokes a till: its token and its sessions stop working at once.
    public func revoke(_ id: String) throws(NodeError) -> TillView {
        try Self.validate(id)
        try node.write(.manageTill, "till.revoke", subject: id) { _ in }
        guard try local({ try store.revokeTill(id: id) }) else {
            throw NodeError(.notFound, "till \(id) is not enrolled here; see `fenxiao till list`", field: .till)
        }
        return try list().first { $0.id == id } ?? TillView(id: id, added_at: 0, revoked: true)
    }

    /// The enrolled, unrevoked till a token belongs to.
    func resolve(tillToken: String) throws(NodeError) -> TillRow {
        guard !tillToken.isEmpty, tillToken.utf8.count <= 128,
            let till = try local({ try store.till(tokenHash: Tokens.hash(tillToken)) })
        else {
            throw NodeError(
                .unauthorized, "\(Field.tillToken) is not a till of this store; enrol the till with `fenxiao till add`")
        }
        if till.revokedAt != nil {
            throw NodeError(
                .unauthorized,
                "till \(till.id) was revoked; a store manager enrols it again with `fenxiao till add \(till.id)`",
                field: .tillToken)
        }
        return till
    }

    static func validate(_ id: String) throws(NodeError) {
        guard id.utf8.count <= 32, SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "\(Field.till) must be 1–32 letters, digits, '-' or '_' (e.g. TILL-2)")
        }
    }

    static func view(_ row: TillRow) -> TillView {
        TillView(
            id: row.id, added_at: row.addedAt, revoked_at: row.revokedAt, last_seen_at: row.lastSeenAt,
            revoked: row.revokedAt != nil)
    }
}
