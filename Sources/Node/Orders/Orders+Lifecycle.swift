import Commerce
import Replication
import Storage

extension Orders {
    /// Moves an order to `next` (paid, shipped, completed, cancelled) if the state machine allows
    /// it from the current status; pays, ships or releases stock as the step requires.
    public func transition(
        order id: String, to next: OrderStatus, pay: PaymentMethod? = nil, carrier: String? = nil,
        tracking: String? = nil,
        payReference: String? = nil
    ) throws(NodeError) -> OrderView {
        try Self.validatePaymentReference(payReference)
        if next == .shipped, let carrier, carrier.isEmpty || carrier.utf8.count > 64 {
            throw NodeError(.invalidInput, "\(Field.carrier) must be 1–64 characters")
        }
        var method: PaymentMethod?
        if next == .paid {
            guard let m = pay else {
                throw NodeError(.invalidInput, "paying an order needs \(Field.payment) cash|card|wallet|qrpay")
            }
            method = m
        }
        return try write(.sell, "order.transition") { tx in
            try transitionStep(
                &tx, order: id, to: next, method: method, carrier: carrier, tracking: tracking,
                payReference: payReference)
            return try Self.requireOrder(id, tx.flushed())
        }
    }

    /// The transition inside a caller's transaction (a payment notification records its
    /// payment in the same transaction as the order turns paid); `method` pays what is still
    /// due (the total less what points already paid).
    func transitionStep(
        _ tx: inout LocalTransaction, order id: String, to next: OrderStatus, method: PaymentMethod?,
        carrier: String? = nil, tracking: String? = nil, payReference: String? = nil
    ) throws {
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
            // What points already paid (an online order from the mall) is not charged again.
            try emitPayment(
                &tx, order: id, method: method, amount: order.total_cents - min(order.paid_cents, order.total_cents),
                scope: scope, member: order.member, reference: payReference)
        }
        if next == .cancelled, let member = order.member {
            try returnRedeemedPoints(&tx, order: id, member: member)
        }
        if next == .paid || next == .cancelled { try markClaims(&tx, order: id, paid: next == .paid) }
        if next == .shipped || next == .cancelled || (next == .completed && current == .paid) {
            // A cancel's release is marked as the cancel's effect: it counts only while the
            // cancel stands (a payment recorded elsewhere beats it, and the release with it).
            try settleReservations(&tx, order: order, ship: next != .cancelled, cancel: next == .cancelled)
        }
        let step =
            next == .shipped && carrier != nil
            ? OrderTransition(status: next, carrier: carrier, tracking: tracking) : OrderTransition(status: next)
        try tx.emit(step, entity: id, op: .transition, scope: scope)
    }

    /// Writes the global marker that decides whether the claims `order` holds (its coupon use, a
    /// holder's use) are given back: `cancel:<order>` when it is cancelled or expired,
    /// `paid:<order>` when it is paid (a payment beats a cancel, here as in the order's status).
    /// Orders without claims write nothing.
    func markClaims(_ tx: inout LocalTransaction, order: String, paid: Bool) throws {
        guard try tx.reader.holdsClaims(claimant: "order:\(order)") else { return }
        try tx.emit(
            CouponUseChange(key: "\(paid ? "paid" : "cancel"):\(order)", order: order),
            entity: tx.newID(paid ? "CP" : "CX"),
            scope: .global)
    }

    /// Gives back the points an unpaid online order redeemed at checkout when it is cancelled
    /// (expired or cancelled by the member): once per order (`PTX-<order>`).
    func returnRedeemedPoints(_ tx: inout LocalTransaction, order: String, member: String) throws {
        let redeemed = try tx.reader.payments(order: order).filter { $0.method == Tender.points.rawValue }
            .reduce(Int64(0)) { $0 + $1.amount }
        guard redeemed > 0 else { return }
        try tx.emit(
            MemberLedgerChange(member: member, account: .points, delta: redeemed, reason: "cancel", ref: order),
            entity: "PTX-\(order)", scope: .global)
    }

    /// Ends an online order's reservations: shipping turns them into sales (facts), cancelling
    /// releases them.
    func settleReservations(_ tx: inout LocalTransaction, order: OrderView, ship: Bool, cancel: Bool = false) throws {
        for reservation in try tx.reader.openReservations(order: order.id) {
            let owner = try tx.reader.warehouseOwner(reservation.warehouse) ?? identity.node
            try tx.emit(
                StockMoveChange(
                    sku: reservation.sku, warehouse: reservation.warehouse, reason: ship ? .sale : .release,
                    qty: ship ? -reservation.qty : reservation.qty, releases: reservation.id, ref: order.id,
                    cancelOf: cancel ? order.id : nil),
                entity: tx.newID("MV"), scope: .node(owner))
        }
    }

    /// Refunds part or all of an order (default: everything not yet refunded): `amount`, or the
    /// units of `lines` at what was paid for them. Money goes back by the original payment
    /// method; with `restock` the goods return to the order's warehouse (or `toWarehouse`).
    public func refund(
        order id: String, amount: Money?, reason: String?, restock: Bool, lines: [RefundLine] = [],
        toWarehouse: String? = nil,
        shift: String? = nil
    ) throws(NodeError) -> OrderView {
        let returned = try Self.returnedUnits(lines)
        if !returned.isEmpty && amount != nil {
            throw NodeError(
                .invalidInput, "give either \(Field.amount) or \(Field.line) (the amount of returned lines is computed)"
            )
        }
        let cents = try Self.refundCents(amount)
        return try write { tx in
            if let shift { try node.till.requireOpenShift(shift, tx.reader) }
            if returned.isEmpty {
                try performRefund(
                    &tx, order: id, cents: cents, reason: reason, restock: restock, toWarehouse: toWarehouse,
                    shift: shift)
            } else {
                try refundLines(
                    &tx, order: id, lines: returned, reason: reason, restock: restock, toWarehouse: toWarehouse,
                    shift: shift)
            }
            return try Self.requireOrder(id, tx.flushed())
        }
    }

    /// The units coming back, each line and quantity at least 1.
    static func returnedUnits(_ lines: [RefundLine]) throws(NodeError) -> [(line: Int, qty: Int64)] {
        if let bad = lines.first(where: { !$0.isValid }) {
            throw NodeError(
                .invalidInput, "\(Field.line) \(bad.line):\(bad.quantity) must have LINE and QTY of at least 1")
        }
        return lines.map { (line: $0.line, qty: $0.quantity) }
    }

    /// A refund's amount in fen (nil: all that is left), refused unless positive.
    static func refundCents(_ amount: Money?) throws(NodeError) -> Int64? {
        guard let amount else { return nil }
        guard amount.cents > 0 else {
            throw NodeError(.invalidInput, "refund \(Field.amount) \(amount.yuan) must be a positive amount in yuan")
        }
        return amount.cents
    }

    /// Ships some units of some lines of a paid online order: those units leave the warehouse
    /// (a sale), the rest stays reserved. When nothing is left reserved the order becomes
    /// `shipped` (with the carrier and tracking number of the last parcel).
    public func shipLines(order id: String, lines: [ShipmentLine], carrier: String?, tracking: String?)
        throws(NodeError) -> OrderView
    {
        if let bad = lines.first(where: { !$0.isValid }) {
            throw NodeError(
                .invalidInput, "\(Field.line) \(bad.line):\(bad.quantity) must have LINE and QTY of at least 1")
        }
        let parcel = lines.map { (line: $0.line, qty: $0.quantity) }
        guard !parcel.isEmpty else {
            throw NodeError(.invalidInput, "give the shipped units as \(Field.line) LINE:QTY")
        }
        return try write(.sell, "order.ship_lines", subject: id) { tx in
            let order = try Self.requireOrder(id, tx.reader)
            guard order.status == OrderStatus.paid.rawValue else {
                throw NodeError(.conflict, "order \(id) is \(order.status); only a paid order ships")
            }
            for (n, qty) in parcel {
                guard let line = order.lines.first(where: { $0.line == n }) else {
                    throw NodeError(.invalidInput, "order \(id) has no line \(n)")
                }
                let open = try tx.reader.openReservations(order: id, sku: line.sku)
                guard let reservation = open.first, reservation.qty >= qty else {
                    throw NodeError(.conflict, "line \(n) of order \(id) has fewer than \(qty) units left to ship")
                }
                let warehouse = reservation.warehouse
                let reserved = reservation.qty
                let scope = Scope.node(try tx.reader.warehouseOwner(warehouse) ?? identity.node)
                try tx.emit(
                    StockMoveChange(
                        sku: line.sku, warehouse: warehouse, reason: .sale, qty: -qty, releases: reservation.id, ref: id
                    ),
                    entity: tx.newID("MV"), scope: scope)
                if reserved > qty {
                    try tx.emit(
                        StockMoveChange(
                            sku: line.sku, warehouse: warehouse, reason: .allocate, qty: reserved - qty, ref: id),
                        entity: tx.newID("MV"), scope: scope)
                }
            }
            let remaining = try tx.flushed().openReservationCount(order: id)
            if remaining == 0 {
                let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
                try tx.emit(
                    OrderTransition(status: .shipped, carrier: carrier, tracking: tracking), entity: id,
                    op: .transition,
                    scope: scope)
            }
            return try Self.requireOrder(id, tx.flushed())
        }
    }
}
