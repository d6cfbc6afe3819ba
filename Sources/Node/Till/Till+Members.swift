import Commerce
import Foundation
import Replication
import Storage

extension Till {
    /// The member holding `phone` (the counter's key). When two members claimed the same phone
    /// at two offline stores, the first claim wins, as everywhere (§10.5 of PROTOCOL.md).
    public func findMember(phone: String) throws(NodeError) -> MemberView {
        guard Members.validPhone(phone) else {
            throw NodeError(.invalidInput, "\(Field.phone) must be 5–20 digits (with + or -)")
        }
        let id = try node.read(.sell) { r in try r.memberHolding(phone: phone) }
        guard let id else {
            throw NodeError(
                .notFound,
                "no member has \(Field.phone) \(phone) here; register them with a \(Field.name) and this phone",
                field: .phone)
        }
        return try node.members.find(id)
    }

    /// Registers a member at the counter with an id the system assigns:
    /// `M-<store>-<ms since the epoch in base 36><4 random base-36 digits>` (e.g.
    /// `M-s1-MIOX3K2A7QZ4`). The store's name keeps two stores working offline from ever
    /// minting the same id; the random tail keeps two tills of one store apart within a
    /// millisecond. The phone is required: it is how the counter finds them again.
    public func registerMember(name: String, phone: String) throws(NodeError) -> MemberView {
        let id = Self.newMemberID(node: node.identity.node.rawValue, millis: store.wallNow())
        if try node.read({ r in try r.register(.member, id) }) != nil {
            throw NodeError(.conflict, "the id \(id) drawn for the new member is taken; try again")
        }
        return try node.members.upsert(id: id, name: name, phone: phone)
    }

    static func newMemberID(node: String, millis: Int64) -> String {
        let tail = String(UInt32.random(in: 0..<1_679_616), radix: 36, uppercase: true)
        return "M-\(node)-\(String(millis, radix: 36, uppercase: true))" + String(repeating: "0", count: 4 - tail.count)
            + tail
    }
}
