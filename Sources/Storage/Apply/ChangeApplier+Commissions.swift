import Commerce
import GRDB
import Replication

extension ChangeApplier {
    /// Derives an order's commission entries from its snapshotted upline chain and the rule
    /// version in force when it was paid (see `CommissionCalculator`).
    func recomputeCommissions(
        order id: String, upline: UplineSnapshot, events: [OrderStateMachine.Event], paid: Int64, refunded: Int64,
        scope: Scope
    ) throws {
        let chain = upline.chain
        guard !chain.isEmpty else { return }
        try db.statement("DELETE FROM commissions WHERE order_id = ?").execute(arguments: [id])
        let sorted = events.sorted { $0.stamp < $1.stamp }
        guard let paidEvent = sorted.first(where: { ($0.status.factRank ?? 0) >= 1 }) else { return }
        let paidAt = paidEvent.stamp.hlc.wallMillis
        let completedAt = sorted.first { $0.status == .completed }?.stamp.hlc.wallMillis
        let rules = try Row.fetchAll(
            db.statement(
                "SELECT id, fields FROM registers WHERE kind = '\(EntityKind.commissionRule.rawValue)'")
        )
        .compactMap { row -> CommissionRule? in
            CommissionRule(id: row["id"], fields: try JSONParser.fields(row["fields"]))
        }
        guard let rule = CommissionRule.inForce(at: paidAt, among: rules) else { return }
        let selfPurchase = upline.selfPurchase
        let levels = selfPurchase && !rule.selfPurchase ? Array(chain.dropFirst()) : chain
        // Categories and groups come from the order's own snapshot (taken at the sale), never
        // from the current registers, so the result depends only on the order's changes.
        let categories = upline.lineCategories
        var lines: [CommissionCalculator.Line] = []
        for row in try Row.fetchAll(
            db.statement(
                "SELECT sku, qty, unit_cents, discount_cents FROM order_lines WHERE order_id = ? ORDER BY line"),
            arguments: [id])
        {
            let sku: String = row[0]
            let qty: Int64 = row[1]
            let net = try Checked.subtract(
                Checked.multiply(qty, row[2], "a line of order \(id)"), row[3], "a line of order \(id)")
            lines.append(.init(sku: sku, category: categories[sku] ?? nil, netCents: net, quantity: qty))
        }
        let snapshot = upline.groups
        let offset = chain.count - levels.count  // self-purchase without commission drops level 1
        let groups = levels.indices.map { i in i + offset < snapshot.count ? snapshot[i + offset] : nil }
        let entries = CommissionCalculator.compute(
            lines: lines, paidCents: paid, refundedCents: refunded, chain: levels, groups: groups, rule: rule)
        let insert = try db.statement(
            """
            INSERT INTO commissions(order_id, level, scope, distributor, rule, earn_cents, reversed_cents, paid_at,
                completed_at, window_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in entries {
            try insert.execute(arguments: [
                id, e.level, scope.description, e.distributor, rule.id, e.earnCents, e.reversedCents, paidAt,
                completedAt,
                rule.windowDays,
            ])
        }
    }
}
