import Commerce
import Replication
import Storage

/// A user as listed by `fenxiao user list`.
public struct UserView: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: String
    public var store: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var birthday: String?
    public var registered_at: Int64?
    /// The user's last login at any node whose audit log reached this one.
    public var last_login_at: Int64?
}

/// One line of the audit log.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: String
    public var user: String
    public var action: String
    public var subject: String?
    public var at: Int64
    public var node: String
}

extension Access {
    /// Adds or changes a user (central; needs manage_users once users exist).
    public func upsertUser(
        id: String, name: String?, role: Role?, store: String?, phone: String?, email: String?, address: String?,
        birthday: String?
    ) throws(NodeError) -> UserView {
        try requireCentral("managing users")
        guard SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "user id '\(id)' must be letters, digits, '-' or '_'")
        }
        if let birthday, birthday.count != 10 || birthday.split(separator: "-").count != 3 {
            throw NodeError(.invalidInput, "birthday must look like 1990-05-17")
        }
        return try write(.manageUsers, "user.upsert", subject: id) { tx in
            let existing = try tx.reader.register(.user, id)
            if existing == nil && (name == nil || role == nil) {
                throw NodeError(.invalidInput, "a new user needs \(Field.name) and \(Field.role)")
            }
            let patch = UserRegister(
                name: name, role: role, store: store, phone: phone, email: email, address: address, birthday: birthday,
                registeredAtMillis: existing == nil ? tx.nowMillis : nil)
            try tx.emit(patch, entity: id, scope: .global)
            return try Self.userView(id, try tx.flushed().register(.user, id) ?? patch.fields, masked: false)
        }
    }

    public func users() throws(NodeError) -> [UserView] {
        try read { r in
            let me = try actingUser(r)
            let masked = me.map { !$0.role.permissions.contains(.viewContacts) } ?? false
            let logins = try r.lastLogins()
            return try r.registers(.user).map { u in
                var view = try Self.userView(u.id, u.fields, masked: masked)
                view.last_login_at = logins[u.id]
                return view
            }
        }
    }

    /// Records a user's login at this node (an audit entry, so it replicates like every other
    /// action and head office sees the last login per user).
    public func recordUserLogin(_ id: String) throws(NodeError) -> UserView {
        try write { tx in
            guard let f = try tx.reader.register(.user, id) else {
                throw NodeError(.notFound, "user \(id) is unknown here; check the id or run `fenxiao sync`")
            }
            if try UserRegister(fields: f).disabled == true { throw NodeError(.forbidden, "user \(id) is disabled") }
            try audit(&tx, user: id, action: "user.login", subject: nil)
            var view = try Self.userView(id, f, masked: false)
            view.last_login_at = tx.nowMillis
            return view
        }
    }

    /// Sets the node's default operator (the user commands run as without --as).
    public func setOperator(_ user: String) throws(NodeError) {
        do {
            guard try store.read({ try $0.register(.user, user) }) != nil else {
                throw NodeError(.notFound, "user \(user) is unknown here; run `fenxiao sync` first")
            }
            try store.setMeta(["operator": user])
        } catch {
            throw NodeError.wrap(error)
        }
    }

    public func auditLog(user: String? = nil, limit: Int = 200) throws(NodeError) -> [AuditEntry] {
        try read(.seeReports) { r in
            try r.auditLog(user: user, limit: limit).map {
                AuditEntry(
                    id: $0.id, user: $0.user, action: $0.action, subject: $0.subject, at: $0.at,
                    node: String($0.scope.dropFirst(5)))
            }
        }
    }

    static func userView(_ id: String, _ f: Fields, masked: Bool) throws -> UserView {
        let u = try UserRegister(fields: f)
        func contact(_ v: String?) -> String? { v.map { masked ? Role.mask($0) : $0 } }
        return UserView(
            id: id, name: u.name ?? id, role: u.role?.rawValue ?? "?", store: u.store, phone: contact(u.phone),
            email: contact(u.email), address: contact(u.address), birthday: u.birthday,
            registered_at: u.registeredAtMillis)
    }
}
