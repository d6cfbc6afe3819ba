import Commerce
import Replication
import Storage

/// Where a checkout ships to: one of the member's addresses, or one typed at checkout (kept in
/// the address book too when it has room).
public enum ShipTo: Sendable, Equatable {
    case saved(id: String)
    case typed(AddressInput)
}

/// What the checkout form submits.
public struct CheckoutRequest: Sendable, Equatable {
    public var shipTo: ShipTo
    public var coupon: String?
    /// Points to redeem (1 point = 1 fen), within the order's cap.
    public var points: Int64
    /// The referral code of the distributor's link the phone arrived by (the mall's cookie).
    public var via: String?
    /// The checkout form's one-time token: the same token twice answers with the same order.
    public var token: String

    public init(shipTo: ShipTo, coupon: String? = nil, points: Int64 = 0, via: String? = nil, token: String) {
        (self.shipTo, self.coupon, self.points, self.via, self.token) = (shipTo, coupon, points, via, token)
    }
}

/// The fields of the checkout's requests.
enum CheckoutField {
    static let token: Field = "checkout_token"
    static let cart: Field = "cart"
}

extension MemberSelfService {
    /// Whether `code` has the shape of a referral code (letters, digits, `-`, `_`, `.`; 1–64).
    public static func referralCodeShape(_ code: String) -> Bool {
        code.utf8.count <= 64 && SKUCode(code) != nil
    }

    /// Places the member's online order for their whole cart: the order is created as at
    /// head office (`order create --channel online`: pending, stock reserved at the online
    /// warehouse, the coupon claimed, the points redeemed), and in the same transaction its ship-to
    /// address is recorded, the lines bought leave the cart and the checkout token is kept, so a
    /// repeated submit answers with the order already made. A referral code nobody has is ignored.
    /// Returns the order's id.
    public func placeOrder(_ checkout: CheckoutRequest) throws(NodeError) -> String {
        guard (8...64).contains(checkout.token.utf8.count), SKUCode(checkout.token) != nil else {
            throw NodeError(.invalidInput, "\(CheckoutField.token) is missing; reload the checkout page")
        }
        guard checkout.points >= 0, checkout.points <= 100_000_000 else {
            throw NodeError(.invalidInput, "\(Field.points) must be 0 or more")
        }
        var typed: AddressInput?
        if case .typed(let input) = checkout.shipTo { typed = try Members.checkedAddress(input) }
        let member = self.member
        let orders = node.orders
        return try node.write { tx in
            if let made = try tx.reader.mallCheckout(member: member, token: checkout.token) { return made }
            let cart = try tx.reader.mallCart(member: member)
            guard !cart.isEmpty else { throw NodeError(.conflict, "your \(CheckoutField.cart) is empty") }
            let book = try tx.reader.mallAddresses(member: member)
            let ship: AddressInput
            switch checkout.shipTo {
            case .saved(let id):
                guard let a = book.first(where: { $0.id == id }) else {
                    throw NodeError(.notFound, "\(AddressField.addressID) \(id) is not one of yours")
                }
                ship = AddressInput(name: a.name, phone: a.phone, address: a.address)
            case .typed:
                guard let typed else { throw NodeError(.invalidInput, "\(AddressField.shipAddress) is missing") }
                ship = typed
                if book.count < AddressBookPolicy.maxAddresses {
                    try tx.putMallAddress(
                        MallAddressRow(
                            id: tx.newID("ADR"), member: member, name: typed.name, phone: typed.phone,
                            address: typed.address, isDefault: book.isEmpty))
                }
            }
            var request = OrderRequest(
                lines: cart.map { LineRequest(sku: $0.sku, quantity: $0.qty) }, member: member,
                coupon: checkout.coupon, channel: .online)
            request.points = checkout.points
            if let via = checkout.via, Self.referralCodeShape(via),
                (try? Distribution.distributor(byCode: via, tx.reader)) != nil
            {
                request.via = via
            }
            let (lines, method) = try Orders.parse(request)
            let user = try orders.check(.sell, tx.reader)
            let id = try orders.sell(&tx, request, lines: lines, method: method)
            if let user { try orders.audit(&tx, user: user, action: "order.create", subject: id) }
            try tx.putMallShipTo(
                MallShipToRow(order: id, member: member, name: ship.name, phone: ship.phone, address: ship.address))
            try tx.removeMallCartLines(member: member, skus: cart.map(\.sku))
            try tx.putMallCheckout(member: member, token: checkout.token, order: id)
            return id
        }
    }

    /// The ship-to address of one of the member's orders (nil when it has none).
    public func shipTo(order: String) throws(NodeError) -> MallShipToRow? {
        let row = try node.read { r in try r.mallShipTo(order: order) }
        guard let row else { return nil }
        try requireOwn(row.member, "order \(order)")
        return row
    }
}
