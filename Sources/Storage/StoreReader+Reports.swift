import Commerce
import GRDB

/// The orders a report covers: one store's (or all), created in [from, to).
public struct OrderWindow: Sendable, Equatable {
    public var store: String?
    public var from: Int64?
    public var to: Int64?

    public init(store: String? = nil, from: Int64? = nil, to: Int64? = nil) {
        self.store = store
        self.from = from
        self.to = to
    }

    /// The window as SQL conditions (` AND …`) over `orders`, with their arguments.
    var sql: (String, [any SQLValue]) { sql(orders: "") }

    /// The window as SQL conditions over `orders` known by the alias `orders` (`"o"`: `o.store`).
    func sql(orders alias: String) -> (String, [any SQLValue]) {
        let p = alias.isEmpty ? "" : alias + "."
        var sql = ""
        var args: [any SQLValue] = []
        if let store {
            sql += " AND \(p)store = ?"
            args.append(store)
        }
        if let from {
            sql += " AND \(p)created_at >= ?"
            args.append(from)
        }
        if let to {
            sql += " AND \(p)created_at < ?"
            args.append(to)
        }
        return (sql, args)
    }
}

/// How sales are bucketed by date in SQL (weeks are bucketed by the caller: ISO weeks).
public enum SalesBucket: Sendable {
    case day, month, year, all

    /// The bucket of `orders` row `alias` (`created_at` in the reporting time zone, `offset`
    /// ms from UTC) as an SQL expression.
    func period(offsetMillis offset: Int64, orders alias: String = "") -> String {
        let at = alias.isEmpty ? "created_at" : alias + ".created_at"
        switch self {
        case .day: return "strftime('%Y-%m-%d', (\(at) + \(offset)) / 1000, 'unixepoch')"
        case .month: return "strftime('%Y-%m', (\(at) + \(offset)) / 1000, 'unixepoch')"
        case .year: return "strftime('%Y', (\(at) + \(offset)) / 1000, 'unixepoch')"
        case .all: return "'all'"
        }
    }
}

/// Sales of one bucket and store: orders, what was paid and what went back.
public struct SalesTotals: Sendable, Equatable {
    public var period: String
    public var store: String
    public var orders: Int64
    public var revenue: Int64
    public var refunds: Int64
}

/// One sold order for reports bucketed outside SQL.
public struct SoldOrder: Sendable, Equatable {
    public var createdAt: Int64
    public var store: String
    public var paid: Int64
    public var refunded: Int64
}

extension StoreReader {
    /// Sales per date bucket (in the reporting time zone, `offsetMillis` from UTC) and store,
    /// cancelled and pending orders left out, by bucket then store.
    public func salesTotals(by bucket: SalesBucket, offsetMillis offset: Int64, in window: OrderWindow) throws
        -> [SalesTotals]
    {
        let period = bucket.period(offsetMillis: offset)
        var sql = """
            SELECT \(period) AS period, COALESCE(store, '?') AS store, COUNT(*) AS orders,
                   SUM(paid_cents) AS revenue, SUM(refunded_cents) AS refunds
            FROM orders WHERE status <> 'cancelled' AND status <> 'pending'
            """
        let (filter, args) = window.sql
        sql += filter
        sql += " GROUP BY period, store ORDER BY period, store"
        return try rows(sql, args).map {
            SalesTotals(
                period: $0["period"], store: $0["store"], orders: $0["orders"], revenue: $0["revenue"],
                refunds: $0["refunds"])
        }
    }

    /// The sold orders (not cancelled, not pending) in a window.
    public func soldOrders(in window: OrderWindow) throws -> [SoldOrder] {
        var sql =
            "SELECT created_at, COALESCE(store, '?') AS store, paid_cents, refunded_cents FROM orders WHERE status <> 'cancelled' AND status <> 'pending'"
        let (filter, args) = window.sql
        sql += filter
        return try rows(sql, args).map {
            SoldOrder(
                createdAt: $0["created_at"] ?? 0, store: $0["store"], paid: $0["paid_cents"],
                refunded: $0["refunded_cents"])
        }
    }

    /// Best sellers by SKU (or by the SKU's top-level category), from sold orders: units and
    /// revenue, by revenue then key.
    public func topSellers(byCategory: Bool, limit: Int) throws -> [(key: String, units: Int64, revenue: Int64)] {
        let key =
            !byCategory
            ? "l.sku"
            : "COALESCE((SELECT json_extract(g.fields, '$.\(SKURegister.Field.category.rawValue)') FROM registers g WHERE g.kind = 'sku' AND g.id = l.sku), '(none)')"
        return try rows(
            """
            SELECT \(key) AS k, SUM(l.qty) AS units, SUM(l.qty * l.unit_cents - l.discount_cents) AS revenue
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.status NOT IN ('cancelled', 'pending') GROUP BY k ORDER BY revenue DESC, k LIMIT ?
            """, [limit]
        ).map { ($0["k"], $0["units"], $0["revenue"]) }
    }
}
