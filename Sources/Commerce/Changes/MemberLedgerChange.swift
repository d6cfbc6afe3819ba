import Replication

/// A `member_ledger` entry: points or stored value (`wallet`) credited (positive `delta`) or
/// debited; balances are the sum of entries (sync/PROTOCOL.md, "Ledgers").
public struct MemberLedgerChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case member, account, delta, reason, ref
        case orderClosesAt = "order_closes_at"
    }
    /// The two accounts a member holds.
    public enum Account: String, Sendable, Codable, CaseIterable {
        case points
        /// Stored value, in fen.
        case wallet
    }
    public static let kind = EntityKind.memberLedger

    public var member: String
    public var account: Account
    /// Points, or fen of stored value; negative for a debit.
    public var delta: Int64
    /// Why (`order`, `redeem`, `refund`, `topup`, `checkin`…): the write rules decide what a
    /// store may author for each.
    public var reason: String?
    /// What it belongs to: an order, a top-up's payment, a claim.
    public var ref: String?
    /// When `ref` is an order sold with an after-sale period: the last millisecond of that
    /// period (`OrderClosing.closesAtMillis`). Filled in by the writer from the order it holds
    /// and checked by central against the order; after it nothing can add to the order's
    /// entries, so a node that does not hold the order knows when they are final.
    public var orderClosesAt: Int64?

    public init(
        member: String, account: Account, delta: Int64, reason: String?, ref: String?, orderClosesAt: Int64? = nil
    ) {
        self.member = member
        self.account = account
        self.delta = delta
        self.reason = reason
        self.ref = ref
        self.orderClosesAt = orderClosesAt
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        member = try f.string(.member)
        let text = try f.string(.account)
        guard let account = Account(rawValue: text) else { throw f.fail(.account, "must be 'points' or 'wallet'") }
        self.account = account
        delta = try f.int(.delta)
        reason = try f.optionalString(.reason)
        ref = try f.optionalString(.ref)
        orderClosesAt = try f.optionalInt(.orderClosesAt)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.member, member)
        f.set(.account, account)
        f.set(.delta, delta)
        f.set(.reason, reason)
        f.set(.ref, ref)
        f.set(.orderClosesAt, orderClosesAt)
    }
}
