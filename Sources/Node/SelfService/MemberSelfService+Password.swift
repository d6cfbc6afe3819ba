import Commerce
import HummingbirdBcrypt
import Storage

extension MemberSelfService {
    /// Sets (or changes) the member's mall password: 8 characters or more, at most 72 bytes.
    /// Kept at central only, as a bcrypt hash; a code sign-in still works.
    public func setPassword(_ password: String) throws(NodeError) {
        try node.requireCentral("a mall password")
        try ConsoleAccess.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: Members.mallBcryptCost)
        let member = self.member
        try node.write { tx in try tx.setMemberPassword(member: member, hash: hash) }
    }

    /// Whether the member has set a mall password.
    public func hasPassword() throws(NodeError) -> Bool {
        let member = self.member
        return try node.read { r in try r.hasMemberPassword(member: member) }
    }
}
