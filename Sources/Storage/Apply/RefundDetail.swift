import Commerce
import GRDB
import Replication

/// The per-line and per-payment detail a refund change carries (`lines`, `parts`), stored in
/// `refund_lines` and `refund_parts` so the per-line caps and the refund split are read back
/// without parsing the change log.
enum RefundDetail {
    /// Stores the detail of `refund`, the payload of change `c`.
    static func record(_ refund: RefundChange, of c: ChangeRecord, db: Database) throws {
        if let lines = refund.lines {
            let insert = try db.statement(
                """
                INSERT OR IGNORE INTO refund_lines(refund_id, order_id, line, scope, qty, amount_cents)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for l in lines {
                try insert.execute(arguments: [
                    c.entity, refund.order, l.line, c.scope.description, l.qty, l.amount.cents,
                ])
            }
        }
        if let parts = refund.parts {
            let insert = try db.statement(
                """
                INSERT OR IGNORE INTO refund_parts(refund_id, part, order_id, scope, method, payment_id, amount_cents)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (i, p) in parts.enumerated() {
                try insert.execute(arguments: [
                    c.entity, i + 1, refund.order, c.scope.description, p.method, p.payment, p.amount.cents,
                ])
            }
        }
    }
}
