/// A promotion published by head office.
public struct Promotion: Sendable, Equatable, Codable {
    public enum Rule: Sendable, Equatable, Codable {
        /// Percentage off listed SKUs (all SKUs when `skus` is empty). Best single one per line.
        case percentOff(percent: Int64, skus: [String])
        /// Spend-X-save-Y (满减), tiered: the highest threshold reached applies, once per order.
        case spendSave(tiers: [Tier])
    }

    public struct Tier: Sendable, Equatable, Codable {
        public var thresholdCents: Int64
        public var saveCents: Int64
        public init(thresholdCents: Int64, saveCents: Int64) {
            self.thresholdCents = thresholdCents
            self.saveCents = saveCents
        }
    }

    public var id: String
    public var name: String
    public var rule: Rule
    /// Active from this instant (ms since epoch) until `endsAt` (exclusive); nil = open.
    public var startsAt: Int64?
    public var endsAt: Int64?

    public init(id: String, name: String, rule: Rule, startsAt: Int64? = nil, endsAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.rule = rule
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    public func isActive(at millis: Int64) -> Bool {
        if let s = startsAt, millis < s { return false }
        if let e = endsAt, millis >= e { return false }
        return true
    }
}

/// A coupon definition: a fixed amount off an order that reaches a minimum spend.
public struct Coupon: Sendable, Equatable, Codable {
    public var code: String
    public var amountCents: Int64
    public var minSpendCents: Int64
    /// Single-use coupons are enforced at the counter and across stores by the unique-claim rule.
    public var singleUse: Bool

    public init(code: String, amountCents: Int64, minSpendCents: Int64 = 0, singleUse: Bool = true) {
        self.code = code
        self.amountCents = amountCents
        self.minSpendCents = minSpendCents
        self.singleUse = singleUse
    }
}
