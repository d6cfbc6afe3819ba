import Commerce
import Replication
import Storage

/// One part of a split payment at the counter.
public struct PaymentPart: Sendable, Equatable {
    public var method: PaymentMethod
    public var amount: Money
    /// Card or wallet transaction reference of this part.
    public var reference: String?

    public init(method: PaymentMethod, amount: Money, reference: String? = nil) {
        self.method = method
        self.amount = amount
        self.reference = reference
    }
}

extension FenxiaoNode {
    /// The counter payments of a sale: all of `due` by `method`, or the request's split parts,
    /// which must add up to exactly `due` (checked inside the sale's transaction, so a price
    /// that changed since the till's quote refuses the sale instead of charging a wrong sum).
    func emitCounterPayments(
        _ tx: inout LocalTransaction, _ req: OrderRequest, method: PaymentMethod, due: Int64, order: String, scope: Scope
    ) throws {
        guard !req.split.isEmpty else {
            try emitPayment(&tx, order: order, method: method, amount: due, scope: scope, member: req.member, reference: req.payReference)
            return
        }
        guard req.split.count <= 8 else { throw NodeError(.invalidInput, "a sale is split into at most 8 parts (\(Field.payment))") }
        var sum: Int64 = 0
        for part in req.split {
            guard part.amount.cents > 0 else {
                throw NodeError(.invalidInput, "each part of a split \(Field.payment) needs an amount above ¥0")
            }
            try Self.validatePaymentReference(part.reference)
            sum = try Checked.add(sum, part.amount.cents, "the split payment")
        }
        guard sum == due else {
            throw NodeError(
                .conflict, "the split \(Field.payment) adds up to \(Money(cents: sum)) but \(Money(cents: due)) is due; nothing was sold")
        }
        for part in req.split {
            try emitPayment(
                &tx, order: order, method: part.method, amount: part.amount.cents, scope: scope, member: req.member,
                reference: part.reference)
        }
    }
}
