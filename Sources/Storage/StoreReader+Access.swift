import GRDB

/// One line of the audit log as stored.
public struct AuditRow: Sendable, Equatable {
    public var id: String
    public var user: String
    public var action: String
    public var subject: String?
    public var at: Int64
    /// The entry's scope (`node:<id>`: the node where the user acted).
    public var scope: String
}

extension StoreReader {
    /// Each user's last login (`user.login` audit entries), by user id.
    public func lastLogins() throws -> [String: Int64] {
        var logins: [String: Int64] = [:]
        for row in try rows("SELECT user, MAX(at) AS at FROM audit_log WHERE action = 'user.login' GROUP BY user") {
            logins[row["user"]] = row["at"]
        }
        return logins
    }

    /// The audit log (of one user, or everyone's), newest first, at most `limit` lines.
    public func auditLog(user: String? = nil, limit: Int) throws -> [AuditRow] {
        var sql = "SELECT id, user, action, subject, at, scope FROM audit_log"
        var args: [any SQLValue] = []
        if let user {
            sql += " WHERE user = ?"
            args.append(user)
        }
        sql += " ORDER BY at DESC, id DESC LIMIT ?"
        args.append(limit)
        return try rows(sql, args).map {
            AuditRow(
                id: $0["id"], user: $0["user"], action: $0["action"], subject: $0["subject"], at: $0["at"],
                scope: $0["scope"])
        }
    }
}
