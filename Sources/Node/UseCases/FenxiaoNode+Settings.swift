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
    public var bindsByCode: Bool { binding != "first_purchase" }
    public var bindsByFirstPurchase: Bool { binding != "referral_code" }
}

/// How an unbound customer gets bound to a distributor.
public enum BindingRule: String, Sendable, Codable, CaseIterable {
    /// Only `distributor bind` with a referral code.
    case referralCode = "referral_code"
    /// Only an order placed through a distributor's link.
    case firstPurchase = "first_purchase"
    /// Either.
    case both
}

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
        let f = try r.register(.setting, "distribution") ?? [:]
        var s = DistributionSettings()
        if let v = f["lock_days"]?.intValue { s.lock_days = v }
        if let v = f["binding"]?.stringValue { s.binding = v }
        s.auto_approve_spend_cents = f["auto_approve_spend_cents"]?.intValue
        if let v = f["max_levels"]?.intValue { s.max_levels = Int(v) }
        return s
    }

    static func withdrawalRules(_ r: StoreReader) throws -> WithdrawalRules {
        let f = try r.register(.setting, "withdrawal") ?? [:]
        var w = WithdrawalRules()
        if let v = f["min_cents"]?.intValue { w.min_cents = v }
        if let v = f["bank_fee_bps"]?.intValue { w.bank_fee_bps = v }
        if let v = f["bank_fee_min_cents"]?.intValue { w.bank_fee_min_cents = v }
        if let v = f["thirdparty_fee_bps"]?.intValue { w.thirdparty_fee_bps = v }
        if let v = f["fee_mode"]?.stringValue.flatMap(WithdrawalFeeMode.init(rawValue:)) { w.fee_mode = v }
        return w
    }

    public func withdrawalRules() throws(NodeError) -> WithdrawalRules { try read { try Self.withdrawalRules($0) } }

    /// Head office changes the withdrawal rules: minimum (yuan), fees in percent, the bank
    /// fee's minimum (yuan), and whether the fee comes out of the amount (`deducted`, the
    /// default) or on top of it (`on-top`). Only the values given change.
    public func setWithdrawalRules(
        minimum: Money?, bankFeePercent: Percent?, bankFeeMinimum: Money?, thirdpartyFeePercent: Percent?,
        feeMode: WithdrawalFeeMode? = nil
    ) throws(NodeError) -> WithdrawalRules {
        var fields: Fields = [:]
        if let feeMode { fields["fee_mode"] = .string(feeMode.rawValue) }
        if let minimum { fields["min_cents"] = .int(try Self.fen(minimum, .min, max: 10_000_000)) }
        if let bankFeePercent { fields["bank_fee_bps"] = .int(try Self.basisPoints(bankFeePercent, .bankFeePercent, maxPercent: 20)) }
        if let bankFeeMinimum { fields["bank_fee_min_cents"] = .int(try Self.fen(bankFeeMinimum, .bankFeeMin, max: 10_000_000)) }
        if let thirdpartyFeePercent {
            fields["thirdparty_fee_bps"] = .int(try Self.basisPoints(thirdpartyFeePercent, .thirdpartyFeePercent, maxPercent: 20))
        }
        try saveSettings("withdrawal", fields, permission: .approveWithdrawals)
        return try withdrawalRules()
    }

    static func pointsSettings(_ r: StoreReader) throws -> PointsSettings {
        let f = try r.register(.setting, "points") ?? [:]
        var s = PointsSettings()
        if let v = f["cap_percent"]?.intValue { s.cap_percent = v }
        s.expiry_days = f["expiry_days"]?.intValue
        if let v = f["share_points"]?.intValue { s.share_points = v }
        if let v = f["share_daily_limit"]?.intValue { s.share_daily_limit = v }
        return s
    }

    static func topupBonuses(_ r: StoreReader) throws -> [TopupBonus] {
        let tiers = try r.register(.setting, "topup")?["bonus"]?.arrayValue ?? []
        return tiers.compactMap { tier in
            guard let pair = tier.arrayValue, pair.count == 2, let t = pair[0].intValue, let b = pair[1].intValue else { return nil }
            return TopupBonus(threshold_cents: t, bonus_cents: b)
        }.sorted { $0.threshold_cents < $1.threshold_cents }
    }

    public func distributionSettings() throws(NodeError) -> DistributionSettings { try read { try Self.distributionSettings($0) } }
    public func pointsSettings() throws(NodeError) -> PointsSettings { try read { try Self.pointsSettings($0) } }
    public func topupBonuses() throws(NodeError) -> [TopupBonus] { try read { try Self.topupBonuses($0) } }

    /// Head office changes the distribution settings; only the fields given change.
    /// `autoApproveSpend` "off" turns automatic approval off.
    public func setDistributionSettings(lockDays: Int64?, binding: BindingRule?, autoApproveSpend: AutoApproval?, maxLevels: Int? = nil)
        throws(NodeError) -> DistributionSettings
    {
        var fields: Fields = [:]
        if let maxLevels {
            guard (1...CommissionRule.maximumLevels).contains(maxLevels) else {
                throw NodeError(.invalidInput, "\(Field.maxLevels) must be 1…\(CommissionRule.maximumLevels)")
            }
            fields["max_levels"] = .int(Int64(maxLevels))
        }
        if let lockDays {
            guard (0...3650).contains(lockDays) else { throw NodeError(.invalidInput, "\(Field.lockDays) must be 0…3650") }
            fields["lock_days"] = .int(lockDays)
        }
        if let binding { fields["binding"] = .string(binding.rawValue) }
        switch autoApproveSpend {
        case nil: break
        case .off?: fields["auto_approve_spend_cents"] = .null
        case .atSpend(let spend)?: fields["auto_approve_spend_cents"] = .int(try Self.fen(spend, .autoApproveSpend))
        }
        try saveSettings("distribution", fields, permission: .approveDistributors)
        return try distributionSettings()
    }

    /// Head office changes the points rules; only the fields given change. `expiryDays` 0
    /// means points never expire.
    public func setPointsSettings(capPercent: Int64?, expiryDays: Int64?, sharePoints: Int64?, shareDailyLimit: Int64?)
        throws(NodeError) -> PointsSettings
    {
        var fields: Fields = [:]
        if let capPercent {
            guard (0...100).contains(capPercent) else { throw NodeError(.invalidInput, "\(Field.capPercent) must be 0…100") }
            fields["cap_percent"] = .int(capPercent)
        }
        if let expiryDays {
            guard (0...3650).contains(expiryDays) else { throw NodeError(.invalidInput, "\(Field.expiryDays) must be 0 (never) … 3650") }
            fields["expiry_days"] = expiryDays == 0 ? .null : .int(expiryDays)
        }
        if let sharePoints {
            guard (0...10_000).contains(sharePoints) else { throw NodeError(.invalidInput, "\(Field.sharePoints) must be 0…10000") }
            fields["share_points"] = .int(sharePoints)
        }
        if let shareDailyLimit {
            guard (0...100).contains(shareDailyLimit) else { throw NodeError(.invalidInput, "\(Field.shareDailyLimit) must be 0…100") }
            fields["share_daily_limit"] = .int(shareDailyLimit)
        }
        try saveSettings("points", fields, permission: .marketing)
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
        try saveSettings(
            "topup", ["bonus": .array(sorted.map { .array([.int($0.threshold_cents), .int($0.bonus_cents)]) })],
            permission: .marketing)
        return sorted
    }

    /// The shipping fee of online orders, in fen (0 unless head office sets one).
    static func shippingFee(_ r: StoreReader) throws -> Int64 {
        try r.register(.setting, "shipping")?["fee_cents"]?.intValue ?? 0
    }

    public func shippingFee() throws(NodeError) -> Int64 { try read { try Self.shippingFee($0) } }

    /// Head office sets the shipping fee of online orders (members whose level ships free, and
    /// free-shipping coupons, do not pay it).
    public func setShippingFee(_ amount: Money) throws(NodeError) -> Int64 {
        let fee = try Self.fen(amount, .fee, max: 100_000)
        try saveSettings("shipping", ["fee_cents": .int(fee)], permission: .marketing)
        return fee
    }

    private func saveSettings(_ name: String, _ fields: Fields, permission: Permission) throws(NodeError) {
        try requireCentral("changing settings")
        guard !fields.isEmpty else { throw NodeError(.invalidInput, "nothing to change; give at least one option") }
        try write(permission, "settings.\(name)") { tx in
            try tx.emit(.setting, entity: name, fields: fields, scope: .global)
        }
    }
}
