import Commerce
import HummingbirdBcrypt
import Replication
import Storage

/// A staff member's PIN state at this node, as `fenxiao user set-pin` answers (never the PIN).
public struct PINView: Sendable, Equatable, Codable {
    public var user: String
    public var set_at: Int64
}

/// A staff member whose PIN was just checked.
public struct StaffMember: Sendable, Equatable {
    public var id: String
    public var role: Role
}

extension Till {
    /// bcrypt's cost (2^10 rounds). A PIN has only 10^4–10^6 values, so the slow hash is not
    /// what protects it: the lockout is, and the hash never leaves the node. The cost keeps a
    /// copied database from giving up every PIN in seconds.
    static let bcryptCost: UInt8 = 10

    /// Sets `user`'s PIN at this node (`fenxiao user set-pin`). Staff set their own; a user
    /// with `manage_till` sets the PIN of a user whose role can do no more than theirs. A new
    /// PIN lifts a lockout and ends the user's till sessions.
    ///
    /// PINs live in this node's own table, not in the replicated user register: every till of
    /// the store is served by this node, so the PIN works offline at all of them, it never
    /// travels to central or other stores, and a store can set one without head office.
    public func setPIN(user: String, pin text: String) throws(NodeError) -> PINView {
        let pin: StaffPIN
        do { pin = try StaffPIN(text, field: .newPin) } catch { throw NodeError.wrap(error) }
        let target = try staff(user)
        guard target.role.permissions.contains(.sell) else {
            throw NodeError(
                .forbidden, "user \(user) (\(target.role.rawValue)) is not store staff; PINs are for staff who sell",
                field: .user)
        }
        try node.write { tx in
            let r = tx.reader
            if let me = try node.actingUser(r), me.id != user {
                try node.check(.manageTill, r)
                guard target.role.permissions.isSubset(of: me.role.permissions) else {
                    throw NodeError(
                        .forbidden,
                        "user \(me.id) (\(me.role.rawValue)) may not set the PIN of \(user) (\(target.role.rawValue)); ask head office"
                    )
                }
                try node.audit(&tx, user: me.id, action: "user.set_pin", subject: user)
            } else {
                try node.audit(&tx, user: user, action: "user.set_pin", subject: user)
            }
        }
        let hash = Bcrypt.hash(pin.digits, cost: Self.bcryptCost)
        return try local {
            try store.setPIN(user: user, hash: hash)
            try store.endSessions(user: user, at: store.wallNow())
            return PINView(user: user, set_at: try store.pin(user: user)?.setAt ?? store.wallNow())
        }
    }

    /// Whether `user` has a PIN at this node.
    public func hasPIN(_ user: String) throws(NodeError) -> Bool {
        try local { try store.pin(user: user) != nil }
    }

    /// Checks `user`'s PIN, counting the attempt against the lockout (``PINLockout``): five
    /// wrong PINs in a row lock the user for 15 minutes at every till of this node.
    public func verify(user: String, pin text: String, field: Field = .pin) throws(NodeError) -> StaffMember {
        let pin: StaffPIN
        do { pin = try StaffPIN(text, field: field) } catch { throw NodeError.wrap(error) }
        let member = try staff(user)
        let attempt = try local {
            try store.reserveAttempt(
                on: .staffPINs,
                user: user, maxFailures: PINLockout.maxFailures, lockMillis: PINLockout.lockMillis)
        }
        switch attempt {
        case .noPIN:
            throw NodeError(
                .unauthorized, "user \(user) has no PIN here yet; set one with `fenxiao user set-pin`", field: field)
        case .locked(let until):
            throw NodeError(
                .unauthorized,
                "user \(user) is locked after \(PINLockout.maxFailures) wrong PINs until \(clockTime(until)); wait, or a store manager sets a new PIN",
                field: field)
        case .check(let hash, let failures):
            guard Bcrypt.verify(pin.digits, hash: hash) else {
                let left = PINLockout.maxFailures - failures
                throw NodeError(
                    .unauthorized,
                    left > 0
                        ? "wrong \(field) for user \(user); \(left) more wrong PIN\(left == 1 ? "" : "s") lock the user for 15 minutes"
                        : "wrong \(field) for user \(user); the user is now locked for 15 minutes", field: field)
            }
            try local { try store.attemptSucceeded(on: .staffPINs, user: user) }
            return member
        }
    }

    /// The CLI's rule for `--as`: once the acting user (or, without one, the node's operator) has
    /// a PIN here, the command needs it (`--pin`). Users without a PIN act as before.
    public func authenticate(pin: String?) throws(NodeError) {
        let user = try node.read { r in try node.actor ?? r.meta("operator") }
        guard let user, try hasPIN(user) else { return }
        guard let pin else {
            throw NodeError(
                .unauthorized, "user \(user) has a PIN at this node: give \(Field.pin) with \(Field.user)", field: .pin)
        }
        _ = try verify(user: user, pin: pin)
    }

    /// A staff user who may work at this node (known, enabled, of this store or head office).
    func staff(_ user: String) throws(NodeError) -> StaffMember {
        let found = try node.acting(as: user).read { r in try node.acting(as: user).actingUser(r) }
        guard let found else {
            throw NodeError(
                .notFound, "user \(user) is unknown here (this chain has no users yet); add users at head office",
                field: .user)
        }
        return StaffMember(id: found.id, role: found.role)
    }
}
