import Commerce
import Replication
import Storage

extension Orders {
    /// Refunds some units of some lines. Per line, the units refunded so far are worth the
    /// line's paid amount (its net after every discount) × units ÷ sold units, rounded half-up,
    /// and the last unit takes the remainder: refunding a line unit by unit gives back exactly
    /// what was paid for it, and never more units than were sold. With `restock` the units
    /// return to the chosen warehouse (default: the order's).
    func refundLines(
        _ tx: inout LocalTransaction, order id: String, lines: [(line: Int, qty: Int64)], reason: String?,
        restock: Bool,
        toWarehouse: String?, shift: String? = nil
    ) throws {
        let order = try Self.requireOrder(id, tx.reader)
        var refundedQty: [Int: Int64] = [:]
        var refundedMoney: [Int: Int64] = [:]
        for line in order.lines {
            refundedQty[line.line] = line.refunded_qty
            refundedMoney[line.line] = line.refunded_cents
        }
        var entries: [RefundChange.Line] = []
        var total: Int64 = 0
        for (n, qty) in lines {
            guard let line = order.lines.first(where: { $0.line == n }) else {
                throw NodeError(.invalidInput, "order \(id) has no line \(n); see `fenxiao order show \(id)`")
            }
            let sold = LineRefunds.SoldLine(line: n, qty: line.qty, paid: line.amount_cents)
            let amount: Int64
            do {
                amount = try LineRefunds.amount(
                    for: qty, of: sold, refundedQty: refundedQty[n, default: 0],
                    refundedAmount: refundedMoney[n, default: 0], order: id)
            } catch {
                throw NodeError.wrap(error)
            }
            refundedQty[n, default: 0] += qty
            refundedMoney[n, default: 0] += amount
            total += amount
            entries.append(RefundChange.Line(line: Int64(n), qty: qty, amount: Money(cents: amount)))
        }
        guard total > 0 else {
            throw NodeError(
                .invalidInput, "those units cost nothing; nothing to refund (restock them with `fenxiao stock receive`)"
            )
        }
        try performRefund(
            &tx, order: id, cents: total, reason: reason, restock: false, toWarehouse: nil, lines: entries, shift: shift
        )
        guard restock else { return }
        let (warehouse, scope) = try node.inventory.resolveWarehouse(toWarehouse ?? order.warehouse, tx.reader)
        for (n, qty) in lines {
            guard let line = order.lines.first(where: { $0.line == n }) else { continue }
            try tx.emit(
                StockMoveChange(sku: line.sku, warehouse: warehouse, reason: .return, qty: qty, ref: id),
                entity: tx.newID("MV"),
                scope: scope)
        }
    }

    /// The refund itself, inside a caller's transaction (a direct refund or an approved request).
    ///
    /// The refund goes back **by the method of each payment** (``RefundSplit``): the points
    /// share pro-rated cumulatively, the money to the payments in the order they were recorded;
    /// stored value is credited back to the member. Points earned on the money part are clawed
    /// back cumulatively too, so any sequence of refunds that together refund everything
    /// returns exactly the points used and claws back exactly the points earned.
    func performRefund(
        _ tx: inout LocalTransaction, order id: String, cents: Int64?, reason: String?, restock: Bool,
        toWarehouse: String? = nil, lines: [RefundChange.Line] = [], shift: String? = nil
    ) throws {
        let order = try Self.requireOrder(id, tx.reader)
        if identity.role == .store && order.store != identity.node.rawValue {
            throw NodeError(
                .forbidden,
                "order \(id) was sold at \(order.store ?? "?"); returns of other stores' orders go through head office")
        }
        let room = order.paid_cents - order.refunded_cents
        guard room > 0 else {
            throw NodeError(
                .conflict,
                "order \(id) is \(order.status) with nothing left to refund (paid \(Money(cents: order.paid_cents)))")
        }
        let value = cents ?? room
        if restock && (value != room || order.refunded_cents > 0) {
            throw NodeError(
                .invalidInput,
                "\(Field.restock) returns every line, so it needs a full refund of order \(id); refund the whole order or receive the goods back into stock"
            )
        }
        guard value <= room else {
            throw NodeError(
                .conflict,
                "refund \(Money(cents: value)) exceeds the \(Money(cents: room)) still refundable on order \(id)")
        }
        let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
        try node.checkRefund(&tx, amount: value, order: id)
        let history = try RefundHistory(order: order, tx.reader)
        let parts = RefundSplit.split(
            value: value, payments: history.payments, refundedBefore: order.refunded_cents,
            pointsBefore: history.pointsReturned)
        let refundID = tx.newID("RF")
        let methods = Set(parts.map(\.method))
        let method: String? =
            methods.count == 1 ? parts[0].method : methods.isEmpty ? order.pay_method : RefundChange.mixed
        let refund = RefundChange(
            order: id, amount: Money(cents: value), method: method, reason: reason, lines: lines.isEmpty ? nil : lines,
            parts: parts.map {
                RefundChange.Part(method: $0.method, payment: $0.payment, amount: Money(cents: $0.amount))
            },
            shift: shift)
        try tx.emit(refund, entity: refundID, scope: scope)
        if restock && order.status == OrderStatus.paid.rawValue {
            // Not shipped yet: the goods never left, so the reservation is simply released.
            try settleReservations(&tx, order: order, ship: false)
        } else if restock, let warehouse = toWarehouse ?? order.warehouse, order.status != OrderStatus.pending.rawValue
        {
            let owner = try node.inventory.resolveWarehouse(warehouse, tx.reader).1.ownerNode ?? identity.node
            for line in order.lines {
                try tx.emit(
                    StockMoveChange(sku: line.sku, warehouse: warehouse, reason: .return, qty: line.qty, ref: id),
                    entity: "\(refundID)#\(line.line)", scope: .node(owner))
            }
        }
        guard let member = order.member else { return }
        let stored = parts.filter { $0.method == PaymentMethod.stored.rawValue }
        for (i, part) in stored.enumerated() {
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .wallet, delta: part.amount, reason: "refund",
                    ref: id),
                entity: i == 0 ? "WL-\(refundID)" : "WL-\(refundID)-\(i + 1)", scope: .global)
        }
        let pointsBack = parts.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount }
        if pointsBack > 0 {
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .points, delta: pointsBack, reason: "refund",
                    ref: id),
                entity: "PTB-\(refundID)", scope: .global)
        }
        // Points earned on the money part are clawed back in proportion to the money refunded
        // so far (all of them once all the money is back).
        let moneyAfter = order.refunded_cents + value - history.pointsReturned - pointsBack
        let clawDue = ProRata.due(history.pointsEarned, done: moneyAfter, of: history.moneyPaid)
        if clawDue - history.pointsClawed > 0 {
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .points, delta: -(clawDue - history.pointsClawed), reason: "refund",
                    ref: id),
                entity: "PTS-\(refundID)", scope: .global)
        }
    }
}

/// What an order's payments and earlier refunds did with points and money, read before a refund.
struct RefundHistory {
    /// The order's payments in the stated order (as recorded: by stamp, then id).
    var payments: [RefundSplit.Payment]
    /// Points given back by earlier refunds.
    var pointsReturned: Int64
    /// Points the order earned (at the counter), and how many earlier refunds clawed back.
    var pointsEarned: Int64
    var pointsClawed: Int64

    /// Money paid, not counting points.
    var moneyPaid: Int64 { payments.filter { $0.method != "points" }.reduce(0) { $0 + $1.amount } }

    init(order: OrderView, _ r: StoreReader) throws {
        payments = try r.payments(order: order.id)
        let points = try r.pointsTotals(order: order.id, member: order.member)
        pointsReturned = points.returned
        pointsEarned = points.earned
        pointsClawed = points.clawed
    }
}
