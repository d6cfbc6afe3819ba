import Commerce
import GRDB
import Replication

/// A received batch's order lines and payments, written many to a statement before its
/// changes are applied (as ``LogRowsAhead`` does for their log rows).
///
/// Same rows as inserting each as its change is applied: only the first copy of a change new in
/// this batch (not below a compaction watermark, not a quarantined change) writes its row, in
/// the batch's order, with `INSERT OR IGNORE` (a key already held keeps its first row). Whether
/// a row went in matters only for an order minted in the same transaction (a local write), never
/// for a received batch; and nothing applying a change reads these tables before
/// ``ChangeApplier/finish()``. A change whose payload does not decode is skipped here: applying
/// it throws as before.
enum RecordRowsAhead {
    static let lineInsert = MultiRowInsert(
        "INSERT OR IGNORE INTO order_lines(order_id, line, scope, sku, name, qty, unit_cents, discount_cents) VALUES ",
        columns: 8, arenaBytes: 16 * 1024)
    static let paymentInsert = MultiRowInsert(
        """
        INSERT OR IGNORE INTO payments(id, scope, order_id, method, amount_cents, hlc, origin, seq, reference, shift, tendered_cents) VALUES
        """,
        columns: 11, arenaBytes: 16 * 1024)

    /// Writes the lines and payments of `batch`'s changes for which `isNew` holds.
    static func insert(
        _ batch: UnsafeBufferPointer<ChangeRecord>, db: Database, compacted: [NodeID: Int64],
        isNew: (ChangeRecord) -> Bool
    ) throws {
        var lines: [(change: ChangeRecord, line: OrderLineChange)] = []
        var payments: [(change: ChangeRecord, payment: PaymentChange)] = []
        var seen = Set<LogRowsAhead.Key>()
        for i in batch.indices {
            let c = batch[i]
            guard c.kind == .orderLine || c.kind == .payment, c.op != .void, isNew(c) else { continue }
            if let mark = compacted[c.origin], c.seq <= mark { continue }
            guard seen.insert(LogRowsAhead.Key(origin: c.origin, seq: c.seq)).inserted else { continue }
            if c.kind == .orderLine, let line = try? c.payload(OrderLineChange.self) {
                lines.append((c, line))
            } else if c.kind == .payment, let payment = try? c.payload(PaymentChange.self) {
                payments.append((c, payment))
            }
        }
        try lineInsert.run(count: lines.count, db: db) { $0.orderLineRow(lines[$1].change, lines[$1].line) }
        try paymentInsert.run(count: payments.count, db: db) {
            $0.paymentRow(payments[$1].change, payments[$1].payment)
        }
    }
}

extension SQLBinder {
    /// An order line's row: order_id, line, scope, sku, name, qty, unit_cents, discount_cents.
    mutating func orderLineRow(_ c: ChangeRecord, _ line: OrderLineChange) {
        callAsFunction(line.order)
        callAsFunction(line.line)
        callAsFunction(c.scope.description)
        callAsFunction(line.sku)
        callAsFunction(line.name)
        callAsFunction(line.qty)
        callAsFunction(line.unitPrice.cents)
        callAsFunction(line.discount.cents)
    }

    /// A payment's row: id, scope, order_id, method, amount_cents, hlc, origin, seq, reference,
    /// shift, tendered_cents.
    mutating func paymentRow(_ c: ChangeRecord, _ payment: PaymentChange) {
        callAsFunction(c.entity)
        callAsFunction(c.scope.description)
        callAsFunction(payment.order)
        callAsFunction(payment.method.rawValue)
        callAsFunction(payment.amount.cents)
        stamp(c.stamp)
        callAsFunction(payment.reference)
        callAsFunction(payment.shift)
        callAsFunction(payment.tendered?.cents)
    }
}
