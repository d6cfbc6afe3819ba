import Commerce
import Replication
import Storage

extension FenxiaoNode {
    /// The acting user and their role; nil while the chain has no users yet (bootstrap: the
    /// first admin is created with `fenxiao user add --role admin`).
    func actingUser(_ r: StoreReader) throws -> (id: String, role: Role)? {
        // A member in the mall acts as a consumer (no staff permission, contacts masked); the
        // self-service use cases are let through by `check` below.
        if let member = selfMember { return (MemberSelfService.auditUser(member), .consumer) }
        guard try r.hasRegisters(.user) else { return nil }
        guard let id = try actor ?? r.meta("operator") else {
            throw NodeError(
                .unauthorized,
                "this chain has users: \(Field.user) must name the user who acts (or set the node's operator)")
        }
        guard let f = try r.register(.user, id) else {
            throw NodeError(.unauthorized, "user \(id) is unknown here; check the id or run `fenxiao sync`")
        }
        let user: UserRegister
        do { user = try UserRegister(fields: f) } catch {
            throw NodeError(.forbidden, "user \(id) cannot act: \(error); ask head office to fix the user")
        }
        guard let role = user.role else {
            throw NodeError(.forbidden, "user \(id) has no valid role; ask head office to grant one")
        }
        if user.disabled == true { throw NodeError(.forbidden, "user \(id) is disabled") }
        if identity.role == .store, let home = user.store, home != identity.node.rawValue {
            // Central refuses audit entries naming another store's users.
            throw NodeError(
                .forbidden, "user \(id) works at \(home); sign in at \(home) or ask head office to move the user")
        }
        return (id, role)
    }

    /// Checks `permission` for the acting user (no-op in bootstrap mode); returns the user id.
    @discardableResult
    func check(_ permission: Permission, amount: Int64? = nil, _ r: StoreReader) throws -> String? {
        if let member = selfMember {
            // Only the self-service value holds such a node, and it checks that the member acts
            // on their own orders, points and commission before calling the use case.
            guard MemberSelfService.permissions.contains(permission), amount == nil else {
                throw NodeError(.forbidden, "a member cannot \(permission.rawValue) in the mall; ask head office")
            }
            return MemberSelfService.auditUser(member)
        }
        guard let (id, role) = try actingUser(r) else { return nil }
        do {
            try role.check(permission, user: id, amountCents: amount)
        } catch {
            throw NodeError.wrap(error)
        }
        return id
    }

    /// A write use case guarded by a permission and recorded in the audit log.
    func write<T>(
        _ permission: Permission, _ action: String, subject: String? = nil, _ body: (inout LocalTransaction) throws -> T
    ) throws(NodeError) -> T {
        try write { tx in
            let user = try check(permission, tx.reader)
            let result = try body(&tx)
            if let user { try audit(&tx, user: user, action: action, subject: subject) }
            return result
        }
    }

    func audit(_ tx: inout LocalTransaction, user: String, action: String, subject: String?) throws {
        try tx.emit(
            AuditChange(user: user, action: action, subject: subject, atMillis: tx.nowMillis), entity: tx.newID("AU"),
            scope: .node(identity.node))
    }

    /// A read use case guarded by a permission.
    func read<T>(_ permission: Permission, _ body: (StoreReader) throws -> T) throws(NodeError) -> T {
        try read { r in
            try check(permission, r)
            return try body(r)
        }
    }
}
