import Commerce
import Foundation
import Replication
import Storage

/// A cart as it is parked (挂单): the lines, the member, the coupon and the points asked for.
public struct ParkedCart: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var sku: String
        public var qty: Int64
        public init(sku: String, qty: Int64) { (self.sku, self.qty) = (sku, qty) }
    }
    public var lines: [Line]
    public var member: String?
    public var coupon: String?
    public var points: Int64?
    public init(lines: [Line], member: String? = nil, coupon: String? = nil, points: Int64? = nil) {
        (self.lines, self.member, self.coupon, self.points) = (lines, member, coupon, points)
    }
}

/// A parked sale as the till lists it.
public struct ParkedSaleView: Sendable, Equatable, Codable {
    public var id: String
    public var till: String
    public var cashier: String?
    public var shift: String?
    public var parked_at: Int64
    public var items: Int64
    public var total_cents: Int64
    /// Parked before the asking till's open shift began, or at that till in another shift (or no
    /// shift is open there).
    public var earlier_shift: Bool
    /// The cart (only when resumed).
    public var cart: ParkedCart?
}

extension Till {
    /// The most sales parked at one store at once.
    public static let maxParked = 100

    /// Parks a cart at `till` to serve the next customer (node-local: any till of this store
    /// resumes it). `total` is the cart's priced total when parked, for the list.
    public func park(till: String, cart: ParkedCart, total: Money) throws(NodeError) -> ParkedSaleView {
        try Self.validate(till)
        guard !cart.lines.isEmpty, cart.lines.count <= Int(Limits.maxLines) else {
            throw NodeError(
                .invalidInput, "\(Field.line) must hold 1 to \(Limits.maxLines) lines to park", field: .line)
        }
        for line in cart.lines {
            guard line.sku.utf8.count <= Limits.maxIDBytes, SKUCode(line.sku) != nil,
                line.qty > 0, line.qty <= Limits.maxQuantity
            else {
                throw NodeError(
                    .invalidInput, "\(Field.line) must be SKU codes with a quantity of 1 to \(Limits.maxQuantity)",
                    field: .line)
            }
        }
        for text in [cart.member, cart.coupon].compactMap({ $0 }) where text.utf8.count > Limits.maxIDBytes {
            throw NodeError(.invalidInput, "a parked cart's member or coupon is at most 128 bytes", field: .parked)
        }
        let user = try node.read(.sell) { r in try actingUser(r)?.id }
        let shift = try currentShift(till: till)?.id
        let json: String
        do { json = String(decoding: try JSONEncoder().encode(cart), as: UTF8.self) } catch {
            throw NodeError.wrap(error)
        }
        let row = ParkedSaleRow(
            id: "PK-" + String(Tokens.generate().prefix(10)).uppercased(),
            till: till, user: user, shift: shift, parkedAt: store.wallNow(),
            items: cart.lines.reduce(0) { $0 + $1.qty }, totalCents: total.cents, cart: json)
        guard try local({ try store.park(row, limit: Self.maxParked) }) else {
            throw NodeError(
                .conflict, "\(Self.maxParked) sales are parked already; resume or finish one first", field: .parked)
        }
        return try view(row, for: till, withCart: false)
    }

    /// The sales parked at this store, oldest first, marked when parked before `till`'s shift.
    public func parked(for till: String) throws(NodeError) -> [ParkedSaleView] {
        try node.read(.sell) { _ in }
        let rows = try local { try store.parkedSales() }
        var out: [ParkedSaleView] = []
        for row in rows { out.append(try view(row, for: till, withCart: false)) }
        return out
    }

    /// Resumes a parked sale: returns its cart and removes it, so no other till resumes it too.
    public func resume(_ id: String, at till: String) throws(NodeError) -> ParkedSaleView {
        try node.read(.sell) { _ in }
        guard id.utf8.count <= 32, let row = try local({ try store.unpark(id) }) else {
            throw NodeError(
                .notFound, "parked sale \(id.prefix(32)) is not parked here (resumed already?)", field: .parked)
        }
        return try view(row, for: till, withCart: true)
    }

    func view(_ row: ParkedSaleRow, for till: String, withCart: Bool) throws(NodeError) -> ParkedSaleView {
        let current = try currentShift(till: till)
        var cart: ParkedCart?
        if withCart { cart = try? JSONDecoder().decode(ParkedCart.self, from: Data(row.cart.utf8)) }
        return ParkedSaleView(
            id: row.id, till: row.till, cashier: row.user, shift: row.shift, parked_at: row.parkedAt, items: row.items,
            total_cents: row.totalCents,
            earlier_shift: current.map {
                row.parkedAt < ($0.opened_at ?? 0) || (row.shift != $0.id && row.till == till)
            }
                ?? true, cart: cart)
    }
}
