/// Head office's rules for commission withdrawals: the minimum amount, the fee per method and
/// whether the fee comes out of the amount or on top of it.
/// Fees are basis points of the amount, rounded half-up to the fen; a bank transfer costs at
/// least `bank_fee_min_cents`; stored value and cash at a store are free.
public struct WithdrawalRules: Sendable, Equatable, Codable {
    public var min_cents: Int64 = 1000
    public var bank_fee_bps: Int64 = 100
    public var bank_fee_min_cents: Int64 = 100
    public var thirdparty_fee_bps: Int64 = 60
    /// Where the fee comes from; by default out of the amount, so the whole balance can be withdrawn.
    public var fee_mode: WithdrawalFeeMode = .deducted

    public init() {}

    public static let methods = WithdrawalMethod.allCases.map(\.rawValue)

    /// The fee of withdrawing `amount` by `method`, or nil for an unknown method.
    public func fee(amount: Int64, method: String) -> Int64? {
        func bps(_ rate: Int64) -> Int64 { Int64((Int128(amount) * Int128(rate) + 5_000) / 10_000) }
        switch method {
        case "bank": return max(bank_fee_min_cents, bps(bank_fee_bps))
        case "thirdparty": return bps(thirdparty_fee_bps)
        case "stored_value", "cash": return 0
        default: return nil
        }
    }

    /// How a withdrawal of `amount` by `method` splits under these rules, or nil for an unknown
    /// method. The fee is always computed on `amount`, the figure the distributor asked for.
    public func split(amount: Int64, method: String) -> WithdrawalSplit? {
        guard let fee = fee(amount: amount, method: method) else { return nil }
        return WithdrawalSplit(amount: amount, fee: fee, mode: fee_mode)
    }
}

/// Where a withdrawal fee comes from.
public enum WithdrawalFeeMode: String, Sendable, Equatable, Codable, CaseIterable {
    /// Out of the amount (CRMEB, likeshop): the balance goes down by the amount, the
    /// distributor receives the amount minus the fee. The default.
    case deducted
    /// On top of the amount: the balance goes down by the amount plus the fee, the distributor
    /// receives the amount. Withdrawals recorded before fee modes existed were on top.
    case onTop = "on_top"
}

/// One withdrawal's money: what leaves the balance, the fee, what the distributor receives.
/// Always `received + fee == debited`.
public struct WithdrawalSplit: Sendable, Equatable {
    /// The amount asked for, in fen.
    public var amount: Int64
    /// The fee, in fen.
    public var fee: Int64
    public var mode: WithdrawalFeeMode

    public init(amount: Int64, fee: Int64, mode: WithdrawalFeeMode) {
        self.amount = amount
        self.fee = fee
        self.mode = mode
    }

    /// What leaves the distributor's balance.
    public var debited: Int64 { mode == .deducted ? amount : amount + fee }
    /// What is paid out to the distributor.
    public var received: Int64 { mode == .deducted ? amount - fee : amount }
}

/// How a distributor's commission is paid out.
public enum WithdrawalMethod: String, Sendable, Equatable, Codable, CaseIterable {
    /// A bank transfer (a fee by `bank_fee_bps`, at least `bank_fee_min_cents`).
    case bank
    /// A third-party wallet (a fee by `thirdparty_fee_bps`).
    case thirdparty
    /// Into the distributor's stored value as a member (free).
    case storedValue = "stored_value"
    /// Cash at a store (free).
    case cash
}

extension WithdrawalRules {
    /// The fee of withdrawing `amount` by `method`.
    public func fee(amount: Int64, method: WithdrawalMethod) -> Int64 {
        fee(amount: amount, method: method.rawValue) ?? 0
    }

    /// How a withdrawal of `amount` by `method` splits under these rules.
    public func split(amount: Int64, method: WithdrawalMethod) -> WithdrawalSplit {
        WithdrawalSplit(amount: amount, fee: fee(amount: amount, method: method), mode: fee_mode)
    }
}

/// A step of a withdrawal's settlement: head office approves or rejects a request, then the
/// payout is recorded as paid or failed.
public enum WithdrawalStep: String, Sendable, Equatable, Codable, CaseIterable {
    case approved, rejected, paid, failed
}
