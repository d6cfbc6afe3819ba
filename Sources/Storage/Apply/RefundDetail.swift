import GRDB
import Replication

/// The per-line and per-payment detail a refund change carries (`lines`, `parts`), stored in
/// `refund_lines` and `refund_parts` so the per-line caps and the refund split are read back
/// without parsing the change log.
enum RefundDetail {
    /// Stores the detail of refund change `c` of `order`; malformed detail is refused with the field named.
    static func record(_ c: ChangeRecord, order: String, db: Database) throws {
        let f = ChangeFields(c)
        if let lines = c.fields["lines"], !lines.isNull {
            guard let items = lines.arrayValue else { throw f.fail("lines", "must be an array of {line, qty, amount_cents}") }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO refund_lines(refund_id, order_id, line, scope, qty, amount_cents)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for item in items {
                guard let o = item.objectValue, let line = o["line"]?.intValue, line > 0, let qty = o["qty"]?.intValue, qty > 0
                else { throw f.fail("lines", "must hold objects with a positive line and qty") }
                // Refunds written before schema 9 carry no per-line money: their units still count.
                let amount = o["amount_cents"]?.intValue ?? 0
                guard amount >= 0 else { throw f.fail("lines", "amount_cents must not be negative") }
                try insert.execute(arguments: [c.entity, order, line, c.scope.description, qty, amount])
            }
        }
        if let parts = c.fields["parts"], !parts.isNull {
            guard let items = parts.arrayValue else { throw f.fail("parts", "must be an array of {method, payment, amount_cents}") }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO refund_parts(refund_id, part, order_id, scope, method, payment_id, amount_cents)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for (i, item) in items.enumerated() {
                guard let o = item.objectValue, let method = o["method"]?.stringValue, !method.isEmpty,
                    let amount = o["amount_cents"]?.intValue, amount >= 0
                else { throw f.fail("parts", "must hold objects with a method and a non-negative amount_cents") }
                try insert.execute(arguments: [
                    c.entity, i + 1, order, c.scope.description, method, o["payment"]?.stringValue, amount,
                ])
            }
        }
    }
}
