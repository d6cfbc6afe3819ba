import Commerce
import Replication
import Storage

/// A payment gateway the mall hands an online order to (WeChat Pay, Alipay, or the sandbox that
/// stands in for them): it names itself, says which order payment methods it settles, where the
/// member's browser goes to pay, and checks the signature of the notifications it sends to
/// `POST /mall/pay/notify/<name>`.
///
/// A real gateway plugs in as another conforming type (its API call to create the prepay order
/// in ``payURL(_:)``, its own signature scheme in ``verify(_:signature:)``), registered with the
/// mall; ``Payments/notify(_:signature:provider:)`` does the rest the same way for every
/// provider: pays the order exactly once, records failures, keeps late successes as refunds due.
public protocol PaymentProvider: Sendable {
    /// The provider's name: in `/mall/pay/notify/<name>` and in each payment record.
    var name: String { get }
    /// The order payment methods this provider settles (the member picks one on the pay page).
    var methods: [PaymentMethod] { get }
    /// Where the member's browser goes to pay `payment` (the gateway's cashier page).
    func payURL(_ payment: MallPaymentRow) -> String
    /// Whether `signature` is this provider's signature of `notification`.
    func verify(_ notification: PaymentNotification, signature: String) -> Bool
}

/// What a payment notification says: the payment's outcome at the provider.
public enum PaymentResult: String, Sendable, Codable, CaseIterable {
    case paid, failed
}

/// A provider's notification about one payment, as the notify path reads it (form fields or a
/// JSON object with the same names: `payment`, `order`, `amount` in fen, `result`, `nonce`,
/// and `txn`, the provider's transaction id).
public struct PaymentNotification: Sendable, Equatable {
    public var payment: String
    public var order: String
    public var amountCents: Int64
    public var result: PaymentResult
    public var nonce: String
    public var transaction: String?

    public init(
        payment: String, order: String, amountCents: Int64, result: PaymentResult, nonce: String,
        transaction: String?
    ) {
        (self.payment, self.order, self.amountCents) = (payment, order, amountCents)
        (self.result, self.nonce, self.transaction) = (result, nonce, transaction)
    }

    /// The text a signature covers: the fields in a fixed order, `name=value` joined by `&`
    /// (`txn` empty when absent).
    public var canonical: String {
        "payment=\(payment)&order=\(order)&amount=\(amountCents)&result=\(result.rawValue)&nonce=\(nonce)&txn=\(transaction ?? "")"
    }

    /// Reads a notification's fields; refuses (400, nothing recorded) a missing or malformed one.
    public static func parse(_ fields: [String: String]) throws(NodeError) -> PaymentNotification {
        func token(_ name: String, _ field: Field, optional: Bool = false) throws(NodeError) -> String? {
            guard let value = fields[name], !value.isEmpty else {
                if optional { return nil }
                throw NodeError(.invalidInput, "a payment notification needs \(field)")
            }
            guard value.utf8.count <= 64, SKUCode(value) != nil, !value.contains(".") else {
                throw NodeError(.invalidInput, "\(field) must be 1–64 letters, digits, '-' or '_'")
            }
            return value
        }
        guard let amount = fields["amount"].flatMap({ Int64($0) }), amount > 0, amount <= 10_000_000_000 else {
            throw NodeError(.invalidInput, "\(Field.amount) must be the payment's amount in fen (a positive integer)")
        }
        guard let result = fields["result"].flatMap(PaymentResult.init(rawValue:)) else {
            throw NodeError(.invalidInput, "\(Field.result) must be paid or failed")
        }
        return PaymentNotification(
            payment: try token("payment", .payment) ?? "", order: try token("order", .order) ?? "", amountCents: amount,
            result: result, nonce: try token("nonce", .nonce) ?? "",
            transaction: try token("txn", .payRef, optional: true)
        )
    }
}

/// What a verified notification did.
public enum PaymentNotifyOutcome: Sendable, Equatable {
    /// The order is now paid by this payment.
    case paid(order: String)
    /// This payment was already settled (a repeated notification): nothing changed.
    case alreadySettled(state: String)
    /// The payment failed; the order stays pending and may be paid again.
    case failed
    /// The money came in for an order already paid by another payment, or already cancelled:
    /// the payment is kept as `refund_due` (listed by `fenxiao payment list --state refund_due`,
    /// and a `payment.refund_due` outbox event), the order is not paid twice.
    case refundDue(reason: String)
}

extension Field {
    /// `order`.
    public static let order: Field = "order"
    /// `result`.
    public static let result: Field = "result"
    /// `nonce`.
    public static let nonce: Field = "nonce"
    /// `signature`.
    public static let signature: Field = "signature"
}
