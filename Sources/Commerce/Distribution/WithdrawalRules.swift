/// Head office's rules for commission withdrawals: the minimum amount and the fee per method.
/// Fees are basis points of the amount, rounded half-up to the fen; a bank transfer costs at
/// least `bank_fee_min_cents`; stored value and cash at a store are free.
public struct WithdrawalRules: Sendable, Equatable, Codable {
    public var min_cents: Int64 = 1000
    public var bank_fee_bps: Int64 = 100
    public var bank_fee_min_cents: Int64 = 100
    public var thirdparty_fee_bps: Int64 = 60

    public init() {}

    public static let methods = ["bank", "thirdparty", "stored_value", "cash"]

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
}
