import Commerce
import Replication
import Storage

/// How customers get bound to distributors and how applications are approved.
public struct DistributionSettings: Sendable, Equatable, Codable {
    /// Days a binding is locked against re-binding to another distributor.
    public var lock_days: Int64 = 30
    /// `referral_code` (only `distributor bind`), `first_purchase` (only an order placed through
    /// a distributor's link binds an unbound customer) or `both`.
    public var binding: String = "both"
    /// Applications from members who spent at least this much are approved automatically by
    /// head office (nil = every application is reviewed by hand).
    public var auto_approve_spend_cents: Int64?
    /// The most commission levels a rule may have (1…5, default 3: deeper schemes count as
    /// pyramid selling under Chinese law; more than 3 is allowed with a warning).
    public var max_levels: Int = 3

    public static let bindingRules = BindingRule.allCases.map(\.rawValue)
    public var bindsByCode: Bool { binding != BindingRule.firstPurchase.rawValue }
    public var bindsByFirstPurchase: Bool { binding != BindingRule.referralCode.rawValue }
}

/// How an unbound customer gets bound to a distributor.
public typealias BindingRule = SettingRegister.Distribution.Binding

/// Head office's automatic approval of distributor applications.
public enum AutoApproval: Sendable, Equatable {
    /// Every application is reviewed by hand.
    case off
    /// Applications of members who spent at least this much are approved automatically.
    case atSpend(Money)
}

extension Distribution {
    static func distributionSettings(_ r: StoreReader) throws -> DistributionSettings {
        let f = try r.setting(SettingRegister.Distribution.self)
        var s = DistributionSettings()
        if let v = f.lockDays { s.lock_days = v }
        if let v = f.binding { s.binding = v.rawValue }
        s.auto_approve_spend_cents = f.autoApproveSpend?.cents
        if let v = f.maxLevels { s.max_levels = Int(v) }
        return s
    }

    static func withdrawalRules(_ r: StoreReader) throws -> WithdrawalRules {
        try r.setting(SettingRegister.Withdrawal.self).rules
    }

    public func withdrawalRules() throws(NodeError) -> WithdrawalRules { try read { try Self.withdrawalRules($0) } }

    /// Head office changes the withdrawal rules: minimum (yuan), fees in percent, the bank
    /// fee's minimum (yuan), and whether the fee comes out of the amount (`deducted`, the
    /// default) or on top of it (`on-top`). Only the values given change.
    public func setWithdrawalRules(
        minimum: Money?, bankFeePercent: Percent?, bankFeeMinimum: Money?, thirdpartyFeePercent: Percent?,
        feeMode: WithdrawalFeeMode? = nil
    ) throws(NodeError) -> WithdrawalRules {
        var patch = SettingRegister.Withdrawal()
        patch.feeMode = feeMode
        if let minimum { patch.minimum = Money(cents: try Amounts.fen(minimum, .min, max: 10_000_000)) }
        if let bankFeePercent {
            patch.bankFeeBps = try Amounts.basisPoints(bankFeePercent, .bankFeePercent, maxPercent: 20)
        }
        if let bankFeeMinimum {
            patch.bankFeeMinimum = Money(cents: try Amounts.fen(bankFeeMinimum, .bankFeeMin, max: 10_000_000))
        }
        if let thirdpartyFeePercent {
            patch.thirdpartyFeeBps = try Amounts.basisPoints(
                thirdpartyFeePercent, .thirdpartyFeePercent, maxPercent: 20)
        }
        try saveSettings(patch, permission: .approveWithdrawals)
        return try withdrawalRules()
    }

    public func distributionSettings() throws(NodeError) -> DistributionSettings {
        try read { try Self.distributionSettings($0) }
    }

    /// Head office changes the distribution settings; only the fields given change.
    /// `autoApproveSpend` "off" turns automatic approval off.
    public func setDistributionSettings(
        lockDays: Int64?, binding: BindingRule?, autoApproveSpend: AutoApproval?, maxLevels: Int? = nil
    )
        throws(NodeError) -> DistributionSettings
    {
        var patch = SettingRegister.Distribution()
        if let maxLevels {
            guard (1...CommissionRule.maximumLevels).contains(maxLevels) else {
                throw NodeError(.invalidInput, "\(Field.maxLevels) must be 1…\(CommissionRule.maximumLevels)")
            }
            patch.maxLevels = Int64(maxLevels)
        }
        if let lockDays {
            guard (0...3650).contains(lockDays) else {
                throw NodeError(.invalidInput, "\(Field.lockDays) must be 0…3650")
            }
            patch.lockDays = lockDays
        }
        patch.binding = binding
        switch autoApproveSpend {
        case nil: break
        case .off?: patch.cleared.insert(.autoApproveSpend)
        case .atSpend(let spend)?: patch.autoApproveSpend = Money(cents: try Amounts.fen(spend, .autoApproveSpend))
        }
        try saveSettings(patch, permission: .approveDistributors)
        return try distributionSettings()
    }
}
