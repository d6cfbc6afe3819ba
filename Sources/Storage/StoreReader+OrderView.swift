import Commerce
import Replication

/// The parts of ``OrderView`` below its `orders` row (lines, payments, refunds), read through
/// ``SQLStep`` by column index: `order create` reads its order back after every sale.
extension StoreReader {
    /// `refunded`: whether the order has any refund (without one, its lines have no refunded
    /// units and the refund tables are not read).
    func orderLines(_ id: String, refunded: Bool = true) throws -> [OrderView.Line] {
        var lines: [OrderView.Line] = []
        try db.eachRow(
            "SELECT line, sku, name, qty, unit_cents, discount_cents FROM order_lines WHERE order_id = ? ORDER BY line",
            { $0(id) }
        ) { r in
            let line = Int(r.int64(0))
            let (qty, unit, discount) = (r.int64(3), r.int64(4), r.int64(5))
            let gross = try Checked.multiply(qty, unit, "line \(line) of order \(id)")
            lines.append(
                OrderView.Line(
                    line: line, sku: r.text(1), name: r.text(2), qty: qty, unit_cents: unit, discount_cents: discount,
                    amount_cents: try Checked.subtract(gross, discount, "line \(line) of order \(id)")))
        }
        guard refunded else { return lines }
        try db.eachRow(
            "SELECT line, SUM(qty), SUM(amount_cents) FROM refund_lines WHERE order_id = ? GROUP BY line", { $0(id) }
        ) { r in
            let line = Int(r.int64(0))
            guard let i = lines.firstIndex(where: { $0.line == line }) else { return }
            lines[i].refunded_qty = r.int64(1)
            lines[i].refunded_cents = r.int64(2)
        }
        return lines
    }

    func orderPayments(_ id: String) throws -> [OrderView.Payment] {
        var payments: [OrderView.Payment] = []
        try db.eachRow(
            """
            SELECT id, method, amount_cents, reference, tendered_cents, shift FROM payments WHERE order_id = ?
            ORDER BY hlc, id
            """,
            { $0(id) }
        ) { r in
            payments.append(
                OrderView.Payment(
                    id: r.text(0), method: r.text(1), amount_cents: r.int64(2), reference: r.optionalText(3),
                    tendered_cents: r.optionalInt64(4), shift: r.optionalText(5)))
        }
        return payments
    }

    func orderRefunds(_ id: String) throws -> [OrderView.Refund] {
        var parts: [String: [OrderView.Refund.Part]] = [:]
        try db.eachRow(
            """
            SELECT refund_id, method, payment_id, amount_cents FROM refund_parts WHERE order_id = ?
            ORDER BY refund_id, part
            """,
            { $0(id) }
        ) { r in
            parts[r.text(0), default: []].append(
                .init(method: r.text(1), payment: r.optionalText(2), amount_cents: r.int64(3)))
        }
        var refunds: [OrderView.Refund] = []
        try db.eachRow(
            """
            SELECT id, amount_cents, reason, origin, method FROM refunds WHERE order_id = ?
            ORDER BY hlc, origin, seq
            """,
            { $0(id) }
        ) { r in
            let refund = r.text(0)
            refunds.append(
                OrderView.Refund(
                    id: refund, amount_cents: r.int64(1), reason: r.optionalText(2), origin: r.text(3),
                    method: r.optionalText(4), parts: parts[refund] ?? []))
        }
        return refunds
    }
}
