import Commerce
import Replication
import Storage

// A manager's approval of one action, checked with the permissions: the root's plumbing, so
// every feature's refund path (a refund, a refund request, an exchange) uses it.
extension FenxiaoNode {
    /// The same node and actor, with a manager's approval for the next action.
    public func approved(by approval: ManagerApproval) -> FenxiaoNode {
        FenxiaoNode(store: store, actor: actor, approver: approval.manager)
    }

    /// The refund permission of the acting user; above their limit, a manager's approval
    /// (``approver``) lets the refund go up to the manager's limit. Audited: `order.refund` by the
    /// actor, and `order.refund.approve` by the manager when the approval was needed.
    func checkRefund(_ tx: inout LocalTransaction, amount: Int64, order: String) throws {
        guard let (user, role) = try actingUser(tx.reader) else { return }
        do {
            try role.check(.refund, user: user, amountCents: amount)
            try audit(&tx, user: user, action: "order.refund", subject: order)
            return
        } catch let refusal {
            guard role.permissions.contains(.refund), let approver else { throw NodeError.wrap(refusal) }
            guard let (manager, managerRole) = try acting(as: approver).actingUser(tx.reader) else {
                throw NodeError.wrap(refusal)
            }
            do {
                try managerRole.check(.refund, user: manager, amountCents: amount)
            } catch {
                throw NodeError.wrap(error)
            }
            try audit(&tx, user: user, action: "order.refund", subject: order)
            try audit(&tx, user: manager, action: "order.refund.approve", subject: order)
        }
    }
}
