import Commerce
import GRDB
import Replication

/// A member's points entries on one order (`ref`): the unit `PointsReturnCap` decides on.
struct PointsOrderKey: Hashable, Comparable {
    var member: String
    var order: String
    static func < (a: PointsOrderKey, b: PointsOrderKey) -> Bool { (a.member, a.order) < (b.member, b.order) }
}

/// Points given back and clawed back by refunds count at most once per order
/// (`PointsReturnCap`): `member_ledger.delta` of a refund's points entry holds the delta that
/// counts, re-derived from the order's entries whenever one of them arrives; the delta its node
/// wrote stays in the change log. The balance, expiry and every reader use the counted delta.
///
/// Cost: one order's entries (a handful), read through the `ref` index. When an entry that
/// arrived in an earlier batch changes its counted delta (a refund with an earlier stamp
/// arrived late), the member's balance is re-folded instead of advanced.
extension ChangeApplier {
    /// Whether `order` holds a refund's points entry for `member` (through the `ref` index).
    func hasRefundPoints(member: String, order: String) throws -> Bool {
        try db.firstRow(
            "SELECT EXISTS(SELECT 1 FROM member_ledger WHERE ref = ? AND member = ? AND account = 'points' AND reason = ?)",
            { bind in
                bind(order)
                bind(member)
                bind(PointsReturnCap.refundReason)
            },
            { $0.bool(0) }) ?? false
    }

    /// Re-derives the counted deltas and conflicts of one order's points entries.
    mutating func recomputePointsReturn(_ key: PointsOrderKey) throws {
        let rows = try Row.fetchAll(
            db.statement(
                """
                SELECT m.id, m.scope, m.delta, m.reason, m.hlc, m.origin, m.seq, m.written
                FROM member_ledger m
                WHERE m.ref = ? AND m.member = ? AND m.account = 'points'
                """),
            arguments: [key.order, key.member])
        var entries: [PointsReturnCap.Entry] = []
        var stored: [String: Int64] = [:]
        var scope: Scope?
        for row in rows {
            let id: String = row["id"]
            guard let written = row["written"] as Int64? else {
                throw StorageError(
                    .corrupt, "member-ledger entry \(id) has no written delta (schema 22 copies it from the change log)"
                )
            }
            if let s = Scope(row["scope"] as String) { scope = min(scope ?? s, s) }
            stored[id] = row["delta"]
            entries.append(
                PointsReturnCap.Entry(id: id, stamp: try ChangeStamp(row: row), written: written, reason: row["reason"])
            )
        }
        let root = ConflictRoot.points(key)
        guard let scope else {
            try replaceConflicts(root: root, with: [])
            return
        }
        let outcome = PointsReturnCap.cap(order: key.order, member: key.member, entries: entries, scope: scope)
        let ledger = LedgerKey(member: key.member, account: "points")
        var earlierChanged = false
        for (id, delta) in outcome.effective.sorted(by: { $0.key < $1.key }) where stored[id] != delta {
            try db.statement("UPDATE member_ledger SET delta = ? WHERE id = ?").execute(arguments: [
                delta, id,
            ])
            if let i = batchLedger[ledger]?.firstIndex(where: { $0.entry.id == id }) {
                batchLedger[ledger]?[i].entry.delta = delta
            } else {
                earlierChanged = true
            }
        }
        if earlierChanged {
            // An entry the stored balance already includes counts differently now: re-fold.
            batchLedger[ledger] = nil
            touched.ledgers.insert(ledger)
        }
        try replaceConflicts(root: root, with: outcome.conflicts)
    }
}
