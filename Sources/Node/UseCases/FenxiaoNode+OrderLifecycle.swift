import Commerce
import Replication
import Storage

extension FenxiaoNode {
    /// Moves an order to `next` (paid, shipped, completed, cancelled) if the state machine allows
    /// it from the current status; pays, ships or releases stock as the step requires.
    public func transition(
        order id: String, to next: OrderStatus, pay: String? = nil, carrier: String? = nil, tracking: String? = nil
    ) throws(NodeError) -> OrderView {
        if next == .shipped, let carrier, carrier.isEmpty || carrier.utf8.count > 64 {
            throw NodeError(.invalidInput, "--carrier must be 1–64 characters")
        }
        var method: PaymentMethod?
        if next == .paid {
            guard let pay, let m = PaymentMethod(rawValue: pay) else {
                throw NodeError(.invalidInput, "paying an order needs --pay cash|card|wallet|qrpay")
            }
            method = m
        }
        return try write(.sell, "order.transition") { tx in
            let order = try Self.requireOrder(id, tx.reader)
            guard let current = OrderStatus(rawValue: order.status) else {
                throw NodeError(.conflict, "order \(id) has an unknown status \(order.status)")
            }
            do {
                try current.check(transitionTo: next, order: id)
            } catch {
                throw NodeError.wrap(error)
            }
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            if let method {
                try emitPayment(&tx, order: id, method: method, amount: order.total_cents, scope: scope, member: order.member)
            }
            if next == .shipped || next == .cancelled || (next == .completed && current == .paid) {
                try settleReservations(&tx, order: order, ship: next != .cancelled)
            }
            var fields: Fields = ["status": .string(next.rawValue)]
            if next == .shipped, let carrier {
                fields["carrier"] = .string(carrier)
                fields["tracking"] = tracking.map(JSONValue.string) ?? .null
            }
            try tx.emit(.order, entity: id, op: .transition, fields: fields, scope: scope)
            return try Self.requireOrder(id, tx.flushed())
        }
    }

    /// Ends an online order's reservations: shipping turns them into sales (facts), cancelling
    /// releases them.
    func settleReservations(_ tx: inout LocalTransaction, order: OrderView, ship: Bool) throws {
        let rows = try tx.reader.rows(
            """
            SELECT m.id, m.sku, m.warehouse, m.qty FROM stock_moves m
            WHERE m.ref = ? AND m.reason = 'allocate'
              AND NOT EXISTS (SELECT 1 FROM stock_moves x WHERE x.releases = m.id)
            ORDER BY m.id
            """, [order.id])
        for row in rows {
            let warehouse: String = row["warehouse"]
            let qty: Int64 = row["qty"]
            let owner = try tx.reader.warehouseOwner(warehouse) ?? identity.node
            try tx.emit(
                .stockMove, entity: tx.newID("MV"),
                fields: [
                    "sku": .string(row["sku"]), "warehouse": .string(warehouse),
                    "reason": .string(ship ? "sale" : "release"), "qty": .int(ship ? -qty : qty),
                    "releases": .string(row["id"]), "ref": .string(order.id),
                ], scope: .node(owner))
        }
    }

    /// Refunds part or all of an order (default: everything not yet refunded). Money goes back
    /// by the original payment method; with `restock` the goods return to the order's warehouse.
    public func refund(order id: String, amount: String?, reason: String?, restock: Bool) throws(NodeError)
        -> OrderView
    {
        var cents: Int64?
        if let amount {
            guard let m = Money(parsing: amount), m.cents > 0 else {
                throw NodeError(.invalidInput, "refund amount '\(amount)' must be a positive amount in yuan (e.g. 12.50)")
            }
            cents = m.cents
        }
        return try write { tx in
            try performRefund(&tx, order: id, cents: cents, reason: reason, restock: restock)
            return try Self.requireOrder(id, tx.flushed())
        }
    }

    /// The refund itself, inside a caller's transaction (a direct refund or an approved request).
    func performRefund(_ tx: inout LocalTransaction, order id: String, cents: Int64?, reason: String?, restock: Bool) throws {
        do {
            let order = try Self.requireOrder(id, tx.reader)
            if identity.role == .store && order.store != identity.node.rawValue {
                throw NodeError(
                    .forbidden, "order \(id) was sold at \(order.store ?? "?"); returns of other stores' orders go through head office")
            }
            let room = order.paid_cents - order.refunded_cents
            guard room > 0 else {
                throw NodeError(.conflict, "order \(id) is \(order.status) with nothing left to refund (paid \(Money(cents: order.paid_cents)))")
            }
            let value = cents ?? room
            if restock && (value != room || order.refunded_cents > 0) {
                throw NodeError(
                    .invalidInput, "--restock returns every line, so it needs a full refund of order \(id); refund the whole order or restock with `fenxiao stock receive`")
            }
            guard value <= room else {
                throw NodeError(
                    .conflict, "refund \(Money(cents: value)) exceeds the \(Money(cents: room)) still refundable on order \(id)")
            }
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            if let user = try check(.refund, amount: value, tx.reader) {
                try audit(&tx, user: user, action: "order.refund", subject: id)
            }
            let refundID = tx.newID("RF")
            try tx.emit(
                .refund, entity: refundID,
                fields: [
                    "order": .string(id), "amount_cents": .int(value), "method": order.pay_method.map(JSONValue.string) ?? .null,
                    "reason": reason.map(JSONValue.string) ?? .null,
                ], scope: scope)
            if restock && order.status == OrderStatus.paid.rawValue {
                // Not shipped yet: the goods never left, so the reservation is simply released.
                try settleReservations(&tx, order: order, ship: false)
            } else if restock, let warehouse = order.warehouse, order.status != OrderStatus.pending.rawValue {
                let owner = try tx.reader.warehouseOwner(warehouse) ?? identity.node
                for line in order.lines {
                    try tx.emit(
                        .stockMove, entity: "\(refundID)#\(line.line)",
                        fields: [
                            "sku": .string(line.sku), "warehouse": .string(warehouse), "reason": "return",
                            "qty": .int(line.qty), "ref": .string(id),
                        ], scope: .node(owner))
                }
            }
            if order.pay_method == PaymentMethod.stored.rawValue, let member = order.member {
                try tx.emit(
                    .memberLedger, entity: "WL-\(refundID)",
                    fields: ["member": .string(member), "account": "wallet", "delta": .int(value), "reason": "refund",
                             "ref": .string(id)],
                    scope: .global)
            }
            if let member = order.member, value >= 100 {
                try tx.emit(
                    .memberLedger, entity: "PTS-\(refundID)",
                    fields: [
                        "member": .string(member), "account": "points", "delta": .int(-(value / 100)),
                        "reason": "refund", "ref": .string(id),
                    ], scope: .global)
            }
        }
    }
}
