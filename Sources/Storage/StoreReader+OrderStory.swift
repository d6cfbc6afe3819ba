import Foundation
import GRDB
import Replication

extension StoreReader {
    /// Every change held that made order `id`: the order's own (creation and steps) and its
    /// refund requests' (through `entity_history`), its payments, refunds, stock movements and
    /// member-ledger entries (through the `origin, seq` their rows keep), and its lines (written
    /// right after the order, in the same transaction); in stamp order. Each part is an index
    /// lookup, never a scan of the log.
    public func changes(makingOrder id: String) throws -> [ChangeRecord] {
        let columns = ChangeLogCodec.columns.split(separator: ",").map {
            "c." + $0.trimmingCharacters(in: .whitespaces)
        }
        .joined(separator: ", ")
        // At central the settled ones may be in its archive (``CentralArchive``).
        let logs = identity.role == .central ? ["change_log", "change_archive"] : ["change_log"]
        func joined(_ rows: String) -> String {
            logs.map { "SELECT \(columns) FROM (\(rows)) x JOIN \($0) c ON c.origin = x.origin AND c.seq = x.seq" }
                .joined(separator: " UNION ALL ")
        }
        let sql = [
            joined("SELECT origin, seq FROM entity_history WHERE kind = 'order' AND entity = ?1"),
            joined(
                """
                SELECT origin, seq FROM entity_history WHERE kind = 'refund_request' AND entity IN (
                    SELECT id FROM registers WHERE kind = 'refund_request' AND json_extract(fields, '$.order') = ?1)
                """),
            joined("SELECT origin, seq FROM payments WHERE order_id = ?1"),
            joined("SELECT origin, seq FROM refunds WHERE order_id = ?1"),
            joined(
                """
                SELECT origin, seq FROM stock_moves
                WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = ?1) AND ref = ?1
                """),
            joined("SELECT origin, seq FROM member_ledger WHERE ref = ?1"),
        ].joined(separator: " UNION ALL ")
        var changes = try Row.fetchAll(db.statement(sql), arguments: [id]).map(ChangeLogCodec.decode)
        if let created = changes.first(where: { $0.kind == .order && $0.op == .upsert }) {
            // The lines follow the order's creation in its transaction (a line, its movement,
            // a gift…): a bounded range of that origin's log.
            let lines =
                try Int64.fetchOne(
                    db.statement("SELECT COUNT(*) FROM order_lines WHERE order_id = ?"), arguments: [id])
                ?? 0
            for log in logs {
                changes += try Row.fetchAll(
                    db.statement(
                        """
                        SELECT \(ChangeLogCodec.columns) FROM \(log)
                        WHERE origin = ? AND seq > ? AND seq <= ? AND kind = 'order_line' AND substr(entity, 1, ?) = ?
                        """),
                    arguments: [
                        created.origin.rawValue, created.seq, created.seq + 4 * lines + 64, id.count + 1, id + "#",
                    ]
                ).map(ChangeLogCodec.decode)
            }
        }
        return changes.sorted {
            ($0.hlc.rawValue, $0.origin.rawValue, $0.seq) < ($1.hlc.rawValue, $1.origin.rawValue, $1.seq)
        }
    }
}
