import Commerce
import Replication
import Storage

/// A best-seller row.
public struct TopRow: Sendable, Equatable, Codable {
    public var key: String
    public var units: Int64
    public var revenue_cents: Int64
}

extension Reports {
    /// Best sellers by SKU or by top-level category, from paid orders this node holds.
    public func topSellers(by dimension: TopSellerDimension, limit: Int = 10) throws(NodeError) -> [TopRow] {
        let dimension = dimension.rawValue
        guard (1...1000).contains(limit) else { throw NodeError(.invalidInput, "\(Field.limit) must be 1…1000") }
        return try read(.seeReports) { r in
            try r.topSellers(byCategory: dimension != "sku", limit: limit).map {
                TopRow(key: $0.key, units: $0.units, revenue_cents: $0.revenue)
            }
        }
    }
}
