import Commerce
import Replication
import Storage

/// A SKU below its low-stock threshold in a warehouse.
public struct StockAlert: Sendable, Equatable, Codable {
    public var sku: String
    public var warehouse: String
    public var available: Int64
    public var threshold: Int64
}

extension Inventory {
    /// Sets the low-stock threshold of a SKU, for every warehouse or one (central only).
    public func setThreshold(sku: String, quantity: Int64, warehouse: String?) throws(NodeError) -> SKUView {
        try requireCentral("setting low-stock thresholds")
        guard quantity >= 0, quantity <= 1_000_000 else {
            throw NodeError(.invalidInput, "threshold must be 0…1,000,000")
        }
        return try write(.manageCatalog, "stock.threshold") { tx in
            _ = try Catalog.requireSKU(sku, tx.reader)
            if let warehouse, try tx.reader.warehouseOwner(warehouse) == nil {
                throw NodeError(.notFound, "warehouse \(warehouse) is unknown")
            }
            let patch = warehouse.map { SKURegister(lowStockAt: [$0: quantity]) } ?? SKURegister(lowStock: quantity)
            try tx.emit(patch, entity: sku, scope: .global)
            return try Catalog.requireSKU(sku, tx.flushed())
        }
    }

    /// Everything below its threshold in the stock this node holds — including what fell below
    /// only when other nodes' sales were merged.
    public func alerts() throws(NodeError) -> [StockAlert] {
        try read { r in
            let skus = Dictionary(
                uniqueKeysWithValues: try r.registers(.sku).map { ($0.id, try SKURegister(fields: $0.fields)) })
            return try r.stockLevels().compactMap { level in
                guard let threshold = skus[level.sku]?.lowStockThreshold(at: level.warehouse),
                    level.available < threshold
                else { return nil }
                return StockAlert(
                    sku: level.sku, warehouse: level.warehouse, available: level.available, threshold: threshold)
            }
        }
    }
}
