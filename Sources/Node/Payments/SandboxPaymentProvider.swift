import Commerce
import Crypto
import Foundation
import Storage

/// The sandbox gateway: stands in for WeChat Pay and Alipay until a real one is configured. Its
/// cashier page (`/mall/pay/sandbox/<payment>`) lets the member "pay" or "fail"; either button
/// sends the signed notification a real gateway would send, to the same notify path.
///
/// Signature: HMAC-SHA256 keyed with central's sandbox secret over
/// ``PaymentNotification/canonical``, as lowercase hex (`X-Fenxiao-Signature` header). The secret
/// is made on first use and kept in central's node-local meta (never replicated, never shown).
public struct SandboxPaymentProvider: PaymentProvider {
    public static let providerName = "sandbox"
    public var name: String { Self.providerName }
    /// The sandbox settles as WeChat Pay or Alipay (the order's payment method is the wallet
    /// the member picked, so reports and the Z report count it there, as at the counter).
    public var methods: [PaymentMethod] { [.wechat, .alipay] }
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made per signature).
    let secret: [UInt8]

    public init(secret: String) { self.secret = Array(secret.utf8) }

    public func payURL(_ payment: MallPaymentRow) -> String { "/mall/pay/sandbox/\(payment.id)" }

    /// The lowercase hex HMAC-SHA256 of the notification's canonical text.
    public func sign(_ notification: PaymentNotification) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(notification.canonical.utf8), using: SymmetricKey(data: secret))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares in constant time.
    public func verify(_ notification: PaymentNotification, signature: String) -> Bool {
        let expected = Array(sign(notification).utf8), given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A notification the sandbox's cashier page sends for `payment` with `result` (a fresh
    /// nonce; a transaction id on success), signed.
    public func notification(for payment: MallPaymentRow, result: PaymentResult) -> (PaymentNotification, String) {
        let nonce = String(Tokens.generate().prefix(16))
        let n = PaymentNotification(
            payment: payment.id, order: payment.order, amountCents: payment.amount_cents, result: result,
            nonce: nonce, transaction: result == .paid ? "SBX-\(nonce.uppercased())" : nil)
        return (n, sign(n))
    }
}
