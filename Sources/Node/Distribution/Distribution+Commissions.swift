import Commerce
import Replication
import Storage

/// One commission entry with its state now.
public struct CommissionView: Sendable, Equatable, Codable {
    public var order: String
    public var level: Int
    public var distributor: String
    public var rule: String
    public var earn_cents: Int64
    public var reversed_cents: Int64
    public var net_cents: Int64
    /// pending (order not completed), frozen (in the after-sale window, or with a refund
    /// request still open) or available.
    public var status: String
    public var available_at: Int64?
}

/// A distributor's account: commissions by state, withdrawals, and the balance.
public struct CommissionAccount: Sendable, Equatable, Codable {
    public var distributor: String
    public var pending_cents: Int64
    public var frozen_cents: Int64
    public var available_cents: Int64
    public var withdrawn_cents: Int64
    /// available − withdrawn − fees; negative after a reversal larger than the balance
    /// (a recorded debt, never a lost shortfall).
    public var balance_cents: Int64
    public var entries: [CommissionView]
}

extension Distribution {
    /// Publishes a commission rule version (central only). `levels` are percentages per level
    /// ("10,5" = 10 % to level 1, 5 % to level 2). Returns warnings (deeper than 3 levels).
    public func defineCommissionRule(
        id: String, levels: [Percent], effectiveFrom: Int64?, windowDays: Int64, selfPurchase: Bool,
        overrides: [String: [Percent]],
        fixedPerOrder: [Money] = [], fixedPerItem: [Money] = []
    ) throws(NodeError) -> (rule: CommissionRule, warnings: [String]) {
        try requireCentral("defining commission rules")
        /// Percent per level, as basis points.
        func bps(_ percents: [Percent]) throws(NodeError) -> [Int64] {
            var out: [Int64] = []
            for p in percents { out.append(try Amounts.basisPoints(p, .levels, maxPercent: 50)) }
            return out
        }
        /// Money per level, as fen.
        func fen(_ amounts: [Money], _ field: Field) throws(NodeError) -> [Int64] {
            var out: [Int64] = []
            for m in amounts { out.append(try Amounts.fen(m, field, max: 100_000)) }
            return out
        }
        let perOrder = try fen(fixedPerOrder, .fixedPerOrder)
        let perItem = try fen(fixedPerItem, .fixedPerItem)
        let rates = try bps(levels)
        guard perOrder.count <= rates.count, perItem.count <= rates.count else {
            throw NodeError(
                .invalidInput, "give fixed amounts for at most the \(rates.count) levels of \(Field.levels)")
        }
        let maxLevels = try distributionSettings().max_levels
        guard (1...maxLevels).contains(rates.count) else {
            throw NodeError(
                .invalidInput,
                "give 1 to \(maxLevels) levels (e.g. \(Field.levels) 10,5); head office may allow up to \(CommissionRule.maximumLevels) (the distribution setting \(Field.maxLevels))"
            )
        }
        guard (0...365).contains(windowDays) else {
            throw NodeError(.invalidInput, "\(Field.windowDays) must be 0…365")
        }
        var overrideRates: [String: [Int64]] = [:]
        for (key, value) in overrides {
            guard key.hasPrefix("sku:") || key.hasPrefix("category:") || key.hasPrefix("group:") else {
                throw NodeError(.invalidInput, "override '\(key)' must start with sku:, category: or group:")
            }
            overrideRates[key] = try bps(value)
        }
        var warnings: [String] = []
        if rates.count > CommissionRule.legalWarningAbove {
            warnings.append(
                "\(rates.count) commission levels: Chinese law treats schemes deeper than 3 levels as pyramid selling")
        }
        let rule = try write(.approveDistributors, "commission.define") { tx in
            let written = CommissionRule(
                id: id, effectiveFrom: effectiveFrom ?? tx.nowMillis, levels: rates, fixedPerOrder: perOrder,
                fixedPerItem: perItem, overrides: overrideRates, selfPurchase: selfPurchase, windowDays: windowDays)
            try tx.emit(CommissionRuleRegister(written), entity: id, scope: .global)
            guard let rule = CommissionRule(id: id, fields: try tx.flushed().register(.commissionRule, id) ?? [:])
            else {
                throw NodeError(.invalidInput, "commission rule \(id) could not be read back")
            }
            return rule
        }
        return (rule, warnings)
    }

    public func commissionRules() throws(NodeError) -> [CommissionRule] {
        try read { r in try r.registers(.commissionRule).compactMap { CommissionRule(id: $0.id, fields: $0.fields) } }
    }

    /// A distributor's commission account as of `now`.
    public func commissionAccount(_ distributor: String, now: Int64? = nil) throws(NodeError) -> CommissionAccount {
        let now = now ?? store.wallNow()
        return try read { r in
            _ = try Self.requireDistributor(distributor, r)
            let disputed = try Self.ordersWithOpenRefundRequests(r)
            let entries = try r.commissionEntries(distributor: distributor).map { row -> CommissionView in
                let (status, availableAt) = Self.commissionState(
                    completedAt: row.completedAt, windowDays: row.windowDays, disputed: disputed.contains(row.order),
                    now: now)
                let earn = row.earnCents
                let reversed = row.reversedCents
                return CommissionView(
                    order: row.order, level: Int(row.level), distributor: distributor, rule: row.rule ?? "",
                    earn_cents: earn,
                    reversed_cents: reversed, net_cents: earn - reversed, status: status, available_at: availableAt)
            }
            let withdrawals = try Self.withdrawals(of: distributor, r).filter {
                $0.status != "rejected" && $0.status != "failed"
            }
            func sum(_ s: String) -> Int64 { entries.filter { $0.status == s }.reduce(0) { $0 + $1.net_cents } }
            let withdrawn = withdrawals.reduce(0) { $0 + $1.debited_cents }
            return CommissionAccount(
                distributor: distributor, pending_cents: sum("pending"), frozen_cents: sum("frozen"),
                available_cents: sum("available"), withdrawn_cents: withdrawn,
                balance_cents: sum("available") - withdrawn,
                entries: entries)
        }
    }

    /// When a commission entry becomes available (nil while the order is not completed) and
    /// its state at `now`: pending, frozen (in the after-sale window, or with a refund request
    /// still open on the order) or available.
    static func commissionState(completedAt: Int64?, windowDays: Int64, disputed: Bool, now: Int64)
        -> (status: String, availableAt: Int64?)
    {
        guard let completedAt else { return ("pending", nil) }
        let availableAt = completedAt + windowDays * 86_400_000
        return (now >= availableAt && !disputed ? "available" : "frozen", availableAt)
    }

    /// Orders with a refund request still waiting for a decision: their commission stays
    /// frozen past the after-sale window until it is decided.
    static func ordersWithOpenRefundRequests(_ r: StoreReader) throws -> Set<String> {
        Set(
            try r.registers(.refundRequest).map { try RefundRequestRegister(fields: $0.fields) }.filter {
                $0.status == .requested
            }
            .compactMap(\.order))
    }
}
