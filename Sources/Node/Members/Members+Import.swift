import Commerce
import Replication
import Storage

extension Members {
    /// Registers many members in one transaction (imports, benchmark set-up).
    public func bulkImport(_ members: [(id: String, name: String)]) throws(NodeError) {
        for m in members where SKUCode(m.id) == nil {
            throw NodeError(.invalidInput, "member id '\(m.id)' must be letters, digits, '-' or '_'")
        }
        try write(.manageMembers, "member.import") { tx in
            for m in members {
                var profile = MemberRegister(name: m.name)
                if try tx.reader.register(.member, m.id) == nil {  // new: registered here, as `members.upsert` does
                    profile.home = identity.node.rawValue
                    profile.registeredAtMillis = tx.nowMillis
                }
                try tx.emit(profile, entity: m.id, scope: .global)
            }
        }
    }
}
