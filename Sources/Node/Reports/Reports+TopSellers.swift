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
            let key =
                dimension == "sku"
                ? "l.sku"
                : "COALESCE((SELECT json_extract(g.fields, '$.\(SKURegister.Field.category.rawValue)') FROM registers g WHERE g.kind = 'sku' AND g.id = l.sku), '(none)')"
            return try r.rows(
                """
                SELECT \(key) AS k, SUM(l.qty) AS units, SUM(l.qty * l.unit_cents - l.discount_cents) AS revenue
                FROM order_lines l JOIN orders o ON o.id = l.order_id
                WHERE o.status NOT IN ('cancelled', 'pending') GROUP BY k ORDER BY revenue DESC, k LIMIT ?
                """, [limit]
            ).map { TopRow(key: $0["k"], units: $0["units"], revenue_cents: $0["revenue"]) }
        }
    }
}
