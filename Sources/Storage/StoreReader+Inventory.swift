import GRDB

/// A stock movement as stored, found by the change that wrote it.
public struct StockMoveRow: Sendable, Equatable {
    public var id: String
    public var sku: String
    public var warehouse: String
    public var qty: Int64
    public var ref: String?
}

extension StoreReader {
    /// The stock movement written by change `origin/seq`, if this node holds it.
    public func stockMove(writtenBy change: String) throws -> StockMoveRow? {
        try rows("SELECT id, sku, warehouse, qty, ref FROM stock_moves WHERE origin || '/' || seq = ?", [change]).first
            .map {
                StockMoveRow(id: $0["id"], sku: $0["sku"], warehouse: $0["warehouse"], qty: $0["qty"], ref: $0["ref"])
            }
    }
}
