import GRDB

extension StoreReader {
    /// Checks that change capture held: every domain row has the change that made it and every
    /// change has its row. Returns a sentence per problem (empty when consistent).
    ///
    /// After log compaction (``LogCompaction``) rows stamped at or below the highest cutoff used
    /// may have lost their change on purpose; rows above it are checked as before, and the own
    /// sequence is checked above the highest own seq compacted.
    public func consistencyProblems() throws -> [String] {
        let compacted = Int64(try meta(LogCompaction.Keys.cutoff) ?? "0") ?? 0
        let checks: [(String, String)] = [
            (
                "order rows without their change",
                "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM change_log c WHERE c.kind = 'order' AND c.entity = o.id)"
            ),
            (
                "order changes without their row",
                "SELECT COUNT(DISTINCT entity) FROM change_log c WHERE kind = 'order' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.entity)"
            ),
            (
                "order lines without their change",
                "SELECT COUNT(*) FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE (o.created_hlc IS NULL OR o.created_hlc > \(compacted)) AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.kind = 'order_line' AND c.entity = l.order_id || '#' || l.line)"
            ),
            (
                "order line changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'order_line' AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id || '#' || l.line = c.entity)"
            ),
            (
                "stock movements without their change",
                "SELECT COUNT(*) FROM stock_moves m WHERE m.hlc > \(compacted) AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.kind = 'stock_move' AND c.entity = m.id)"
            ),
            (
                "stock changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'stock_move' AND NOT EXISTS (SELECT 1 FROM stock_moves m WHERE m.id = c.entity)"
            ),
            (
                "payments without their change",
                "SELECT COUNT(*) FROM payments p WHERE p.hlc > \(compacted) AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.kind = 'payment' AND c.entity = p.id)"
            ),
            (
                "payment changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'payment' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = c.entity)"
            ),
            (
                "member ledger changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'member_ledger' AND NOT EXISTS (SELECT 1 FROM member_ledger m WHERE m.id = c.entity)"
            ),
            // Below the floor a restored central may lack the seqs it lost with its disk
            // (stores give them back); above it, its own seqs are gap-free again. A store's
            // compacted own changes are gone on purpose up to their watermark.
            (
                "gaps in this node's own sequence",
                """
                WITH f(v) AS (SELECT max(
                    COALESCE((SELECT CAST(value AS INTEGER) FROM node_meta WHERE key = 'own_seq_floor'), 0),
                    COALESCE((SELECT seq FROM log_compacted WHERE origin = :me), 0)))
                SELECT max((SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE origin = :me), f.v) - f.v
                  - (SELECT COUNT(*) FROM change_log WHERE origin = :me AND seq > f.v) FROM f
                """
            ),
        ]
        var problems: [String] = []
        for (what, sql) in checks {
            let n = try Int.fetchOne(db, sql: sql, arguments: ["me": identity.node.rawValue]) ?? 0
            if n != 0 { problems.append("\(n) \(what)") }
        }
        return problems
    }
}
