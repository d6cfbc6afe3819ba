import Replication

/// The per-line refund rule: per order line, refunded units ≤ sold units and refunded money ≤
/// what was paid for the line. Money for some units is computed cumulatively — the units
/// refunded so far are worth `paid × units ÷ sold` (rounded half-up) and the last unit takes the
/// remainder — so refunding a line unit by unit sums exactly to the line's paid amount.
public enum LineRefunds {
    /// An order line as sold: units and the money paid for them (its net after discounts).
    public struct SoldLine: Sendable, Equatable {
        public var line: Int
        public var qty: Int64
        public var paid: Int64
        public init(line: Int, qty: Int64, paid: Int64) {
            self.line = line
            self.qty = qty
            self.paid = paid
        }
    }

    /// Units and money of one line that one refund returned.
    public struct Entry: Sendable, Equatable {
        public var refund: String
        public var line: Int
        public var qty: Int64
        public var amount: Int64
        public var stamp: ChangeStamp
        public init(refund: String, line: Int, qty: Int64, amount: Int64, stamp: ChangeStamp) {
            self.refund = refund
            self.line = line
            self.qty = qty
            self.amount = amount
            self.stamp = stamp
        }
    }

    /// The money for refunding `qty` more units of `line` when `refundedQty` units and
    /// `refundedAmount` were already refunded. Throws when the units are more than are left.
    public static func amount(
        for qty: Int64, of line: SoldLine, refundedQty: Int64, refundedAmount: Int64, order: String
    ) throws(CommerceError) -> Int64 {
        let left = max(0, line.qty - refundedQty)
        guard qty <= left else {
            throw CommerceError(
                .refundExceedsPaid,
                "line \(line.line) of order \(order) has \(left) of its \(line.qty) units left to refund (asked \(qty)); the order shows what each line has left"
            )
        }
        let due = ProRata.dueRounded(line.paid, done: refundedQty + qty, of: line.qty)
        return max(0, due - refundedAmount)
    }

    /// Conflict records for lines whose refunds, merged from every node in stamp order, exceed
    /// the units sold or the money paid for the line (two stores refunded the same line offline).
    public static func conflicts(order: String, lines: [SoldLine], entries: [Entry], scope: Scope) -> [ConflictRecord] {
        let sold = Dictionary(lines.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        var qty: [Int: Int64] = [:]
        var money: [Int: Int64] = [:]
        var out: [ConflictRecord] = []
        for e in entries.sorted(by: { ($0.stamp, $0.line) < ($1.stamp, $1.line) }) {
            guard let line = sold[e.line] else { continue }
            let qtyBefore = qty[e.line, default: 0], moneyBefore = money[e.line, default: 0]
            qty[e.line] = qtyBefore + e.qty
            money[e.line] = moneyBefore + e.amount
            let extraUnits = max(0, qtyBefore + e.qty - max(qtyBefore, line.qty))
            let extraMoney = max(0, moneyBefore + e.amount - max(moneyBefore, line.paid))
            guard extraUnits > 0 || extraMoney > 0 else { continue }
            out.append(
                ConflictRecord(
                    .lineRefundExceedsSold(
                        refund: e.refund, at: e.stamp.origin.rawValue, order: order, line: e.line,
                        extraUnits: extraUnits,
                        extraCents: extraMoney, soldUnits: line.qty, paidCents: line.paid),
                    subject: "order:\(order)#\(e.line)", winner: nil, loser: e.stamp.changeID, amount: extraMoney,
                    unit: "cents", scope: scope, createdHLC: e.stamp.hlc))
        }
        return out
    }
}
