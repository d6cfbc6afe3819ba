import Commerce
import Replication
import Storage

extension Inventory {
    /// Receives many (sku, warehouse, qty) lines in one transaction, e.g. a delivery note.
    public func receive(_ lines: [(sku: String, warehouse: String, qty: Int64)], note: String) throws(NodeError) {
        for l in lines where l.qty <= 0 {
            throw NodeError(.invalidInput, "quantity for \(l.sku) must be positive")
        }
        try write(.manageStock, "stock.receive") { tx in
            for l in lines {
                let (w, scope) = try resolveWarehouse(l.warehouse, tx.reader)
                try tx.emit(
                    StockMoveChange(sku: l.sku, warehouse: w, reason: .receive, qty: l.qty, ref: note),
                    entity: tx.newID("MV"),
                    scope: scope)
            }
        }
    }
}
