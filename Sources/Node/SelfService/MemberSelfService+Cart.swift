import Commerce
import Replication
import Storage

/// The mall cart's limits: lines and units per line.
public enum CartPolicy {
    public static let maxLines = 50
    public static let maxQuantity: Int64 = 999
}

/// One line of a member's cart with what the shop knows of its SKU now.
public struct CartLine: Sendable, Equatable {
    public var sku: String
    public var name: String
    public var product: String
    public var quantity: Int64
    /// The list price now, per unit.
    public var listPrice: Money
    public var onShelf: Bool
    /// Units available at the online warehouse.
    public var available: Int64
}

/// A priced cart (or checkout): the lines, the pricing engine's quote (nil for an empty cart or
/// when it cannot be priced, with the refusal), and the points the member may redeem on it.
public struct CartQuote: Sendable {
    public var lines: [CartLine]
    public var quote: PricingEngine.Quote?
    public var refusal: NodeError?
    /// Points the member holds (available).
    public var pointsBalance: Int64
    /// The most points this order takes: the configured share of the total, at most the balance.
    public var pointsCap: Int64
    /// Points asked for (0 when none).
    public var points: Int64
    /// What is left to pay after the points: the quote's total less the points (1 point = 1 fen).
    public var payable: Money { Money(cents: (quote?.total.cents ?? 0) - points) }
    /// The shipping fee charged when the member's level or a coupon does not waive it.
    public var standardShippingFee: Money
}

/// The fields of the cart's requests.
enum CartField {
    static let qty: Field = "qty"
}

extension MemberSelfService {
    /// The member's cart lines with their SKUs' names, prices, shelf state and online stock.
    public func cart() throws(NodeError) -> [CartLine] {
        let member = self.member
        let warehouse = node.catalog.onlineWarehouse
        let now = node.store.wallNow()
        return try node.read { r in
            try r.mallCart(member: member).map { row in
                let sku = try r.register(SKURegister.self, row.sku)
                return CartLine(
                    sku: row.sku, name: sku?.name ?? row.sku, product: sku?.product ?? row.sku, quantity: row.qty,
                    listPrice: sku?.price(at: now) ?? .zero, onShelf: sku.map { $0.onShelf ?? true } ?? false,
                    available: try r.stockLevel(sku: row.sku, warehouse: warehouse).available)
            }
        }
    }

    /// Adds `quantity` units of a SKU on the shelf to the cart (added to a line already there).
    public func addToCart(sku: String, quantity: Int64) throws(NodeError) -> CartLine {
        try Self.checkQuantity(quantity)
        let line = try setCart(sku: sku) { old in (old ?? 0) + quantity }
        return line
    }

    /// Sets a cart line's quantity (1–999); 0 removes the line.
    public func setCartQuantity(sku: String, quantity: Int64) throws(NodeError) {
        guard quantity != 0 else { return try removeFromCart(sku: sku) }
        try Self.checkQuantity(quantity)
        _ = try setCart(sku: sku, mustExist: true) { _ in quantity }
    }

    /// Removes a line from the cart; not found when the cart has no such line.
    public func removeFromCart(sku: String) throws(NodeError) {
        let member = self.member
        try node.write { tx in
            guard try tx.removeMallCartLines(member: member, skus: [sku]) else {
                throw NodeError(.notFound, "\(Field.sku) \(sku) is not in your cart")
            }
        }
    }

    /// Prices the cart (online, for this member) with a coupon and points, as checkout would.
    public func quoteCart(coupon: String? = nil, points: Int64 = 0) throws(NodeError) -> CartQuote {
        let lines = try cart()
        let member = self.member
        let balance = try node.read { r in try Members.pointsStatus(member, r, now: node.store.wallNow()).available }
        let capPercent = try node.read { r in try Members.pointsSettings(r).cap_percent }
        let fee = Money(cents: try node.orders.shippingFee())
        var result = CartQuote(
            lines: lines, quote: nil, refusal: nil, pointsBalance: balance, pointsCap: 0, points: 0,
            standardShippingFee: fee)
        guard !lines.isEmpty else { return result }
        var request = OrderRequest(
            lines: lines.map { LineRequest(sku: $0.sku, quantity: $0.quantity) }, member: member, coupon: coupon,
            channel: .online)
        do {
            let quote = try node.orders.quote(request)
            result.quote = quote
            result.pointsCap = max(0, min(balance, quote.total.cents * capPercent / 100))
            try Self.checkPoints(points, cap: result.pointsCap)
            result.points = points
        } catch {
            if coupon != nil {
                // Price it without the coupon, so the page still shows a total with the refusal.
                request.coupon = nil
                if let quote = try? node.orders.quote(request) {
                    result.quote = quote
                    result.pointsCap = max(0, min(balance, quote.total.cents * capPercent / 100))
                }
            }
            result.refusal = error
        }
        return result
    }

    static func checkQuantity(_ quantity: Int64) throws(NodeError) {
        guard (1...CartPolicy.maxQuantity).contains(quantity) else {
            throw NodeError(.invalidInput, "\(CartField.qty) must be between 1 and \(CartPolicy.maxQuantity)")
        }
    }

    static func checkPoints(_ points: Int64, cap: Int64) throws(NodeError) {
        guard points >= 0 else { throw NodeError(.invalidInput, "\(Field.points) must be 0 or more") }
        guard points <= cap else {
            throw NodeError(.conflict, "at most \(cap) \(Field.points) can be redeemed on this order")
        }
    }

    /// Writes a cart line's new quantity (computed from the old one); the SKU must be in the
    /// catalog and on the shelf, the cart within its limits.
    private func setCart(sku: String, mustExist: Bool = false, _ quantity: (Int64?) -> Int64) throws(NodeError)
        -> CartLine
    {
        guard SKUCode(sku) != nil else {
            throw NodeError(
                .invalidInput, "\(Field.sku) '\(sku)' is not a SKU code (1–64 letters, digits, '-', '.', '_')")
        }
        let member = self.member
        let now = node.store.wallNow()
        let warehouse = node.catalog.onlineWarehouse
        return try node.write { tx in
            let r = tx.reader
            guard let register = try r.register(SKURegister.self, sku) else {
                throw NodeError(.notFound, "\(Field.sku) \(sku) is not in the catalog")
            }
            guard register.onShelf ?? true else {
                throw NodeError(.conflict, "\(Field.sku) \(sku) is off the shelf and cannot be bought")
            }
            let lines = try r.mallCart(member: member)
            let old = lines.first(where: { $0.sku == sku })?.qty
            if mustExist && old == nil { throw NodeError(.notFound, "\(Field.sku) \(sku) is not in your cart") }
            if old == nil && lines.count >= CartPolicy.maxLines {
                throw NodeError(
                    .conflict, "a cart holds at most \(CartPolicy.maxLines) lines; check out or remove some")
            }
            let qty = quantity(old)
            try Self.checkQuantity(qty)
            try tx.putMallCartLine(member: member, sku: sku, qty: qty)
            return CartLine(
                sku: sku, name: register.name ?? sku, product: register.product ?? sku, quantity: qty,
                listPrice: register.price(at: now), onShelf: true,
                available: try r.stockLevel(sku: sku, warehouse: warehouse).available)
        }
    }
}
