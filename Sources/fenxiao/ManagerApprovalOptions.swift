import Node
import Replication

extension FenxiaoNode {
    /// This node acting with a store manager's approval when `--manager` is given (their PIN
    /// checked once, for this one command), else the node itself: the CLI's side of the till's
    /// manager approval (refunds, exchanges, closing a shift with a cash difference).
    func approved(manager: String?, pin: String?) throws(NodeError) -> FenxiaoNode {
        guard let manager else { return self }
        guard let pin else {
            throw NodeError(.invalidInput, "\(Field.manager) approves with their PIN: give \(Field.managerPin) too")
        }
        return approved(by: try till.approval(manager: manager, pin: pin))
    }
}
