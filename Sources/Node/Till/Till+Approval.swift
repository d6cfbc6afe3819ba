import Commerce
import Replication
import Storage

/// A manager's PIN, checked for one action (a refund above the cashier's limit). Only
/// ``Till/approval(manager:pin:)`` makes one.
public struct ManagerApproval: Sendable, Equatable {
    public let manager: String
    public let role: Role
}

extension Till {
    /// Checks a manager's PIN for one action at the counter. The PIN counts against the
    /// manager's lockout like a login.
    public func approval(manager: String, pin: String) throws(NodeError) -> ManagerApproval {
        let member = try verify(user: manager, pin: pin, field: .managerPin)
        return ManagerApproval(manager: member.id, role: member.role)
    }
}
