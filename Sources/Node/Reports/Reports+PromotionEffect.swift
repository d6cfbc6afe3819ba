import Commerce
import Replication
import Storage

/// One promotion's or coupon's effect on sales: the sold orders it discounted, what it took off
/// them, and what those orders brought in (paid less refunded). An order discounted by two
/// promotions counts in both rows.
public struct PromotionEffectRow: Sendable, Equatable, Codable {
    /// `promotion` or `coupon` (`member` or `level` for member benefits the engine gave).
    public var kind: String
    public var id: String
    /// The promotion's name (a coupon's code).
    public var name: String
    public var orders: Int64
    public var discount_cents: Int64
    public var net_cents: Int64

    init(kind: String, id: String, name: String, orders: Int64, discount_cents: Int64, net_cents: Int64) {
        self.kind = kind
        self.id = id
        self.name = name
        self.orders = orders
        self.discount_cents = discount_cents
        self.net_cents = net_cents
    }
}

extension Reports {
    /// The effect of every promotion and coupon on the sold orders this node holds (all of
    /// them at central), optionally in a window of sale times: one row per promotion and per
    /// coupon defined (with zeros when unused), then any other discount source the orders
    /// name (a member level's discount), by kind then id. Promotions are counted from orders
    /// that record their discounts (sold since the record was added); coupons from every coupon
    /// use.
    public func promotionEffect(from: Int64? = nil, to: Int64? = nil) throws(NodeError) -> [PromotionEffectRow] {
        if let from, let to, from >= to {
            throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)")
        }
        return try read(.seeReports) { r in
            var rows: [String: PromotionEffectRow] = [:]
            for (id, fields) in try r.registers(.promotion) {
                let name = (try? PromotionRegister(fields: fields))?.name ?? id
                rows["promotion:\(id)"] = PromotionEffectRow(
                    kind: "promotion", id: id, name: name, orders: 0, discount_cents: 0, net_cents: 0)
            }
            for (code, _) in try r.registers(.coupon) {
                rows["coupon:\(code)"] = PromotionEffectRow(
                    kind: "coupon", id: code, name: code, orders: 0, discount_cents: 0, net_cents: 0)
            }
            for order in try r.discountedOrders(in: OrderWindow(from: from, to: to)) {
                for (source, cents) in order.discounts {
                    let parts = source.split(separator: ":", maxSplits: 1).map(String.init)
                    let kind = parts.count == 2 ? parts[0] : source
                    let id = parts.count == 2 ? parts[1] : source
                    var row =
                        rows[source]
                        ?? PromotionEffectRow(kind: kind, id: id, name: id, orders: 0, discount_cents: 0, net_cents: 0)
                    row.orders += 1
                    row.discount_cents += cents
                    row.net_cents += order.net
                    rows[source] = row
                }
            }
            let rank = ["promotion": 0, "coupon": 1]
            return rows.values.sorted { (rank[$0.kind] ?? 2, $0.kind, $0.id) < (rank[$1.kind] ?? 2, $1.kind, $1.id) }
        }
    }
}
