import Replication

/// The `setting` register (head office writes it): one entity per group of settings, each
/// with its own shape. `SettingRegister.Distribution` is entity `distribution`, and so on.
/// As a change each is a patch — only the settings given change; a field in `cleared` is
/// written as `null` (back to its default).
public enum SettingRegister {
    /// How customers get bound to distributors (entity `distribution`).
    public struct Distribution: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case binding
            case lockDays = "lock_days"
            case autoApproveSpend = "auto_approve_spend_cents"
            case maxLevels = "max_levels"
        }
        /// Which ways bind a customer to a distributor.
        public enum Binding: String, Sendable, Codable, CaseIterable {
            /// Only `distributor bind` with a referral code.
            case referralCode = "referral_code"
            /// Only an order placed through a distributor's link.
            case firstPurchase = "first_purchase"
            case both
        }
        public static let entity = "distribution"

        public var lockDays: Int64?
        public var binding: Binding?
        /// Applications from members who spent this much are approved automatically.
        public var autoApproveSpend: Money?
        public var maxLevels: Int64?
        public var cleared: Set<Field>

        public init(
            lockDays: Int64? = nil, binding: Binding? = nil, autoApproveSpend: Money? = nil, maxLevels: Int64? = nil,
            cleared: Set<Field> = []
        ) {
            self.lockDays = lockDays
            self.binding = binding
            self.autoApproveSpend = autoApproveSpend
            self.maxLevels = maxLevels
            self.cleared = cleared
        }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            lockDays = try f.optionalInt(.lockDays)
            binding = try f.optionalChoice(.binding)
            autoApproveSpend = try f.optionalInt(.autoApproveSpend).map(Money.init(cents:))
            maxLevels = try f.optionalInt(.maxLevels)
            cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
        }

        public func write(to f: inout PayloadWriter<Field>) {
            f.set(.maxLevels, maxLevels)
            f.set(.lockDays, lockDays)
            f.set(.binding, binding)
            f.set(.autoApproveSpend, autoApproveSpend?.cents)
            for field in cleared { f.set(field, JSONValue.null) }
        }
    }

    /// The withdrawal minimum and fees (entity `withdrawal`).
    public struct Withdrawal: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case minimum = "min_cents"
            case bankFeeBps = "bank_fee_bps"
            case bankFeeMinimum = "bank_fee_min_cents"
            case thirdpartyFeeBps = "thirdparty_fee_bps"
            case feeMode = "fee_mode"
        }
        public static let entity = "withdrawal"

        public var minimum: Money?
        public var bankFeeBps: Int64?
        public var bankFeeMinimum: Money?
        public var thirdpartyFeeBps: Int64?
        public var feeMode: WithdrawalFeeMode?

        public init(
            minimum: Money? = nil, bankFeeBps: Int64? = nil, bankFeeMinimum: Money? = nil,
            thirdpartyFeeBps: Int64? = nil,
            feeMode: WithdrawalFeeMode? = nil
        ) {
            self.minimum = minimum
            self.bankFeeBps = bankFeeBps
            self.bankFeeMinimum = bankFeeMinimum
            self.thirdpartyFeeBps = thirdpartyFeeBps
            self.feeMode = feeMode
        }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            minimum = try f.optionalInt(.minimum).map(Money.init(cents:))
            bankFeeBps = try f.optionalInt(.bankFeeBps)
            bankFeeMinimum = try f.optionalInt(.bankFeeMinimum).map(Money.init(cents:))
            thirdpartyFeeBps = try f.optionalInt(.thirdpartyFeeBps)
            feeMode = try f.optionalChoice(.feeMode)
        }

        public func write(to f: inout PayloadWriter<Field>) {
            f.set(.minimum, minimum?.cents)
            f.set(.bankFeeBps, bankFeeBps)
            f.set(.bankFeeMinimum, bankFeeMinimum?.cents)
            f.set(.thirdpartyFeeBps, thirdpartyFeeBps)
            f.set(.feeMode, feeMode)
        }

        /// Head office's rules: these settings over the defaults.
        public var rules: WithdrawalRules {
            var w = WithdrawalRules()
            if let minimum { w.min_cents = minimum.cents }
            if let bankFeeBps { w.bank_fee_bps = bankFeeBps }
            if let bankFeeMinimum { w.bank_fee_min_cents = bankFeeMinimum.cents }
            if let thirdpartyFeeBps { w.thirdparty_fee_bps = thirdpartyFeeBps }
            if let feeMode { w.fee_mode = feeMode }
            return w
        }
    }

    /// Points rules (entity `points`).
    public struct Points: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case capPercent = "cap_percent"
            case expiryDays = "expiry_days"
            case sharePoints = "share_points"
            case shareDailyLimit = "share_daily_limit"
            case expirySchedule = "expiry_schedule"
        }
        public static let entity = "points"

        public var capPercent: Int64?
        /// Days until earned points expire; `expiry_days` in `cleared` means never.
        public var expiryDays: Int64?
        public var sharePoints: Int64?
        public var shareDailyLimit: Int64?
        /// Every change of `expiry_days` with the moment it took effect, `[[from_ms, days]…]`
        /// (0 = never): points keep the rule they were earned under (`PointsExpiry.Schedule`).
        /// Absent in settings written before it: then `expiry_days` applies to every point.
        public var expirySchedule: [PointsExpiry.Schedule.Step]?
        public var cleared: Set<Field>

        public init(
            capPercent: Int64? = nil, expiryDays: Int64? = nil, sharePoints: Int64? = nil,
            shareDailyLimit: Int64? = nil, expirySchedule: [PointsExpiry.Schedule.Step]? = nil,
            cleared: Set<Field> = []
        ) {
            self.capPercent = capPercent
            self.expiryDays = expiryDays
            self.sharePoints = sharePoints
            self.shareDailyLimit = shareDailyLimit
            self.expirySchedule = expirySchedule
            self.cleared = cleared
        }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            capPercent = try f.optionalInt(.capPercent)
            expiryDays = try f.optionalInt(.expiryDays)
            sharePoints = try f.optionalInt(.sharePoints)
            shareDailyLimit = try f.optionalInt(.shareDailyLimit)
            cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
            guard let value = f.value(.expirySchedule), !value.isNull else { return }
            let problem = "must be a list of [from_ms, days] pairs (days 0…3650, 0 = never)"
            guard let items = value.arrayValue else { throw f.fail(.expirySchedule, problem) }
            var steps: [PointsExpiry.Schedule.Step] = []
            for item in items {
                guard let pair = item.arrayValue, pair.count == 2, let from = pair[0].intValue,
                    let days = pair[1].intValue, (0...3650).contains(days)
                else { throw f.fail(.expirySchedule, problem) }
                steps.append(PointsExpiry.Schedule.Step(from: from, days: days == 0 ? nil : days))
            }
            expirySchedule = steps
        }

        public func write(to f: inout PayloadWriter<Field>) {
            f.set(.capPercent, capPercent)
            f.set(.expiryDays, expiryDays)
            f.set(.sharePoints, sharePoints)
            f.set(.shareDailyLimit, shareDailyLimit)
            f.set(
                .expirySchedule,
                expirySchedule.map { JSONValue.array($0.map { .array([.int($0.from), .int($0.days ?? 0)]) }) })
            for field in cleared { f.set(field, JSONValue.null) }
        }

        /// The expiry rule over time: the schedule, or — for settings written before it —
        /// `expiry_days` for every point.
        public var schedule: PointsExpiry.Schedule {
            expirySchedule.map { PointsExpiry.Schedule($0) } ?? .always(expiryDays)
        }
    }

    /// Top-up bonus tiers (entity `topup`), written whole: `[[threshold_fen, bonus_fen], …]`.
    public struct Topup: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case bonus
        }
        public static let entity = "topup"

        public var tiers: [TopupBonus]?

        public init(tiers: [TopupBonus]? = nil) { self.tiers = tiers }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            guard let value = f.value(.bonus) else { return }
            let problem = "must be a list of [threshold, bonus] pairs in fen"
            guard let items = value.arrayValue else { throw f.fail(.bonus, problem) }
            var tiers: [TopupBonus] = []
            for item in items {
                guard let pair = item.arrayValue, pair.count == 2, let t = pair[0].intValue, let b = pair[1].intValue
                else {
                    throw f.fail(.bonus, problem)
                }
                tiers.append(TopupBonus(threshold_cents: t, bonus_cents: b))
            }
            self.tiers = tiers
        }

        public func write(to f: inout PayloadWriter<Field>) {
            f.set(
                .bonus,
                tiers.map { JSONValue.array($0.map { .array([.int($0.threshold_cents), .int($0.bonus_cents)]) }) })
        }
    }

    /// The shipping fee of online orders (entity `shipping`).
    public struct Shipping: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case fee = "fee_cents"
        }
        public static let entity = "shipping"

        public var fee: Money?

        public init(fee: Money? = nil) { self.fee = fee }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            fee = try f.optionalInt(.fee).map(Money.init(cents:))
        }

        public func write(to f: inout PayloadWriter<Field>) { f.set(.fee, fee?.cents) }
    }

    /// The after-sale period of new orders (entity `after_sale`, `OrderClosing`).
    public struct AfterSale: SettingPayload, Equatable {
        public enum Field: String, Sendable, CaseIterable {
            case closeDays = "close_days"
        }
        public static let entity = "after_sale"

        /// Days after its sale an order stays open to refunds, payments and status changes;
        /// nil (the default): orders never close.
        public var closeDays: Int64?
        public var cleared: Set<Field>

        public init(closeDays: Int64? = nil, cleared: Set<Field> = []) {
            self.closeDays = closeDays
            self.cleared = cleared
        }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            closeDays = try f.optionalInt(.closeDays)
            if let days = closeDays, !OrderClosing.daysRange.contains(days) {
                throw f.fail(
                    .closeDays, "must be \(OrderClosing.daysRange.lowerBound)…\(OrderClosing.daysRange.upperBound) days"
                )
            }
            cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
        }

        public func write(to f: inout PayloadWriter<Field>) {
            f.set(.closeDays, closeDays)
            for field in cleared { f.set(field, JSONValue.null) }
        }
    }

    /// The points catalog (entity `points_catalog`): one field per item (`sku:<code>`,
    /// `coupon:<code>`) with its price in points; `null` takes an item off the catalog.
    public struct PointsCatalog: SettingPayload, Equatable {
        /// An item key; the field names are data, not a fixed list.
        public struct Field: RawRepresentable, Sendable, Hashable {
            public var rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }
        }
        public static let entity = "points_catalog"

        /// Items listed, with their price in points.
        public var listed: [String: Int64]
        /// Items taken off the catalog (written as `null`).
        public var removed: Set<String>

        public init(listed: [String: Int64] = [:], removed: Set<String> = []) {
            self.listed = listed
            self.removed = removed
        }

        public init(reading f: PayloadReader<Field>) throws(PayloadError) {
            listed = [:]
            removed = []
            for (item, value) in f.fields {
                if value.isNull {
                    removed.insert(item)
                } else if let points = value.intValue {
                    listed[item] = points
                } else {
                    throw f.fail(Field(rawValue: item), "must be a price in points or null")
                }
            }
        }

        public func write(to f: inout PayloadWriter<Field>) {
            for (item, points) in listed { f.setExtra(item, .int(points)) }
            for item in removed { f.setExtra(item, .null) }
        }
    }
}

/// A shape of the `setting` register: the entity it is stored under.
public protocol SettingPayload: ChangePayload {
    /// The register's entity id (`distribution`, `points`, …).
    static var entity: String { get }
}

extension SettingPayload {
    public static var kind: EntityKind { .setting }
}
