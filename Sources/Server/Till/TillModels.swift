import Commerce
import Node
import Storage

/// The till's JSON API values: what the counter page sends and receives. Each request is
/// decoded strictly (an unknown method or a missing field is a 400 naming the field) and turned
/// into the same use-case request the CLI builds.
public enum TillAPI {
    /// One cart line as the counter holds it.
    public struct CartLine: Codable, Sendable, Equatable {
        public var sku: String
        public var qty: Int64
        public init(sku: String, qty: Int64) { (self.sku, self.qty) = (sku, qty) }
    }

    /// A cart to price (`POST /till/api/quote`).
    public struct Cart: Codable, Sendable, Equatable {
        public var lines: [CartLine]
        public var member: String?
        public var coupon: String?
        /// Points the member redeems (100 points = ¥1).
        public var points: Int64?
        public init(lines: [CartLine], member: String? = nil, coupon: String? = nil, points: Int64? = nil) {
            (self.lines, self.member, self.coupon, self.points) = (lines, member, coupon, points)
        }

        /// The use case's request.
        func orderRequest(pay: PaymentMethod?) -> OrderRequest {
            var request = OrderRequest(
                lines: lines.map { LineRequest(sku: $0.sku, quantity: $0.qty) }, member: blankToNil(member),
                coupon: blankToNil(coupon),
                pay: pay)
            request.points = points ?? 0
            return request
        }
    }

    /// The priced cart with the engine's explanation in the till's language, and what the
    /// member may redeem.
    public struct Quote: Codable, Sendable, Equatable {
        public var lines: [OrderLine]
        public var subtotal_cents: Int64
        public var total_cents: Int64
        public var discounts: [Discount]
        /// Gifts with purchase the cart earns (zero-price lines).
        public var gifts: [Gift]
        public var skipped: [Skipped]
        /// Why the coupon offered was not applied.
        public var coupon_rejection: String?
        /// The member's spendable points here (nil without a member).
        public var points_available: Int64?
        /// Most points this order can take (the points rules' cap), nil without a member.
        public var points_cap: Int64?
        /// What is left to pay after the points redeemed.
        public var due_cents: Int64
    }

    /// One discount of a quote, its sentence in the till's language (`PricingText`).
    public struct Discount: Codable, Sendable, Equatable {
        /// `promotion:ID` or `coupon:CODE`.
        public var source: String
        public var description: String
        public var amountCents: Int64
        public var allocation: [PricingEngine.Discount.Share]
    }

    /// A gift with purchase, explained in the till's language.
    public struct Gift: Codable, Sendable, Equatable {
        public var source: String
        public var description: String
        public var line: OrderLine
    }

    /// A promotion that took nothing off, with the reason in the till's language.
    public struct Skipped: Codable, Sendable, Equatable {
        public var source: String
        public var reason: String
    }

    /// One payment of a sale; several make a split payment.
    public struct Payment: Codable, Sendable, Equatable {
        public var method: PaymentMethod
        public var amount_cents: Int64
        /// Cash handed over (cash only): the change due is what exceeds the amount.
        public var tendered_cents: Int64?
        /// Card or wallet transaction reference.
        public var reference: String?
        public init(method: PaymentMethod, amount_cents: Int64, tendered_cents: Int64? = nil, reference: String? = nil)
        {
            (self.method, self.amount_cents, self.tendered_cents, self.reference) = (
                method, amount_cents, tendered_cents, reference
            )
        }
    }

    /// A sale (`POST /till/api/sales`).
    public struct Sale: Codable, Sendable, Equatable {
        public var cart: Cart
        public var payments: [Payment]
        public init(cart: Cart, payments: [Payment]) { (self.cart, self.payments) = (cart, payments) }
    }

    /// The sale made: the order, the change to hand back and where its receipt is.
    public struct SaleDone: Codable, Sendable, Equatable {
        public var order: OrderView
        public var change_cents: Int64
        public var receipt_url: String
    }

    /// A quick registration at the counter: the system assigns the id.
    public struct NewMember: Codable, Sendable, Equatable {
        public var phone: String
        public var name: String?
    }

    /// A refund of some lines (`POST /till/api/orders/{id}/refund`).
    public struct Refund: Codable, Sendable, Equatable {
        public struct Line: Codable, Sendable, Equatable {
            public var line: Int
            public var qty: Int64
        }
        public var lines: [Line]
        public var restock: Bool
        public var reason: String?
        /// A manager who approves a refund above the cashier's limit, on the same screen.
        public var manager: Approval?
    }

    /// A manager's user id and PIN.
    public struct Approval: Codable, Sendable, Equatable {
        public var user: String
        public var pin: String
    }

    /// A login at the till (`POST /till/api/login`); the till is the browser's enrolment cookie.
    public struct Login: Codable, Sendable, Equatable {
        public var user: String
        public var pin: String
        public init(user: String, pin: String) { (self.user, self.pin) = (user, pin) }
    }

    /// A shift opened with the float in the drawer (`POST /till/api/shift/open`).
    public struct OpenShift: Codable, Sendable, Equatable {
        public var float_cents: Int64
        public init(float_cents: Int64) { self.float_cents = float_cents }
    }

    /// Cash in / cash out of the open shift (`POST /till/api/shift/cash`): `direction` `in` or
    /// `out`, a positive amount, a reason.
    public struct CashMove: Codable, Sendable, Equatable {
        public var direction: String
        public var amount_cents: Int64
        public var reason: String
        public init(direction: String, amount_cents: Int64, reason: String) {
            self.direction = direction
            self.amount_cents = amount_cents
            self.reason = reason
        }
    }

    /// Closing the open shift (`POST /till/api/shift/close`): the counts, and a manager's id and
    /// PIN when the cash difference is above the store's approval threshold.
    public struct CloseShift: Codable, Sendable, Equatable {
        public var cash_cents: Int64
        public var counted: [String: Int64]?
        public var manager: String?
        public var manager_pin: String?
        public init(
            cash_cents: Int64, counted: [String: Int64]? = nil, manager: String? = nil, manager_pin: String? = nil
        ) {
            self.cash_cents = cash_cents
            self.counted = counted
            self.manager = manager
            self.manager_pin = manager_pin
        }
    }

    /// An exchange (`POST /till/api/orders/{id}/exchange`): lines returned, a new cart sold
    /// and paid in one step.
    public struct Exchange: Codable, Sendable, Equatable {
        public var lines: [Refund.Line]
        public var restock: Bool
        public var reason: String?
        public var cart: Cart
        public var payments: [Payment]
        public var manager: Approval?
    }
}

func blankToNil(_ text: String?) -> String? {
    guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    return text.trimmingCharacters(in: .whitespaces)
}
