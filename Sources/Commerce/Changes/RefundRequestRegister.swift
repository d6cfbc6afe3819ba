import Replication

/// The `refund_request` register (in the order's store scope): a customer's refund or return
/// waiting for someone whose role may refund it, then the decision. The request always writes
/// `amount_cents` and `reason`, `null` when not given (`request(…)`); a field in `cleared` is
/// written as `null`.
public struct RefundRequestRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case order, restock, reason, status, note
        case amount = "amount_cents"
        case decidedBy = "decided_by"
    }
    /// Where a request stands.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case requested, approved, rejected
    }
    public static let kind = EntityKind.refundRequest

    public var order: String?
    /// The amount asked back; nil (and `amount_cents` cleared) for what is left of the order.
    public var amount: Money?
    /// Whether the goods come back into stock.
    public var restock: Bool?
    public var reason: String?
    public var status: Status?
    /// The user who decided.
    public var decidedBy: String?
    public var note: String?
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(
        order: String? = nil, amount: Money? = nil, restock: Bool? = nil, reason: String? = nil, status: Status? = nil,
        decidedBy: String? = nil, note: String? = nil, cleared: Set<Field> = []
    ) {
        self.order = order
        self.amount = amount
        self.restock = restock
        self.reason = reason
        self.status = status
        self.decidedBy = decidedBy
        self.note = note
        self.cleared = cleared
    }

    /// A new request: every request field, `amount_cents` and `reason` as `null` when not given.
    public static func request(order: String, amount: Money?, restock: Bool, reason: String?) -> RefundRequestRegister {
        var cleared: Set<Field> = []
        if amount == nil { cleared.insert(.amount) }
        if reason == nil { cleared.insert(.reason) }
        return RefundRequestRegister(
            order: order, amount: amount, restock: restock, reason: reason, status: .requested, cleared: cleared)
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        order = try f.optionalString(.order)
        amount = try f.optionalInt(.amount).map(Money.init(cents:))
        restock = try f.optionalBool(.restock)
        reason = try f.optionalString(.reason)
        status = try f.optionalChoice(.status)
        decidedBy = try f.optionalString(.decidedBy)
        note = try f.optionalString(.note)
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.order, order)
        f.set(.amount, amount?.cents)
        f.set(.restock, restock)
        f.set(.reason, reason)
        f.set(.status, status)
        f.set(.decidedBy, decidedBy)
        f.set(.note, note)
        for field in cleared { f.set(field, JSONValue.null) }
    }
}
