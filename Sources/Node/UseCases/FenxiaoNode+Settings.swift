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

/// Points rules: the redemption cap, expiry and the reward for sharing.
public struct PointsSettings: Sendable, Equatable, Codable {
    /// The share of an order's total that points may pay, in percent.
    public var cap_percent: Int64 = 50
    /// Points expire this many days after they were earned (nil = never).
    public var expiry_days: Int64?
    /// Points for sharing a product or a campaign.
    public var share_points: Int64 = 5
    /// At most this many rewarded shares per member per day.
    public var share_daily_limit: Int64 = 3
}

extension FenxiaoNode {
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
        if let minimum { patch.minimum = Money(cents: try Self.fen(minimum, .min, max: 10_000_000)) }
        if let bankFeePercent { patch.bankFeeBps = try Self.basisPoints(bankFeePercent, .bankFeePercent, maxPercent: 20) }
        if let bankFeeMinimum { patch.bankFeeMinimum = Money(cents: try Self.fen(bankFeeMinimum, .bankFeeMin, max: 10_000_000)) }
        if let thirdpartyFeePercent {
            patch.thirdpartyFeeBps = try Self.basisPoints(thirdpartyFeePercent, .thirdpartyFeePercent, maxPercent: 20)
        }
        try saveSettings(patch, permission: .approveWithdrawals)
        return try withdrawalRules()
    }

    static func pointsSettings(_ r: StoreReader) throws -> PointsSettings {
        let f = try r.setting(SettingRegister.Points.self)
        var s = PointsSettings()
        if let v = f.capPercent { s.cap_percent = v }
        s.expiry_days = f.expiryDays
        if let v = f.sharePoints { s.share_points = v }
        if let v = f.shareDailyLimit { s.share_daily_limit = v }
        return s
    }

    static func topupBonuses(_ r: StoreReader) throws -> [TopupBonus] {
        (try r.setting(SettingRegister.Topup.self).tiers ?? []).sorted { $0.threshold_cents < $1.threshold_cents }
    }

    public func distributionSettings() throws(NodeError) -> DistributionSettings { try read { try Self.distributionSettings($0) } }
    public func pointsSettings() throws(NodeError) -> PointsSettings { try read { try Self.pointsSettings($0) } }
    public func topupBonuses() throws(NodeError) -> [TopupBonus] { try read { try Self.topupBonuses($0) } }

    /// Head office changes the distribution settings; only the fields given change.
    /// `autoApproveSpend` "off" turns automatic approval off.
    public func setDistributionSettings(lockDays: Int64?, binding: BindingRule?, autoApproveSpend: AutoApproval?, maxLevels: Int? = nil)
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
            guard (0...3650).contains(lockDays) else { throw NodeError(.invalidInput, "\(Field.lockDays) must be 0…3650") }
            patch.lockDays = lockDays
        }
        patch.binding = binding
        switch autoApproveSpend {
        case nil: break
        case .off?: patch.cleared.insert(.autoApproveSpend)
        case .atSpend(let spend)?: patch.autoApproveSpend = Money(cents: try Self.fen(spend, .autoApproveSpend))
        }
        try saveSettings(patch, permission: .approveDistributors)
        return try distributionSettings()
    }

    /// Head office changes the points rules; only the fields given change. `expiryDays` 0
    /// means points never expire.
    public func setPointsSettings(capPercent: Int64?, expiryDays: Int64?, sharePoints: Int64?, shareDailyLimit: Int64?)
        throws(NodeError) -> PointsSettings
    {
        var patch = SettingRegister.Points()
        if let capPercent {
            guard (0...100).contains(capPercent) else { throw NodeError(.invalidInput, "\(Field.capPercent) must be 0…100") }
            patch.capPercent = capPercent
        }
        if let expiryDays {
            guard (0...3650).contains(expiryDays) else { throw NodeError(.invalidInput, "\(Field.expiryDays) must be 0 (never) … 3650") }
            if expiryDays == 0 { patch.cleared.insert(.expiryDays) } else { patch.expiryDays = expiryDays }
        }
        if let sharePoints {
            guard (0...10_000).contains(sharePoints) else { throw NodeError(.invalidInput, "\(Field.sharePoints) must be 0…10000") }
            patch.sharePoints = sharePoints
        }
        if let shareDailyLimit {
            guard (0...100).contains(shareDailyLimit) else { throw NodeError(.invalidInput, "\(Field.shareDailyLimit) must be 0…100") }
            patch.shareDailyLimit = shareDailyLimit
        }
        try saveSettings(patch, permission: .marketing)
        return try pointsSettings()
    }

    /// Head office replaces the top-up bonus tiers ("500=50,1000=120": top up ¥500, get ¥50).
    public func setTopupBonuses(_ text: String) throws(NodeError) -> [TopupBonus] {
        var tiers: [TopupBonus] = []
        for part in text.split(separator: ",") where !text.isEmpty && text != "none" {
            let pair = part.split(separator: "=")
            guard pair.count == 2, let t = Money(parsing: String(pair[0])), let b = Money(parsing: String(pair[1])),
                t.cents > 0, b.cents >= 0, b.cents <= t.cents
            else {
                throw NodeError(.invalidInput, "tier '\(part)' must be THRESHOLD=BONUS in yuan, bonus ≤ threshold (e.g. 500=50)")
            }
            tiers.append(TopupBonus(threshold_cents: t.cents, bonus_cents: b.cents))
        }
        guard Set(tiers.map(\.threshold_cents)).count == tiers.count else {
            throw NodeError(.invalidInput, "each threshold may appear once")
        }
        let sorted = tiers.sorted { $0.threshold_cents < $1.threshold_cents }
        try saveSettings(SettingRegister.Topup(tiers: sorted), permission: .marketing)
        return sorted
    }

    /// The shipping fee of online orders, in fen (0 unless head office sets one).
    static func shippingFee(_ r: StoreReader) throws -> Int64 {
        try r.setting(SettingRegister.Shipping.self).fee?.cents ?? 0
    }

    public func shippingFee() throws(NodeError) -> Int64 { try read { try Self.shippingFee($0) } }

    /// Head office sets the shipping fee of online orders (members whose level ships free, and
    /// free-shipping coupons, do not pay it).
    public func setShippingFee(_ amount: Money) throws(NodeError) -> Int64 {
        let fee = try Self.fen(amount, .fee, max: 100_000)
        try saveSettings(SettingRegister.Shipping(fee: Money(cents: fee)), permission: .marketing)
        return fee
    }

    private func saveSettings<P: SettingPayload>(_ patch: P, permission: Permission) throws(NodeError) {
        try requireCentral("changing settings")
        guard !patch.fields.isEmpty else { throw NodeError(.invalidInput, "nothing to change; give at least one option") }
        try write(permission, "settings.\(P.entity)") { tx in
            try tx.emit(patch, entity: P.entity, scope: .global)
        }
    }
}
