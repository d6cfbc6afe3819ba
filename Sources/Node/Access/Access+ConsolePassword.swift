import Commerce
import HummingbirdBcrypt
import Replication
import Storage

/// A user's console password state at this node, as `fenxiao user add --password` answers it
/// (never the password).
public struct ConsolePasswordView: Sendable, Equatable, Codable {
    public var user: String
    public var set_at: Int64
}

/// The permissions that open the head-office console: a role with none of them (a cashier, a
/// consumer, a distributor) cannot log in there.
public enum ConsoleAccess {
    public static let permissions: Set<Permission> = [
        .seeReports, .resolveConflicts, .approveDistributors, .approveWithdrawals, .manageUsers,
    ]

    /// A console password: 8 to 72 bytes of UTF-8 (bcrypt reads no further than 72).
    public static func checkPassword(_ password: String) throws(NodeError) {
        guard password.count >= 8, password.utf8.count <= 72 else {
            throw NodeError(
                .invalidInput, "\(Field.password) must be 8 characters or more (at most 72 bytes)", field: .password)
        }
    }
}

extension Field {
    /// A console user's password.
    public static let password = Field(rawValue: "password")
}

extension Access {
    /// bcrypt's cost for console passwords (2^11 rounds, about a tenth of a second): slow
    /// enough that a copied database does not give up weak passwords in bulk, quick enough
    /// for a login; online guessing is stopped by the lockout.
    static let consoleBcryptCost: UInt8 = 11

    /// Sets `user`'s console password at central (`fenxiao user add … --password`). A user sets
    /// their own; `manage_users` sets anyone's. While the chain has no users (bootstrap) the
    /// first admin is given one. A new password lifts a lockout and ends the user's sessions.
    ///
    /// Passwords live in central's own table (schema 16), never in the replicated user register:
    /// the console is served by central only, and a hash never travels to the stores.
    public func setConsolePassword(user: String, password: String) throws(NodeError) -> ConsolePasswordView {
        try requireCentral("setting a console password")
        try ConsoleAccess.checkPassword(password)
        try node.write { tx in
            let r = tx.reader
            guard let f = try r.register(.user, user) else {
                throw NodeError(.notFound, "user \(user) is unknown here; add the user first", field: .user)
            }
            let role = try UserRegister(fields: f).role
            guard let role, !role.permissions.isDisjoint(with: ConsoleAccess.permissions) else {
                throw NodeError(
                    .forbidden,
                    "user \(user) (\(role?.rawValue ?? "no role")) has no head-office permission; the console is for head office",
                    field: .user)
            }
            let me = try node.actingUser(r)
            if let me, me.id != user { try node.check(.manageUsers, r) }
            try node.audit(&tx, user: me?.id ?? user, action: "user.set_password", subject: user)
        }
        let hash = Bcrypt.hash(password, cost: Self.consoleBcryptCost)
        do {
            try store.setConsolePassword(user: user, hash: hash)
            return ConsolePasswordView(
                user: user, set_at: try store.consolePassword(user: user)?.setAt ?? store.wallNow())
        } catch { throw NodeError.wrap(error) }
    }

    /// Whether `user` has a console password here.
    public func hasConsolePassword(_ user: String) throws(NodeError) -> Bool {
        do { return try store.consolePassword(user: user) != nil } catch { throw NodeError.wrap(error) }
    }
}
