import GRDB
import Replication

extension StoreReader {
    /// Every change held that made order `id`: the order and its lines, its payments, refunds
    /// and refund requests, its stock movements and member-ledger entries, in stamp order.
    public func changes(makingOrder id: String) throws -> [ChangeRecord] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(ChangeLogCodec.columns) FROM change_log
                    WHERE (kind = 'order' AND entity = ?1)
                       OR (kind = 'order_line' AND entity IN (SELECT ?1 || '#' || line FROM order_lines WHERE order_id = ?1))
                       OR (kind = 'payment' AND entity IN (SELECT id FROM payments WHERE order_id = ?1))
                       OR (kind = 'refund' AND entity IN (SELECT id FROM refunds WHERE order_id = ?1))
                       OR (kind = 'stock_move' AND entity IN (SELECT id FROM stock_moves WHERE ref = ?1))
                       OR (kind = 'member_ledger' AND entity IN (SELECT id FROM member_ledger WHERE ref = ?1))
                       OR (kind = 'refund_request' AND entity IN (
                            SELECT id FROM registers WHERE kind = 'refund_request' AND json_extract(fields, '$.order') = ?1))
                    ORDER BY hlc, origin, seq
                    """),
            arguments: [id]
        ).map(ChangeLogCodec.decode)
    }
}
