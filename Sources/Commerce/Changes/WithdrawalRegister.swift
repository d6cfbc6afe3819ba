import Replication

/// The `withdrawal` register: a distributor's request to take out commission, then its
/// approval or rejection (head office) and its payout or failure. Each step writes its status
/// and the instant as `<status>_at`. As a change it is a patch.
public struct WithdrawalRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case distributor, method, status, reference, reason
        case amount = "amount_cents"
        case fee = "fee_cents"
        case feeMode = "fee_mode"
        case requestedAt = "requested_at"
        case approvedAt = "approved_at"
        case rejectedAt = "rejected_at"
        case paidAt = "paid_at"
        case failedAt = "failed_at"
    }
    /// Where a withdrawal stands: requested → approved or rejected; approved → paid or failed.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case requested, approved, rejected, paid, failed

        /// The field recording when the withdrawal reached this status.
        public var atField: Field {
            switch self {
            case .requested: .requestedAt
            case .approved: .approvedAt
            case .rejected: .rejectedAt
            case .paid: .paidAt
            case .failed: .failedAt
            }
        }
    }
    /// How the money is paid out.
    public typealias Method = WithdrawalMethod
    public static let kind = EntityKind.withdrawal

    public var distributor: String?
    /// The amount asked for.
    public var amount: Money?
    public var fee: Money?
    /// Absent on records that predate fee modes (their fee was on top).
    public var feeMode: WithdrawalFeeMode?
    public var method: Method?
    public var status: Status?
    /// When the withdrawal reached each status.
    public var at: [Status: Int64]
    /// The payout's bank or payment reference.
    public var reference: String?
    public var reason: String?

    public init(
        distributor: String? = nil, amount: Money? = nil, fee: Money? = nil, feeMode: WithdrawalFeeMode? = nil,
        method: Method? = nil, status: Status? = nil, at: [Status: Int64] = [:], reference: String? = nil,
        reason: String? = nil
    ) {
        self.distributor = distributor
        self.amount = amount
        self.fee = fee
        self.feeMode = feeMode
        self.method = method
        self.status = status
        self.at = at
        self.reference = reference
        self.reason = reason
    }

    /// A step: the withdrawal becomes `status` at `millis`.
    public static func step(_ status: Status, atMillis millis: Int64, reference: String? = nil, reason: String? = nil)
        -> WithdrawalRegister
    {
        WithdrawalRegister(status: status, at: [status: millis], reference: reference, reason: reason)
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        distributor = try f.optionalString(.distributor)
        amount = try f.optionalInt(.amount).map(Money.init(cents:))
        fee = try f.optionalInt(.fee).map(Money.init(cents:))
        feeMode = try f.optionalChoice(.feeMode)
        method = try f.optionalChoice(.method)
        status = try f.optionalChoice(.status)
        at = [:]
        for s in Status.allCases {
            if let millis = try f.optionalInt(s.atField) { at[s] = millis }
        }
        reference = try f.optionalString(.reference)
        reason = try f.optionalString(.reason)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.distributor, distributor)
        f.set(.amount, amount?.cents)
        f.set(.fee, fee?.cents)
        f.set(.feeMode, feeMode)
        f.set(.method, method)
        f.set(.status, status)
        for (s, millis) in at { f.set(s.atField, millis) }
        f.set(.reference, reference)
        f.set(.reason, reason)
    }

    /// The money: amount, fee and where the fee comes from (on top for records without a mode).
    public var split: WithdrawalSplit {
        WithdrawalSplit(amount: amount?.cents ?? 0, fee: fee?.cents ?? 0, mode: feeMode ?? .onTop)
    }
}
