import Commerce
import Replication
import Storage

/// A member acting for themself in the mall: the same use cases as the staff's faces, with the
/// member fixed to the signed-in one and every target checked to be theirs (their orders, their
/// points, their commission). The mall gets one from a live session (``FenxiaoNode/selfService(member:)``);
/// its changes are audited as `member:<id>`.
///
/// The node it holds lets through only ``permissions`` and only on this path: no staff role is
/// involved, so nothing a member does here needs a user at central.
public struct MemberSelfService: Sendable {
    /// The signed-in member.
    public let member: String
    /// The node acting for `member` (module-internal: callers go through this value's methods).
    let node: FenxiaoNode

    /// What a member may do for themself: buy and follow their orders (`sell`), and their own
    /// points, check-ins, coupons, distributor application and withdrawals (`manage_members`).
    static let permissions: Set<Permission> = [.sell, .manageMembers]

    /// The audit log's name for a member acting in the mall.
    static func auditUser(_ member: String) -> String { "member:\(member)" }

    init(member: String, node: FenxiaoNode) {
        self.member = member
        self.node = FenxiaoNode(store: node.store, actor: nil, approver: nil, selfMember: member)
    }

    /// Refuses unless `owner` is this member: a member may not act on someone else's order,
    /// refund request or withdrawal (answered as not found, so ids of others are not probed).
    func requireOwn(_ owner: String?, _ what: String) throws(NodeError) {
        guard owner == member else { throw NodeError(.notFound, "\(what) is not one of yours") }
    }
}
