import GRDB

extension StoreReader {
    /// Checks that change capture held: every domain row has the change that made it and every
    /// change has its row (a quarantined change, op `void`, has none). Returns a sentence per problem (empty when consistent).
    ///
    /// After log compaction (``LogCompaction``) rows stamped at or below the highest cutoff used
    /// may have lost their change on purpose; rows above it are checked as before, and the own
    /// sequence is checked above the highest own seq compacted.
    ///
    /// Each "without" check is a set difference (`EXCEPT`, one sort of each side), never a
    /// look-up per row: the log has no index by entity, and a per-row search made the check —
    /// and with it every `fenxiao backup` — quadratic in the size of the log.
    public func consistencyProblems() throws -> [String] {
        /// How many values `left` yields that `right` does not.
        func missing(_ left: String, _ right: String) -> String {
            "SELECT COUNT(*) FROM (\(left) EXCEPT \(right))"
        }
        let compacted = Int64(try meta(LogCompaction.Keys.cutoff) ?? "0") ?? 0
        // Central's archive holds the stores' settled order changes (``CentralArchive``).
        let orderChanges =
            identity.role == .central
            ? """
            SELECT entity FROM (SELECT entity FROM change_log WHERE kind = 'order'
              UNION ALL SELECT entity FROM change_archive WHERE kind = 'order')
            """
            : "SELECT entity FROM change_log WHERE kind = 'order'"
        let checks: [(String, String)] = [
            ("order rows without their change", missing("SELECT id FROM orders", orderChanges)),
            (
                "order changes without their row",
                "SELECT COUNT(DISTINCT entity) FROM change_log c WHERE kind = 'order' AND op <> 'void' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.entity)"
            ),
            (
                "order lines without their change",
                missing(
                    """
                    SELECT l.order_id || '#' || l.line FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id
                    WHERE o.created_hlc IS NULL OR o.created_hlc > \(compacted)
                    """, "SELECT entity FROM change_log WHERE kind = 'order_line'")
            ),
            (
                "order line changes without their row",
                missing(
                    "SELECT entity FROM change_log WHERE kind = 'order_line' AND op <> 'void'",
                    "SELECT order_id || '#' || line FROM order_lines")
            ),
            (
                "stock movements without their change",
                missing(
                    "SELECT id FROM stock_moves WHERE hlc > \(compacted)",
                    "SELECT entity FROM change_log WHERE kind = 'stock_move'")
            ),
            (
                "stock changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'stock_move' AND op <> 'void' AND NOT EXISTS (SELECT 1 FROM stock_moves m WHERE m.id = c.entity)"
            ),
            (
                "payments without their change",
                missing(
                    "SELECT id FROM payments WHERE hlc > \(compacted)",
                    "SELECT entity FROM change_log WHERE kind = 'payment'")
            ),
            (
                "payment changes without their row",
                "SELECT COUNT(*) FROM change_log c WHERE kind = 'payment' AND op <> 'void' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = c.entity)"
            ),
            (
                "member ledger changes without their row",
                // Central's entries keep their change in a store's log after the entry folded
                // into its member's base (`MemberLedgerFolding`).
                """
                SELECT COUNT(*) FROM change_log c WHERE kind = 'member_ledger' AND op <> 'void'
                  AND NOT EXISTS (SELECT 1 FROM member_ledger m WHERE m.id = c.entity)
                  AND NOT EXISTS (SELECT 1 FROM member_bases b
                    WHERE b.member = json_extract(c.fields, '$.member') AND b.account = json_extract(c.fields, '$.account')
                      AND c.hlc < b.upto * 65536)
                """
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
