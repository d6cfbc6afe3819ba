import Replication

/// One version of the commission rules, in force from `effectiveFrom`. An order uses the
/// version in force when it was paid, so changing the rules never changes past commissions.
public struct CommissionRule: Sendable, Equatable {
    public var id: String
    /// Milliseconds since the epoch from which this version applies.
    public var effectiveFrom: Int64
    /// Commission rate per level in basis points (1/100 of a percent), level 1 first.
    public var levels: [Int64]
    /// A fixed amount per order per level, in fen (added to the rate).
    public var fixedPerOrder: [Int64]
    /// A fixed amount per item sold (each paid unit; gifts excluded) per level, in fen.
    public var fixedPerItem: [Int64]
    /// Rates per level overriding `levels` for `sku:CODE`, `category:PATH` or `group:NAME`.
    public var overrides: [String: [Int64]]
    /// Whether a distributor earns level-1 commission on their own purchases.
    public var selfPurchase: Bool
    /// After-sale window: commission becomes available this many days after completion.
    public var windowDays: Int64

    public init(
        id: String, effectiveFrom: Int64, levels: [Int64], fixedPerOrder: [Int64] = [], fixedPerItem: [Int64] = [],
        overrides: [String: [Int64]] = [:], selfPurchase: Bool = false, windowDays: Int64 = 7
    ) {
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.levels = levels
        self.fixedPerOrder = fixedPerOrder
        self.fixedPerItem = fixedPerItem
        self.overrides = overrides
        self.selfPurchase = selfPurchase
        self.windowDays = windowDays
    }

    /// Chinese law treats schemes deeper than three levels as pyramid selling.
    public static let legalWarningAbove = 3
    public static let maximumLevels = 5

    /// The version in force at `millis`: the latest `effectiveFrom` not after it (ties by id).
    public static func inForce(at millis: Int64, among rules: [CommissionRule]) -> CommissionRule? {
        rules.filter { $0.effectiveFrom <= millis }.max { ($0.effectiveFrom, $0.id) < ($1.effectiveFrom, $1.id) }
    }
}

/// Commission of one order for one level of its distributor chain.
public struct CommissionEntry: Sendable, Equatable, Codable {
    public var level: Int
    public var distributor: String
    public var earnCents: Int64
    public var reversedCents: Int64
    public var netCents: Int64 { earnCents - reversedCents }
}

/// The commission rule as a pure function: same order, chain and rule → same entries, on
/// every node and on every recomputation.
public enum CommissionCalculator {
    public struct Line: Sendable, Equatable {
        public var sku: String
        public var category: String?
        public var netCents: Int64
        /// Units on the line (for a fixed amount per item).
        public var quantity: Int64
        public init(sku: String, category: String?, netCents: Int64, quantity: Int64 = 1) {
            self.sku = sku
            self.category = category
            self.netCents = netCents
            self.quantity = quantity
        }
    }

    /// Entries for every level of `chain` (level 1 first). Earned on the order's lines at the
    /// rate of the most specific override (SKU, then the deepest category, then the
    /// group of that level's distributor), plus the rule's fixed amounts per order and per
    /// item; refunds reverse every level in proportion to the refunded amount.
    /// An unpaid order earns nothing.
    public static func compute(
        lines: [Line], paidCents: Int64, refundedCents: Int64, chain: [String], groups: [String?] = [],
        rule: CommissionRule
    ) -> [CommissionEntry] {
        guard paidCents > 0 else { return [] }
        let total = lines.reduce(0) { $0 + $1.netCents }
        var entries: [CommissionEntry] = []
        for (index, distributor) in chain.prefix(min(rule.levels.count, CommissionRule.maximumLevels)).enumerated() {
            var earn: Int64 = 0
            for line in lines {
                let bps = rate(for: line, level: index, group: index < groups.count ? groups[index] : nil, rule: rule)
                earn += Int64((Int128(line.netCents) * Int128(bps) + 5_000) / 10_000)
            }
            if total > paidCents, total > 0 {  // paid less than the lines (should not happen): scale down
                earn = Int64(Int128(earn) * Int128(paidCents) / Int128(total))
            }
            if index < rule.fixedPerOrder.count { earn += rule.fixedPerOrder[index] }
            if index < rule.fixedPerItem.count {
                earn +=
                    rule.fixedPerItem[index] * lines.filter { $0.netCents > 0 }.reduce(0) { $0 + max($1.quantity, 0) }
            }
            let refunded = min(max(refundedCents, 0), paidCents)
            let reversed = Int64((Int128(earn) * Int128(refunded) * 2 + Int128(paidCents)) / (Int128(paidCents) * 2))
            entries.append(
                CommissionEntry(level: index + 1, distributor: distributor, earnCents: earn, reversedCents: reversed))
        }
        return entries
    }

    static func rate(for line: Line, level: Int, group: String?, rule: CommissionRule) -> Int64 {
        var keys = ["sku:\(line.sku)"]
        if let category = line.category, let path = CategoryPath(category) {
            keys += path.ancestry.reversed().map { "category:\($0)" }
        }
        if let group { keys.append("group:\(group)") }
        for key in keys {
            if let rates = rule.overrides[key] { return level < rates.count ? rates[level] : 0 }
        }
        return level < rule.levels.count ? rule.levels[level] : 0
    }
}
