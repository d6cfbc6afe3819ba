import Commerce
import Replication
import Storage

/// What an exchange did: the returned lines refunded (by the original payments' methods) and
/// the new sale, written in one transaction.
public struct ExchangeView: Sendable, Equatable, Codable {
    public var returned: OrderView
    public var sold: OrderView
    /// What the exchange refunded on the original order.
    public var refunded_cents: Int64
    /// New sale − refund: positive, the customer paid the difference; negative, they got it back.
    public var difference_cents: Int64
}

extension Till {
    /// An exchange at the counter: some units of some lines of `order` come back (restocked by
    /// default) and refunded at what was paid for them, and `sale` is sold, in one
    /// transaction — both happen or neither. The refund obeys the acting user's refund limit
    /// (a manager's approval, ``FenxiaoNode/approved(by:)``, lifts it as for a refund).
    public func exchange(
        order: String, returning lines: [RefundLine], restock: Bool = true, reason: String? = nil,
        sale: OrderRequest
    ) throws(NodeError) -> ExchangeView {
        let returned = try Orders.returnedUnits(lines)
        guard !returned.isEmpty else {
            throw NodeError(.invalidInput, "an exchange returns at least one \(Field.line) LINE:QTY")
        }
        guard sale.channel == .pos else {
            throw NodeError(.invalidInput, "an exchange is a counter sale (\(Field.channel) pos)")
        }
        let (saleLines, method) = try Orders.parse(sale)
        let before = try node.orders.find(order).refunded_cents
        let (newID, refunded) = try node.write(.sell, "order.exchange", subject: order) { tx in
            if let shift = sale.shift { try requireOpenShift(shift, tx.reader) }
            try node.orders.refundLines(
                &tx, order: order, lines: returned, reason: reason ?? "exchange", restock: restock, toWarehouse: nil,
                shift: sale.shift)
            let refunded = try Orders.requireOrder(order, tx.flushed()).refunded_cents - before
            let id = try node.orders.sell(&tx, sale, lines: saleLines, method: method)
            if let user = try node.actingUser(tx.reader)?.id {
                try node.audit(&tx, user: user, action: "order.create", subject: id)
            }
            return (id, refunded)
        }
        let sold = try node.orders.find(newID)
        return ExchangeView(
            returned: try node.orders.find(order), sold: sold, refunded_cents: refunded,
            difference_cents: sold.total_cents - refunded)
    }
}
