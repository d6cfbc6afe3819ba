import Commerce
import Replication
import Storage

extension Payments {
    /// The sandbox provider, with central's secret (made on first use).
    public func sandboxProvider() throws(NodeError) -> SandboxPaymentProvider {
        try requireCentral("mall payments")
        if let kept = try read({ r in try r.meta(Self.sandboxSecretKey) }) {
            return SandboxPaymentProvider(secret: kept)
        }
        let secret: String = try write { tx in
            if let kept = try tx.reader.meta(Self.sandboxSecretKey) { return kept }
            let made = Tokens.generate()
            try tx.setMeta(Self.sandboxSecretKey, made)
            return made
        }
        return SandboxPaymentProvider(secret: secret)
    }

    /// Starts a payment of what `member`'s pending order still owes, with `provider` as `method`
    /// (one of the provider's); the member's browser goes to the provider's `payURL` next.
    public func start(order id: String, member: String, provider: any PaymentProvider, method: PaymentMethod)
        throws(NodeError) -> MallPaymentRow
    {
        try requireCentral("mall payments")
        guard provider.methods.contains(method) else {
            throw NodeError(
                .invalidInput,
                "\(Field.method) \(method.rawValue) is not paid through \(provider.name); choose \(provider.methods.map(\.rawValue).joined(separator: " or "))"
            )
        }
        return try write { tx in
            _ = try check(.sell, tx.reader)
            let order = try Self.payableOrder(id, member: member, tx.reader)
            let row = MallPaymentRow(
                id: tx.newID("MP"), order: id, member: member, provider: provider.name, method: method.rawValue,
                amount_cents: order.total_cents - order.paid_cents, state: "created", created_at: tx.nowMillis)
            try tx.insertMallPayment(row)
            return row
        }
    }

    /// Pays `member`'s pending order at once from their stored value (the whole amount due; the
    /// balance must cover it), recorded as a `stored` mall payment.
    public func payStored(order id: String, member: String) throws(NodeError) -> MallPaymentRow {
        try requireCentral("mall payments")
        return try write(.sell, "order.pay", subject: id) { tx in
            let order = try Self.payableOrder(id, member: member, tx.reader)
            let row = MallPaymentRow(
                id: tx.newID("MP"), order: id, member: member, provider: "stored",
                method: PaymentMethod.stored.rawValue,
                amount_cents: order.total_cents - order.paid_cents, state: "paid", created_at: tx.nowMillis,
                notified_at: tx.nowMillis)
            try node.orders.transitionStep(&tx, order: id, to: .paid, method: .stored, payReference: row.id)
            try tx.insertMallPayment(row)
            return row
        }
    }

    /// Handles a provider's notification: checks the signature (refused, nothing recorded, when
    /// it does not match), that it names a payment of this provider with its order and amount,
    /// then settles it exactly once in one transaction: a success pays the order (a repeat
    /// answers ``PaymentNotifyOutcome/alreadySettled(state:)``); a success for an order that is
    /// no longer pending is kept as a refund due; a failure marks the payment failed.
    public func notify(_ notification: PaymentNotification, signature: String, provider: any PaymentProvider)
        throws(NodeError) -> PaymentNotifyOutcome
    {
        try requireCentral("mall payments")
        guard provider.verify(notification, signature: signature) else {
            throw NodeError(.unauthorized, "the notification's \(Field.signature) does not match; nothing was recorded")
        }
        let n = notification
        return try write { tx in
            guard let p = try tx.mallPayment(n.payment), p.provider == provider.name else {
                throw NodeError(.notFound, "\(Field.payment) \(n.payment) is unknown here")
            }
            guard p.order == n.order, p.amount_cents == n.amountCents else {
                throw NodeError(
                    .invalidInput,
                    "the notification's \(Field.order) or \(Field.amount) does not match payment \(p.id) (\(p.order), \(Money(cents: p.amount_cents))); nothing was recorded"
                )
            }
            switch (n.result, p.state) {
            case (_, "paid"), (_, "refund_due"):
                return .alreadySettled(state: p.state)
            case (.failed, "failed"):
                return .alreadySettled(state: p.state)
            case (.failed, _):
                try tx.settleMallPayment(p.id, state: "failed", providerTxn: n.transaction, note: nil)
                return .failed
            case (.paid, _):
                let order = try Orders.requireOrder(p.order, tx.reader)
                guard order.status == OrderStatus.pending.rawValue, let method = PaymentMethod(rawValue: p.method)
                else {
                    let reason =
                        order.status == OrderStatus.cancelled.rawValue ? "order cancelled" : "order already paid"
                    try tx.settleMallPayment(p.id, state: "refund_due", providerTxn: n.transaction, note: reason)
                    var payload = ""
                    JSONValue.object([
                        "payment": .string(p.id), "order": .string(p.order), "amount_cents": .int(p.amount_cents),
                        "provider": .string(p.provider), "txn": n.transaction.map(JSONValue.string) ?? .null,
                        "reason": .string(reason),
                    ]).write(into: &payload)
                    try tx.enqueue(topic: "payment.refund_due", subject: p.order, payload: payload)
                    return .refundDue(reason: reason)
                }
                try node.orders.transitionStep(&tx, order: p.order, to: .paid, method: method, payReference: p.id)
                try tx.settleMallPayment(p.id, state: "paid", providerTxn: n.transaction, note: nil)
                try audit(&tx, user: "gateway:\(provider.name)", action: "order.pay", subject: p.order)
                return .paid(order: p.order)
            }
        }
    }

    /// A mall payment by id.
    public func payment(_ id: String) throws(NodeError) -> MallPaymentRow {
        guard let row = try read({ r in try r.mallPayment(id) }) else {
            throw NodeError(.notFound, "\(Field.payment) \(id) is unknown here")
        }
        return row
    }

    /// The mall payments of an order, oldest first.
    public func payments(order: String) throws(NodeError) -> [MallPaymentRow] {
        try read { r in try r.mallPayments(order: order) }
    }

    /// Mall payments, or those in `state` (`refund_due`: money to send back), newest first.
    public func list(state: String? = nil, limit: Int = 100) throws(NodeError) -> [MallPaymentRow] {
        if let state, !["created", "paid", "failed", "refund_due"].contains(state) {
            throw NodeError(.invalidInput, "\(Field.status) must be created, paid, failed or refund_due")
        }
        return try read { r in try r.mallPayments(state: state, limit: max(1, min(limit, 10_000))) }
    }

    /// `member`'s order, pending with something left to pay.
    static func payableOrder(_ id: String, member: String, _ r: StoreReader) throws -> OrderView {
        let order = try Orders.requireOrder(id, r)
        guard order.member == member else { throw NodeError(.notFound, "order \(id) is not one of yours") }
        guard order.status == OrderStatus.pending.rawValue else {
            throw NodeError(.conflict, "order \(id) is \(order.status); only a pending order is paid")
        }
        guard order.total_cents > order.paid_cents else {
            throw NodeError(.conflict, "order \(id) has nothing left to pay")
        }
        return order
    }
}
