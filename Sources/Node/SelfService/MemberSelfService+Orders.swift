import Commerce
import Foundation
import Replication
import Storage

/// The tabs of a member's order list.
public enum MallOrderTab: String, Sendable, CaseIterable {
    /// 待付款 / 待发货 / 待收货 / 已完成: the order's status.
    case pending, paid, shipped, completed
    /// 退款: orders with a refund, or a refund request.
    case refund
}

extension MemberSelfService {
    /// The member's own orders, newest first, or those of one tab.
    public func myOrders(_ tab: MallOrderTab? = nil, limit: Int = 50) throws(NodeError) -> [OrderView] {
        let status: OrderStatus? = tab.flatMap { $0 == .refund ? nil : OrderStatus(rawValue: $0.rawValue) }
        let orders = try node.orders.list(
            matching: StoreReader.OrderFilter(status: status, member: member), limit: tab == .refund ? 500 : limit)
        guard tab == .refund else { return orders }
        let requested = Set(try node.orders.refundRequests().map(\.order))
        return Array(orders.filter { $0.refunded_cents > 0 || requested.contains($0.id) }.prefix(limit))
    }

    /// One of the member's orders (someone else's is not found).
    public func order(_ id: String) throws(NodeError) -> OrderView {
        let order = try node.orders.find(id)
        try requireOwn(order.member, "order \(id)")
        return order
    }

    /// The mall payments of one of the member's orders, oldest first.
    public func orderPayments(_ id: String) throws(NodeError) -> [MallPaymentRow] {
        _ = try order(id)
        return try node.payments.payments(order: id)
    }

    /// The refund requests of one of the member's orders.
    public func refundRequests(order id: String) throws(NodeError) -> [RefundRequestView] {
        _ = try order(id)
        return try node.orders.refundRequests().filter { $0.order == id }
    }

    /// One of the member's mall payments.
    public func payment(_ id: String) throws(NodeError) -> MallPaymentRow {
        let row = try node.payments.payment(id)
        try requireOwn(row.member, "\(Field.payment) \(id)")
        return row
    }

    /// Starts paying one of the member's pending orders with `provider` as `method`.
    public func startPayment(order id: String, provider: any PaymentProvider, method: PaymentMethod)
        throws(NodeError) -> MallPaymentRow
    {
        _ = try order(id)
        return try node.payments.start(order: id, member: member, provider: provider, method: method)
    }

    /// Pays one of the member's pending orders from their stored value, at once.
    public func payStored(order id: String) throws(NodeError) -> MallPaymentRow {
        _ = try order(id)
        return try node.payments.payStored(order: id, member: member)
    }

    /// The sandbox's cashier page "pays" or "fails" one of the member's payments: it signs the
    /// notification the sandbox gateway would send and hands it to the same notify use case.
    public func sandboxResult(payment id: String, result: PaymentResult, provider: SandboxPaymentProvider)
        throws(NodeError) -> PaymentNotifyOutcome
    {
        let row = try payment(id)
        let (notification, signature) = provider.notification(for: row, result: result)
        return try node.payments.notify(notification, signature: signature, provider: provider)
    }

    /// Cancels one of the member's unpaid orders: its stock is released and its coupon comes
    /// back as for any cancelled order.
    public func cancelOrder(_ id: String) throws(NodeError) -> OrderView {
        let order = try order(id)
        guard order.status == OrderStatus.pending.rawValue else {
            throw NodeError(.conflict, "order \(id) is \(order.status); only an unpaid order is cancelled")
        }
        return try node.orders.transition(order: id, to: .cancelled)
    }

    /// Confirms receipt of one of the member's shipped orders (it becomes completed).
    public func confirmReceipt(_ id: String) throws(NodeError) -> OrderView {
        let order = try order(id)
        guard order.status == OrderStatus.shipped.rawValue else {
            throw NodeError(.conflict, "order \(id) is \(order.status); only a shipped order is received")
        }
        return try node.orders.transition(order: id, to: .completed)
    }

    /// Asks head office to refund (and take back) one of the member's paid orders, with a
    /// reason; the request waits in the console's refunds queue. One open request at a time.
    public func requestRefund(order id: String, reason: String) throws(NodeError) -> RefundRequestView {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else {
            throw NodeError(.invalidInput, "\(Field.reason) must be 1–200 characters")
        }
        let order = try order(id)
        guard order.status != OrderStatus.pending.rawValue, order.status != OrderStatus.cancelled.rawValue else {
            throw NodeError(.conflict, "order \(id) is \(order.status); only a paid order is refunded")
        }
        if try refundRequests(order: id).contains(where: { $0.status == "requested" }) {
            throw NodeError(.conflict, "order \(id) already has a refund request waiting for head office")
        }
        // The whole order with its goods: an unshipped order's reservation is released, shipped
        // goods come back into the order's warehouse when head office approves.
        return try node.orders.requestRefund(order: id, amount: nil, reason: reason, restock: true)
    }
}
