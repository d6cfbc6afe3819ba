/// How a refund goes back: **by the method of each payment**.
///
/// The points share is pro-rated cumulatively (points due once `R` of the `paid` total is
/// refunded = points used × R ÷ paid, all of them at a full refund). The rest is money, and
/// money goes back to the order's money payments **in the order they were recorded** (the
/// first payment first), each up to its amount: a waterfall over cumulative money refunded,
/// so the split never depends on how the refunds were cut. A payment by stored value (`stored`)
/// is credited back to the member's stored value; cash, card, wallet and QR payments are paid
/// back by the store through the same channel.
public enum RefundSplit {
    /// A payment of the order, in the stated order.
    public struct Payment: Sendable, Equatable {
        public var id: String
        /// `cash`, `card`, `wallet`, `qrpay`, `stored` or `points`.
        public var method: String
        public var amount: Int64
        public init(id: String, method: String, amount: Int64) {
            self.id = id
            self.method = method
            self.amount = amount
        }
    }

    /// One part of a refund: how much goes back by which method (and to which payment).
    public struct Part: Sendable, Equatable {
        public var method: String
        public var payment: String?
        public var amount: Int64
        public init(method: String, payment: String?, amount: Int64) {
            self.method = method
            self.payment = payment
            self.amount = amount
        }
    }

    /// Splits a refund of `value` of an order whose payments are `payments` (points included),
    /// given what was refunded before (`refundedBefore`, of which `pointsBefore` went back as
    /// points). The parts sum to `value`; zero parts are left out.
    public static func split(value: Int64, payments: [Payment], refundedBefore: Int64, pointsBefore: Int64) -> [Part] {
        guard value > 0 else { return [] }
        let paid = payments.reduce(0) { $0 + $1.amount }
        let byPoints = payments.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount }
        let pointsDue = ProRata.due(byPoints, done: refundedBefore + value, of: paid)
        let points = min(value, max(0, pointsDue - pointsBefore))
        var parts: [Part] = []
        if points > 0 { parts.append(Part(method: "points", payment: nil, amount: points)) }
        var money = value - points
        var position = max(0, refundedBefore - pointsBefore)  // money refunded before
        var start: Int64 = 0
        let moneyPayments = payments.filter { $0.method != "points" && $0.amount > 0 }
        for p in moneyPayments where money > 0 {
            let end = start + p.amount
            defer { start = end }
            guard position < end else { continue }
            let take = min(money, end - position)
            parts.append(Part(method: p.method, payment: p.id, amount: take))
            money -= take
            position += take
        }
        if money > 0 {
            // More than the money payments hold (only when refunds raced offline): the rest
            // goes back by the last money payment's method, or as cash when there is none.
            let last = moneyPayments.last
            if let i = parts.lastIndex(where: { $0.payment != nil && $0.payment == last?.id }) {
                parts[i].amount += money
            } else {
                parts.append(Part(method: last?.method ?? "cash", payment: last?.id, amount: money))
            }
        }
        return parts
    }
}
