import Commerce
import Replication
import Storage

/// Stock of one SKU in one warehouse with its low-stock threshold, as head office lists it.
public struct StockRow: Sendable, Equatable, Codable {
    public var sku: String
    public var warehouse: String
    public var on_hand: Int64
    public var reserved: Int64
    public var available: Int64
    /// The threshold at this warehouse (its own, else the SKU's), nil when none is set.
    public var threshold: Int64?
    /// Available below the threshold (a low-stock alert).
    public var low: Bool
}

extension Inventory {
    /// Stock per SKU per warehouse with thresholds, by SKU then warehouse: every level this node
    /// holds, or those whose SKU contains `search` (ignoring case); at most `limit` rows.
    public func stock(search: String? = nil, limit: Int = 1000) throws(NodeError) -> [StockRow] {
        let needle = search.map { String($0.filter { !$0.isWhitespace }).lowercased() } ?? ""
        guard needle.utf8.count <= 64 else {
            throw NodeError(.invalidInput, "\(Field.sku) search is at most 64 characters")
        }
        return try read { r in
            let skus = Dictionary(
                uniqueKeysWithValues: try r.registers(.sku).map { ($0.id, try SKURegister(fields: $0.fields)) })
            let levels = try r.stockLevels().filter { needle.isEmpty || $0.sku.lowercased().contains(needle) }
            return levels.prefix(max(0, limit)).map { level in
                let threshold = skus[level.sku]?.lowStockThreshold(at: level.warehouse)
                return StockRow(
                    sku: level.sku, warehouse: level.warehouse, on_hand: level.on_hand, reserved: level.reserved,
                    available: level.available, threshold: threshold,
                    low: threshold.map { level.available < $0 } ?? false)
            }
        }
    }
}
