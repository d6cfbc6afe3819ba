import Commerce
import Replication

/// What a local transaction knows about the ids it minted (``LocalTransaction/newID(_:)``):
/// an id made of this node's strictly increasing clock and a random tail is named by no row
/// outside the transaction, so an order minted here has exactly the payments the transaction
/// inserted, no refunds, and no cancel's movements — unless the transaction itself wrote one,
/// which sends the order down the ordinary path (read back from its tables). A sale then
/// derives its new order without six look-ups that could only find nothing.
struct MintedOrders {
    var ids = Set<String>()
    /// Payments this applier inserted, per minted order.
    private(set) var payments: [String: [OrderStateMachine.Payment]] = [:]
    /// Orders a refund or a cancel's movement inserted here names (derived the ordinary way).
    private var named = Set<String>()

    /// A payment row for `order` was inserted.
    mutating func paid(_ order: String, _ amount: Int64, _ c: ChangeRecord) {
        guard ids.contains(order) else { return }
        payments[order, default: []].append(OrderStateMachine.Payment(id: c.entity, amount: amount, stamp: c.stamp))
    }

    /// A refund or a cancel's movement names `order`.
    mutating func named(_ order: String) { named.insert(order) }

    /// Whether `order` was minted here and nothing but its sale and payments names it.
    func isPlain(_ order: String) -> Bool { ids.contains(order) && !named.contains(order) }
}
