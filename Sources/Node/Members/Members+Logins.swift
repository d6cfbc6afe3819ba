import Commerce
import Foundation
import Replication
import Storage

extension Members {
    /// Records a member's login (app or counter), for dormancy and the member's profile.
    public func recordLogin(member: String) throws(NodeError) -> MemberView {
        try write(.manageMembers, "member.login", subject: member) { tx in
            _ = try Self.memberView(member, tx.reader)
            try tx.emit(MemberRegister(lastLoginAtMillis: tx.nowMillis), entity: member, scope: .global)
            return try Self.memberView(member, tx.flushed(), now: tx.nowMillis)
        }
    }
}
