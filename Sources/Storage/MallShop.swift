import GRDB

/// One line of a member's mall cart (schema 19, central only).
public struct MallCartRow: Sendable, Equatable {
    public var sku: String
    public var qty: Int64
    public var addedAt: Int64
}

/// One entry of a member's address book (schema 19, central only).
public struct MallAddressRow: Sendable, Equatable, Codable {
    public var id: String
    public var member: String
    public var name: String
    public var phone: String
    public var address: String
    public var isDefault: Bool

    public init(id: String, member: String, name: String, phone: String, address: String, isDefault: Bool) {
        (self.id, self.member, self.name, self.phone, self.address, self.isDefault) =
            (id, member, name, phone, address, isDefault)
    }

    init(_ row: Row) {
        self.init(
            id: row["id"], member: row["member"], name: row["name"], phone: row["phone"], address: row["address"],
            isDefault: row["is_default"] != 0)
    }
}

/// Where an online order from the mall goes (schema 19, central only).
public struct MallShipToRow: Sendable, Equatable, Codable {
    public var order: String
    public var member: String
    public var name: String
    public var phone: String
    public var address: String

    public init(order: String, member: String, name: String, phone: String, address: String) {
        (self.order, self.member, self.name, self.phone, self.address) = (order, member, name, phone, address)
    }
}

extension StoreReader {
    /// A member's cart lines, oldest first.
    public func mallCart(member: String) throws -> [MallCartRow] {
        try Row.fetchAll(
            db, sql: "SELECT sku, qty, added_at FROM mall_cart WHERE member = ? ORDER BY added_at, sku",
            arguments: [member]
        ).map { MallCartRow(sku: $0["sku"], qty: $0["qty"], addedAt: $0["added_at"]) }
    }

    /// A member's addresses, the default first, then oldest first.
    public func mallAddresses(member: String) throws -> [MallAddressRow] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM mall_addresses WHERE member = ? ORDER BY is_default DESC, created_at, id",
            arguments: [member]
        ).map(MallAddressRow.init)
    }

    /// One address by id, whoever it belongs to (the caller checks the owner).
    public func mallAddress(id: String) throws -> MallAddressRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM mall_addresses WHERE id = ?", arguments: [id]).map(MallAddressRow.init)
    }

    /// The ship-to address recorded for an order from the mall, if any.
    public func mallShipTo(order: String) throws -> MallShipToRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM mall_ship_to WHERE order_id = ?", arguments: [order]).map {
            MallShipToRow(
                order: $0["order_id"], member: $0["member"], name: $0["name"], phone: $0["phone"],
                address: $0["address"])
        }
    }

    /// The order a member's checkout token already made, if any.
    public func mallCheckout(member: String, token: String) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT order_id FROM mall_checkouts WHERE member = ? AND token = ?", arguments: [member, token])
    }
}

extension LocalTransaction {
    /// Sets a cart line's quantity (adding the line when new).
    public func putMallCartLine(member: String, sku: String, qty: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO mall_cart(member, sku, qty, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(member, sku) DO UPDATE SET qty = excluded.qty
                """, arguments: [member, sku, qty, nowMillis])
    }

    /// Removes cart lines (those of `skus`); true when a line was removed.
    @discardableResult
    public func removeMallCartLines(member: String, skus: [String]) throws -> Bool {
        var removed = false
        for sku in skus {
            try db.execute(sql: "DELETE FROM mall_cart WHERE member = ? AND sku = ?", arguments: [member, sku])
            removed = removed || db.changesCount > 0
        }
        return removed
    }

    /// Adds or replaces an address (its default flag included).
    public func putMallAddress(_ a: MallAddressRow) throws {
        try db.execute(
            sql: """
                INSERT INTO mall_addresses(id, member, name, phone, address, is_default, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                    address = excluded.address, is_default = excluded.is_default, updated_at = excluded.updated_at
                """,
            arguments: [a.id, a.member, a.name, a.phone, a.address, a.isDefault ? 1 : 0, nowMillis, nowMillis])
    }

    /// Makes `id` the member's only default address (nil: none).
    public func setDefaultMallAddress(member: String, id: String?) throws {
        try db.execute(
            sql: "UPDATE mall_addresses SET is_default = (id IS ?) WHERE member = ?", arguments: [id, member])
    }

    /// Deletes one of the member's addresses.
    public func deleteMallAddress(member: String, id: String) throws {
        try db.execute(sql: "DELETE FROM mall_addresses WHERE member = ? AND id = ?", arguments: [member, id])
    }

    /// Records an order's ship-to address.
    public func putMallShipTo(_ s: MallShipToRow) throws {
        try db.execute(
            sql: """
                INSERT INTO mall_ship_to(order_id, member, name, phone, address, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [s.order, s.member, s.name, s.phone, s.address, nowMillis])
    }

    /// Records the order a checkout token made.
    public func putMallCheckout(member: String, token: String, order: String) throws {
        try db.execute(
            sql: "INSERT INTO mall_checkouts(member, token, order_id, created_at) VALUES (?, ?, ?, ?)",
            arguments: [member, token, order, nowMillis])
    }
}
