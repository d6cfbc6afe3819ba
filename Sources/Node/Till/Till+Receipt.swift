import Commerce
import Foundation
import Replication
import Storage

/// What a till prints for an order (the 80 mm receipt page renders it; the web face owns the
/// HTML). Amounts in fen.
public struct Receipt: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var sku: String
        public var name: String
        public var qty: Int64
        public var unit_cents: Int64
        public var discount_cents: Int64
        public var amount_cents: Int64
    }
    public struct Payment: Sendable, Equatable, Codable {
        /// `cash`, `card`, `wechat`, `alipay`, `wallet`, `qrpay`, `stored` or `points`.
        public var method: String
        public var amount_cents: Int64
        /// Cash handed over, and the change due (cash only).
        public var tendered_cents: Int64?
        public var change_cents: Int64?
    }
    /// The store's name (its warehouse's name, else the node's).
    public var store_name: String
    public var store: String
    public var order_id: String
    /// The last 6 characters of the order id, for finding it again at the counter.
    public var short_id: String
    public var created_at: Int64?
    public var till: String?
    public var shift: String?
    public var cashier: String?
    public var member: String?
    /// The member's phone, masked (`138****0001`).
    public var member_phone: String?
    public var lines: [Line]
    public var subtotal_cents: Int64
    /// The order's discounts in all (each line's share is on its line).
    public var discount_cents: Int64
    public var total_cents: Int64
    public var payments: [Payment]
    public var change_cents: Int64
    public var points_earned: Int64
    public var points_redeemed: Int64
    public var refunded_cents: Int64
}

extension Till {
    /// The receipt of an order sold here (or any order this node holds).
    public func receipt(_ id: String) throws(NodeError) -> Receipt {
        let order = try node.orders.find(id)
        return try node.read { r in
            let storeID = order.store ?? node.identity.node.rawValue
            let name = try r.register(WarehouseRegister.self, order.warehouse ?? storeID)?.name ?? storeID
            let shift = order.payments.compactMap(\.shift).first
            let till = try shift.flatMap { try r.register(ShiftRegister.self, $0)?.till }
            let cashier = try r.firstAuditUser(action: "order.create", subject: id)
            let earned = try r.pointsEarned(order: id)
            let phone = try order.member.flatMap { try r.register(MemberRegister.self, $0)?.phone }.map(Role.mask)
            let payments = order.payments.map { p in
                Receipt.Payment(
                    method: p.method, amount_cents: p.amount_cents, tendered_cents: p.tendered_cents,
                    change_cents: p.tendered_cents.map { $0 - p.amount_cents })
            }
            return Receipt(
                store_name: name, store: storeID, order_id: id, short_id: String(id.suffix(6)),
                created_at: order.created_at,
                till: till, shift: shift, cashier: cashier, member: order.member, member_phone: phone,
                lines: order.lines.map {
                    Receipt.Line(
                        sku: $0.sku, name: $0.name, qty: $0.qty, unit_cents: $0.unit_cents,
                        discount_cents: $0.discount_cents,
                        amount_cents: $0.amount_cents)
                },
                subtotal_cents: order.subtotal_cents, discount_cents: order.discount_cents,
                total_cents: order.total_cents,
                payments: payments, change_cents: payments.compactMap(\.change_cents).reduce(0, +),
                points_earned: earned,
                points_redeemed: order.payments.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount_cents },
                refunded_cents: order.refunded_cents)
        }
    }
}
