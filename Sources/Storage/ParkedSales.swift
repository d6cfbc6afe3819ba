import GRDB

/// A sale parked at a till (挂单; node-local, never replicated; schema 017).
public struct ParkedSaleRow: Sendable, Equatable {
    public var id: String
    public var till: String
    public var user: String?
    public var shift: String?
    public var parkedAt: Int64
    public var items: Int64
    public var totalCents: Int64
    /// The till's cart as JSON.
    public var cart: String

    public init(
        id: String, till: String, user: String?, shift: String?, parkedAt: Int64, items: Int64, totalCents: Int64,
        cart: String
    ) {
        self.id = id
        self.till = till
        self.user = user
        self.shift = shift
        self.parkedAt = parkedAt
        self.items = items
        self.totalCents = totalCents
        self.cart = cart
    }
}

extension NodeStore {
    /// Parks a sale, unless `limit` sales are parked already (then false, nothing written).
    public func park(_ sale: ParkedSaleRow, limit: Int) throws -> Bool {
        try writeLocal { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM parked_sales") ?? 0
            guard count < limit else { return false }
            try db.execute(
                sql: """
                    INSERT INTO parked_sales(id, till, user, shift, parked_at, items, total_cents, cart)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sale.id, sale.till, sale.user, sale.shift, sale.parkedAt, sale.items, sale.totalCents, sale.cart,
                ])
            return true
        }
    }

    /// The parked sales, oldest first.
    public func parkedSales() throws -> [ParkedSaleRow] {
        try read { r in
            try Row.fetchAll(r.db, sql: "SELECT * FROM parked_sales ORDER BY parked_at, id").map(Self.parkedRow)
        }
    }

    /// Removes a parked sale and returns it (nil when no till has it any more): two tills
    /// resuming the same sale at once get it once.
    public func unpark(_ id: String) throws -> ParkedSaleRow? {
        try writeLocal { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM parked_sales WHERE id = ?", arguments: [id])
            else { return nil }
            try db.execute(sql: "DELETE FROM parked_sales WHERE id = ?", arguments: [id])
            return Self.parkedRow(row)
        }
    }

    static func parkedRow(_ row: Row) -> ParkedSaleRow {
        ParkedSaleRow(
            id: row["id"], till: row["till"], user: row["user"], shift: row["shift"], parkedAt: row["parked_at"],
            items: row["items"], totalCents: row["total_cents"], cart: row["cart"])
    }
}
