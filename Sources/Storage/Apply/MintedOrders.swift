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
    /// The receipt of each minted order (`Orders.create` returns it instead of reading the rows
    /// back): its head as `recomputeOrder` last derived it, its lines and payments as inserted.
    private var heads: [String: OrderView] = [:]
    private var lines: [String: [OrderView.Line]] = [:]
    private var receiptPayments: [String: [OrderView.Payment]] = [:]

    /// A payment row for `order` was inserted (`receipt`: as the order's receipt shows it).
    mutating func paid(_ order: String, _ amount: Int64, _ c: ChangeRecord, receipt: () -> OrderView.Payment) {
        guard ids.contains(order) else { return }
        payments[order, default: []].append(OrderStateMachine.Payment(id: c.entity, amount: amount, stamp: c.stamp))
        // In stamp order, as the receipt lists them: each local emit ticks the clock.
        receiptPayments[order, default: []].append(receipt())
    }

    /// A line row was inserted for `order`.
    mutating func lined(_ order: String, _ line: () -> OrderView.Line) {
        guard ids.contains(order) else { return }
        lines[order, default: []].append(line())
    }

    /// `order`'s head as `recomputeOrder` derived it (lines and payments empty).
    mutating func derived(_ head: OrderView, of order: String) {
        guard ids.contains(order) else { return }
        heads[order] = head
    }

    /// What `StoreReader.order(_:)` would read for a plain minted order, once derived; nil for
    /// any other order (read it from its tables). Debug builds check it equals the read.
    func receipt(_ order: String) -> OrderView? {
        guard isPlain(order), var view = heads[order] else { return nil }
        view.lines = (lines[order] ?? []).sorted { $0.line < $1.line }
        view.payments = receiptPayments[order] ?? []
        return view
    }

    /// A refund or a cancel's movement names `order`.
    mutating func named(_ order: String) { named.insert(order) }

    /// Whether `order` was minted here and nothing but its sale and payments names it.
    func isPlain(_ order: String) -> Bool { ids.contains(order) && !named.contains(order) }
}
