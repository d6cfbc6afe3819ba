/// Where an order is in its life.
///
/// POS orders go pending → paid → completed at the counter; online orders go
/// pending → paid → shipped → completed. `refunded` is derived when refunds reach the amount
/// paid. `cancelled` is reachable only before payment.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case pending, paid, shipped, completed, cancelled, refunded

    /// The rank of a fact status (how far the order has really gone); nil for intentions.
    public var factRank: Int? {
        switch self {
        case .pending: return 0
        case .paid: return 1
        case .shipped: return 2
        case .completed: return 3
        case .cancelled, .refunded: return nil
        }
    }

    /// States a local use case may move to from here.
    public var allowedNext: [OrderStatus] {
        switch self {
        case .pending: return [.paid, .cancelled]
        case .paid: return [.shipped, .completed]
        case .shipped: return [.completed]
        case .completed, .cancelled, .refunded: return []
        }
    }

    /// Checks a transition requested by a user; the error names the current state.
    public func check(transitionTo next: OrderStatus, order: String) throws(CommerceError) {
        guard allowedNext.contains(next) else {
            let hint =
                self == .paid && next == .cancelled
                ? " A paid order cannot be cancelled; refund it with `fenxiao order refund`." : ""
            throw CommerceError(
                .illegalTransition, "order \(order) is \(rawValue); it cannot become \(next.rawValue).\(hint)")
        }
    }
}

/// How the customer paid. `wallet` is a third-party e-wallet; `stored` is the member's own
/// stored value (储值), debited from their wallet ledger.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case cash, card, wallet, qrpay, stored
    /// WeChat Pay (微信支付) and Alipay (支付宝): separate methods, so reports and the till's
    /// Z report show each.
    case wechat, alipay
}

/// Where the order was taken.
public enum SalesChannel: String, Sendable, Codable, CaseIterable {
    case pos, online
}

/// One line of an order, priced.
public struct OrderLine: Sendable, Equatable, Codable {
    public var line: Int
    public var sku: String
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money
    /// Discount allocated to this line (promotions and the order-level share), in fen.
    public var discount: Money

    public init(line: Int, sku: String, name: String, quantity: Int64, unitPrice: Money, discount: Money = .zero) {
        self.line = line
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
    }

    public var gross: Money { unitPrice * quantity }
    public var net: Money { gross - discount }
}

/// A requested line before pricing: `SKU:QTY` as typed at the counter.
public struct LineRequest: Sendable, Equatable {
    public var sku: String
    public var quantity: Int64

    public init(sku: String, quantity: Int64) {
        self.sku = sku
        self.quantity = quantity
    }

    /// Parses `TEA-01:3`. The quantity must be a whole number from 1 to 9,999.
    public init(parsing text: String) throws(CommerceError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, SKUCode(String(parts[0])) != nil else {
            throw CommerceError(.invalidInput, "line '\(text)' is not SKU:QTY (for example TEA-01:2)")
        }
        guard parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let qty = Int64(parts[1]) else {
            throw CommerceError(.invalidQuantity, "line '\(text)': quantity '\(parts[1])' is not a whole number")
        }
        guard qty > 0, qty <= 9_999 else {
            throw CommerceError(.invalidQuantity, "line '\(text)': quantity must be between 1 and 9999")
        }
        self.sku = String(parts[0])
        self.quantity = qty
    }
}
