import Commerce
import Replication

/// The receipt of an order minted in this transaction, kept from what the applier wrote for it
/// (``MintedOrders``: no other row can name it), so that the sale does not read back the row,
/// lines and payments it has just written. Only plain minted orders — no refund or cancel in
/// the transaction — get one; any other order is read from its tables. Debug builds check it
/// equals the read (`Orders.create`).
final class MintedOrderViews {
    /// Each order's head as `recomputeOrder` derived it (lines and payments empty).
    private var heads: [String: OrderView] = [:]
    private var lines: [String: [OrderView.Line]] = [:]
    private var payments: [String: [OrderView.Payment]] = [:]

    /// A line row was inserted for minted `order`.
    func add(_ line: OrderView.Line, to order: String) { lines[order, default: []].append(line) }

    /// A payment row was inserted for minted `order` (in stamp order: each local emit ticks the clock).
    func add(_ payment: OrderView.Payment, to order: String) { payments[order, default: []].append(payment) }

    /// The order's head as last derived, or nil (not plain: read it from its tables).
    func derived(_ head: OrderView?, of order: String) { heads[order] = head }

    /// The view `StoreReader.order(_:)` would read for `order`, if it was derived here.
    func view(_ order: String) -> OrderView? {
        guard var view = heads[order] else { return nil }
        view.lines = (lines[order] ?? []).sorted { $0.line < $1.line }
        view.payments = payments[order] ?? []
        return view
    }
}
