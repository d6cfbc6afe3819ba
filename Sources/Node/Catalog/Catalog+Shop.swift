import Commerce
import Replication
import Storage

/// How much of a SKU the mall can still sell from the online warehouse.
public enum ShopStockStatus: String, Sendable, Equatable {
    case inStock = "in_stock"
    case fewLeft = "few_left"
    case soldOut = "sold_out"

    /// At most this many units available reads as "few left".
    public static let fewLeftAt: Int64 = 5

    public init(available: Int64) {
        self = available <= 0 ? .soldOut : available <= Self.fewLeftAt ? .fewLeft : .inStock
    }
}

extension Catalog {
    /// The warehouse online orders reserve from: the node's own (central's), as
    /// ``Orders/create(_:)`` picks it when an order names none.
    public var onlineWarehouse: String { identity.node.rawValue }

    /// Units of each SKU available (on hand less reserved) at the online warehouse.
    public func onlineAvailable(skus: [String]) throws(NodeError) -> [String: Int64] {
        let warehouse = onlineWarehouse
        return try read { r in
            var available: [String: Int64] = [:]
            for sku in Set(skus) { available[sku] = try r.stockLevel(sku: sku, warehouse: warehouse).available }
            return available
        }
    }

    /// The promotions active now (not ended, inside their window), by id: what the mall's home
    /// page advertises. Audiences are not judged here; the pricing engine judges them per cart.
    public func activePromotions() throws(NodeError) -> [Promotion] {
        let now = store.wallNow()
        return try read { r in
            try r.registers(.promotion).compactMap { id, fields -> Promotion? in
                let register = try PromotionRegister(fields: fields)
                guard register.ended != true, let p = register.promotion(id: id), p.isActive(at: now) else {
                    return nil
                }
                return p
            }
        }
    }
}
