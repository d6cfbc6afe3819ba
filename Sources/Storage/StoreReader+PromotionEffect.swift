import Foundation
import GRDB
import Replication

/// One sold order's discounts by source, with what it brought in.
public struct DiscountedOrder: Sendable, Equatable {
    public var order: String
    /// What each source took off, in fen (`promotion:MJ` → 1000, `coupon:C20` → 500).
    public var discounts: [String: Int64]
    /// What was paid, less what went back.
    public var net: Int64
}

extension StoreReader {
    /// The sold orders (not cancelled, not pending) in `window` that a promotion or coupon
    /// discounted: the promotions from the order's `discounts` (recorded at the sale), the
    /// coupon from its `coupon_use` record (recorded with every coupon sale), so a coupon
    /// order sold before the discounts were recorded still counts.
    public func discountedOrders(in window: OrderWindow) throws -> [DiscountedOrder] {
        let (filter, args) = window.sql(orders: "o")
        var byOrder: [String: DiscountedOrder] = [:]
        // Central's archive holds the stores' settled order changes (``CentralArchive``).
        let log =
            identity.role == .central
            ? "(SELECT entity, kind, fields FROM change_log UNION ALL SELECT entity, kind, fields FROM change_archive WHERE kind = 'order')"
            : "change_log"
        let promotions = try rows(
            """
            SELECT o.id AS id, o.paid_cents - o.refunded_cents AS net, c.fields AS fields
            FROM \(log) c JOIN orders o ON o.id = c.entity
            WHERE c.kind = 'order' AND json_extract(c.fields, '$.discounts') IS NOT NULL
              AND o.status NOT IN ('cancelled', 'pending')\(filter)
            """, args)
        for row in promotions {
            let id: String = row["id"]
            let text: String = row["fields"]
            guard let discounts = (try? JSONParser.fields(text))?["discounts"]?.objectValue else { continue }
            var entry = byOrder[id] ?? DiscountedOrder(order: id, discounts: [:], net: row["net"])
            for (source, cents) in discounts where !source.hasPrefix("coupon:") {
                if let cents = cents.intValue { entry.discounts[source, default: 0] += cents }
            }
            byOrder[id] = entry
        }
        let coupons = try rows(
            """
            SELECT o.id AS id, o.paid_cents - o.refunded_cents AS net,
                   json_extract(c.fields, '$.coupon') AS coupon, COALESCE(json_extract(c.fields, '$.amount_cents'), 0) AS cents
            FROM change_log c JOIN orders o ON o.id = json_extract(c.fields, '$.order')
            WHERE c.kind = 'coupon_use' AND json_extract(c.fields, '$.coupon') IS NOT NULL
              AND o.status NOT IN ('cancelled', 'pending')\(filter)
            """, args)
        for row in coupons {
            let id: String = row["id"]
            let code: String = row["coupon"]
            var entry = byOrder[id] ?? DiscountedOrder(order: id, discounts: [:], net: row["net"])
            let cents: Int64 = row["cents"]
            entry.discounts["coupon:\(code)"] = cents
            byOrder[id] = entry
        }
        return byOrder.values.sorted { $0.order < $1.order }
    }
}
