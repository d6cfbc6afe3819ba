import Commerce
import Replication
import Storage

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

extension Members {
    static func pointsSettings(_ r: StoreReader) throws -> PointsSettings {
        let f = try r.setting(SettingRegister.Points.self)
        var s = PointsSettings()
        if let v = f.capPercent { s.cap_percent = v }
        s.expiry_days = f.expiryDays
        if let v = f.sharePoints { s.share_points = v }
        if let v = f.shareDailyLimit { s.share_daily_limit = v }
        return s
    }

    public func pointsSettings() throws(NodeError) -> PointsSettings { try read { try Self.pointsSettings($0) } }

    /// The expiry rule over time: which expiry each point was earned under.
    public func pointsSchedule() throws(NodeError) -> PointsExpiry.Schedule {
        try read { try $0.pointsSchedule() }
    }

    /// Head office changes the points rules; only the fields given change. `expiryDays` 0
    /// means points never expire. A new expiry applies to points earned from now on; points
    /// already earned keep the one they were earned under (`PointsExpiry.Schedule`).
    public func setPointsSettings(capPercent: Int64?, expiryDays: Int64?, sharePoints: Int64?, shareDailyLimit: Int64?)
        throws(NodeError) -> PointsSettings
    {
        var patch = SettingRegister.Points()
        if let capPercent {
            guard (0...100).contains(capPercent) else {
                throw NodeError(.invalidInput, "\(Field.capPercent) must be 0…100")
            }
            patch.capPercent = capPercent
        }
        if let expiryDays {
            guard (0...3650).contains(expiryDays) else {
                throw NodeError(.invalidInput, "\(Field.expiryDays) must be 0 (never) … 3650")
            }
            if expiryDays == 0 { patch.cleared.insert(.expiryDays) } else { patch.expiryDays = expiryDays }
        }
        if let sharePoints {
            guard (0...10_000).contains(sharePoints) else {
                throw NodeError(.invalidInput, "\(Field.sharePoints) must be 0…10000")
            }
            patch.sharePoints = sharePoints
        }
        if let shareDailyLimit {
            guard (0...100).contains(shareDailyLimit) else {
                throw NodeError(.invalidInput, "\(Field.shareDailyLimit) must be 0…100")
            }
            patch.shareDailyLimit = shareDailyLimit
        }
        guard let expiryDays else {
            try saveSettings(patch, permission: .marketing)
            return try pointsSettings()
        }
        // Points keep the rule they were earned under: the change is a new step of the
        // schedule, from the moment of this very change (so a node that has every change up to
        // some stamp knows the rule of every point earned before it).
        try saveSettings(patch, permission: .marketing) { tx, patch in
            let current = try tx.reader.setting(SettingRegister.Points.self)
            var steps = current.expirySchedule ?? []
            if current.expirySchedule == nil, let legacy = current.expiryDays {
                steps.append(.init(from: 0, days: legacy))  // written before schedules: it applied to all
            }
            steps.append(.init(from: tx.nextStampMillis, days: expiryDays == 0 ? nil : expiryDays))
            patch.expirySchedule = steps
        }
        return try pointsSettings()
    }
}
