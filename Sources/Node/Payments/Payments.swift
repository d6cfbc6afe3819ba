import Commerce
import Replication
import Storage

/// The mall's payments (central only): a payment started with a provider for a pending online
/// order, its notifications, and paying from the member's stored value. Each payment is a row
/// of `mall_payments` (schema 20, central-only bookkeeping); the order's own payment is the
/// replicated payment its transition to paid records, in the same transaction as the row turns
/// `paid`, so the two never disagree.
public struct Payments: NodeFeature {
    let node: FenxiaoNode

    /// Where central keeps the sandbox's signing secret (node-local meta).
    static let sandboxSecretKey = "mall_payment_secret.sandbox"
}

extension FenxiaoNode {
    /// The mall's payments (see ``Payments``).
    public var payments: Payments { Payments(node: self) }
}
