import Commerce
import GRDB
import Replication

extension ChangeApplier {
    /// Derives an order's commission entries from its snapshotted upline chain and the rule
    /// version in force when it was paid (see `CommissionCalculator`).
    func recomputeCommissions(
        order id: String, fields f: Fields, events: [OrderStateMachine.Event], paid: Int64, refunded: Int64, scope: Scope
    ) throws {
        let chain = (f["upline"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !chain.isEmpty else { return }
        try db.cachedStatement(sql: "DELETE FROM commissions WHERE order_id = ?").execute(arguments: [id])
        let sorted = events.sorted { $0.stamp < $1.stamp }
        guard let paidEvent = sorted.first(where: { ($0.status.factRank ?? 0) >= 1 }) else { return }
        let paidAt = paidEvent.stamp.hlc.wallMillis
        let completedAt = sorted.first { $0.status == .completed }?.stamp.hlc.wallMillis
        let rules = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, fields FROM registers WHERE kind = 'commission_rule'"))
            .compactMap { row -> CommissionRule? in CommissionRule(id: row["id"], fields: try JSONParser.fields(row["fields"])) }
        guard let rule = CommissionRule.inForce(at: paidAt, among: rules) else { return }
        let selfPurchase = f["self_purchase"]?.boolValue ?? false
        let levels = selfPurchase && !rule.selfPurchase ? Array(chain.dropFirst()) : chain
        var lines: [CommissionCalculator.Line] = []
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT sku, qty, unit_cents, discount_cents FROM order_lines WHERE order_id = ? ORDER BY line"),
            arguments: [id])
        {
            let sku: String = row[0]
            let category = try String.fetchOne(
                db.cachedStatement(sql: "SELECT json_extract(fields, '$.category') FROM registers WHERE kind = 'sku' AND id = ?"),
                arguments: [sku])
            lines.append(.init(sku: sku, category: category, netCents: (row[1] as Int64) * (row[2] as Int64) - (row[3] as Int64)))
        }
        let groups = try levels.map { d in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT json_extract(fields, '$.group') FROM registers WHERE kind = 'distributor' AND id = ?"),
                arguments: [d])
        }
        let entries = CommissionCalculator.compute(
            lines: lines, paidCents: paid, refundedCents: refunded, chain: levels, groups: groups, rule: rule)
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO commissions(order_id, level, scope, distributor, rule, earn_cents, reversed_cents, paid_at,
                    completed_at, window_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for e in entries {
            try insert.execute(arguments: [
                id, e.level, scope.description, e.distributor, rule.id, e.earnCents, e.reversedCents, paidAt, completedAt,
                rule.windowDays,
            ])
        }
    }
}

extension CommissionRule {
    /// Reads a `commission_rule` register: `levels` and `fixed` as arrays of integers
    /// (basis points, fen), `overrides` as an object of arrays.
    public init?(id: String, fields f: Fields) {
        guard let effective = f["effective_from"]?.intValue, let levels = f["levels"]?.arrayValue?.compactMap(\.intValue)
        else { return nil }
        var overrides: [String: [Int64]] = [:]
        for (key, value) in f["overrides"]?.objectValue ?? [:] {
            overrides[key] = value.arrayValue?.compactMap(\.intValue) ?? []
        }
        self.init(
            id: id, effectiveFrom: effective, levels: levels,
            fixedPerOrder: f["fixed"]?.arrayValue?.compactMap(\.intValue) ?? [], overrides: overrides,
            selfPurchase: f["self_purchase"]?.boolValue ?? false, windowDays: f["window_days"]?.intValue ?? 7)
    }
}
