import Commerce
import Foundation
import GRDB
import Replication

/// A stock movement this batch inserted (a duplicate id that was ignored is not one).
struct BatchMove {
    var stamp: ChangeStamp
    var reason: StockReason
    var qty: Int64
    var scope: Scope
    /// False for a movement a cancel wrote: whether it counts depends on its order's status
    /// (`StockMoveRule`), so the level is re-folded.
    var counted: Bool
}

/// A member-ledger entry this batch inserted.
struct BatchLedgerEntry {
    var entry: LedgerEntry
    var scope: Scope
}

/// Apply cost independent of history: derived state is advanced from a checkpoint (the
/// stored level or balance and what it includes) by the changes of the batch, and re-folded
/// from the whole ledger only when the result could differ. The pure rules
/// (`StockLedger.evaluate`, `LedgerReplay.replay`) stay the specification: the advanced path
/// calls them on a small equivalent input, so its result is identical to the full fold
/// (`CheckpointEquivalenceTests` checks this on random histories in random delivery orders).
extension ChangeApplier {
    /// `FENXIAO_APPLY_REFOLD=1`: never advance from a checkpoint, re-fold every touched key
    /// from its whole ledger (what every change cost before schema 10). A diagnostic for
    /// before/after measurements; the result is identical, only slower.
    static let refoldAlways = ProcessInfo.processInfo.environment["FENXIAO_APPLY_REFOLD"] == "1"

    // MARK: Open allocations

    /// The movements of `key` that end allocation `id`, by reason. The single definition of
    /// "released": a movement that counts (`StockMoveRule`: a cancel's release counts only
    /// while its order is cancelled) other than `reallocate` naming it in `releases` releases
    /// it; a `reallocate` only marks it displaced. A further rule that voids ending movements
    /// adds its condition here (as the full fold's query in `recomputeStock` does) and queues
    /// the allocations it affects in `allocationRefresh` (see `touchCancelEffects`).
    static let endingMovesSQL =
        "SELECT reason FROM stock_moves m WHERE releases = ? AND sku = ? AND warehouse = ? AND \(StockMoveRule.counts("m"))"

    /// Re-derives whether allocation `id` at `key` is open (allocated, not released) from the
    /// movements held, and updates `stock_open_allocations`. Called in `finish`, after the
    /// orders are derived, for every inserted movement that is an allocation or ends one and
    /// for the releases of orders whose cancel started or stopped counting; any arrival order.
    func refreshOpenAllocation(_ key: StockKey, id: String) throws {
        let reasons = try String.fetchAll(
            db.cachedStatement(sql: Self.endingMovesSQL), arguments: [id, key.sku, key.warehouse])
        let released = reasons.contains { $0 != StockReason.reallocate.rawValue }
        let allocation =
            try released
            ? nil
            : Row.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT qty, hlc, origin, seq FROM stock_moves WHERE id = ? AND sku = ? AND warehouse = ? AND reason = 'allocate'"
                ),
                arguments: [id, key.sku, key.warehouse])
        guard let allocation else {
            try db.cachedStatement(sql: "DELETE FROM stock_open_allocations WHERE sku = ? AND warehouse = ? AND id = ?")
                .execute(arguments: [key.sku, key.warehouse, id])
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO stock_open_allocations(sku, warehouse, id, qty, hlc, origin, seq, reallocated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            key.sku, key.warehouse, id, allocation["qty"] as Int64, allocation["hlc"] as Int64,
            allocation["origin"] as String, allocation["seq"] as Int64, !reasons.isEmpty,
        ])
    }

    /// The open allocations of `key` as movements for `StockLedger.evaluate`, each displaced
    /// one with a `reallocate` marker naming it.
    func openAllocations(_ key: StockKey) throws -> [StockMovement] {
        var out: [StockMovement] = []
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT id, qty, hlc, origin, seq, reallocated FROM stock_open_allocations WHERE sku = ? AND warehouse = ?"
            ),
            arguments: [key.sku, key.warehouse])
        for row in rows {
            let stamp = try ChangeStamp(row: row)
            let id: String = row["id"]
            out.append(
                StockMovement(
                    id: id, sku: key.sku, warehouse: key.warehouse, reason: .allocate, quantity: row["qty"],
                    stamp: stamp))
            if row["reallocated"] as Bool {
                out.append(
                    StockMovement(
                        id: "\(id)#reallocated", sku: key.sku, warehouse: key.warehouse, reason: .reallocate,
                        quantity: 0,
                        releases: id, stamp: stamp))
            }
        }
        return out
    }

    // MARK: Stock

    /// Advances the level of `key` by the movements this batch inserted. On-hand is the
    /// latest count plus every fact after it: a fact after the level's count is added, one
    /// before it is absorbed. Reservations are granted over the open allocations only, and
    /// when on-hand is negative the oversold attribution reads only the latest debits that
    /// make up the deficit. A count, a level written before the checkpoint columns existed,
    /// a new smaller scope or an overflow fall back to the full fold. Returns true when applied.
    func advanceStock(_ key: StockKey) throws -> Bool {
        guard !Self.refoldAlways, let added = batchMoves[key], !added.isEmpty,
            !added.contains(where: { $0.reason == .count || !$0.counted }),
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT scope, on_hand, last_hlc, last_origin, last_seq, count_hlc, count_origin, count_seq, checkpoint
                        FROM stock_levels WHERE sku = ? AND warehouse = ?
                        """),
                arguments: [key.sku, key.warehouse]),
            row["checkpoint"] as Bool, var scope = Scope(row["scope"] as String)
        else { return false }
        var countStamp: ChangeStamp?
        if (row["count_hlc"] as Int64) != 0 {
            guard let origin = NodeID(row["count_origin"] as String) else { return false }
            countStamp = ChangeStamp(hlc: HLC(rawValue: row["count_hlc"]), origin: origin, seq: row["count_seq"])
        }
        var last = NodeID(row["last_origin"] as String).map {
            ChangeStamp(hlc: HLC(rawValue: row["last_hlc"]), origin: $0, seq: row["last_seq"])
        }
        var onHand: Int64 = row["on_hand"]
        for m in added {
            scope = min(scope, m.scope)
            if last.map({ m.stamp > $0 }) ?? true { last = m.stamp }
            guard m.reason.isFact else { continue }
            if let c = countStamp, m.stamp < c { continue }  // absorbed by the count
            let (sum, overflow) = onHand.addingReportingOverflow(m.qty)
            if overflow { return false }
            onHand = sum
        }
        guard var movements = try latestDebits(key, onHand: onHand, after: countStamp) else { return false }
        movements += try openAllocations(key)
        let e = try StockLedger.evaluate(movements, sku: key.sku, warehouse: key.warehouse, scope: scope)
        guard e.position.onHand == onHand, let last else { return false }
        try db.cachedStatement(
            sql: """
                UPDATE stock_levels SET scope = ?, on_hand = ?, reserved = ?, last_hlc = ?, last_origin = ?, last_seq = ?
                WHERE sku = ? AND warehouse = ?
                """
        ).execute(arguments: [
            scope.description, onHand, e.position.reserved, last.hlc.rawValue, last.origin.rawValue, last.seq, key.sku,
            key.warehouse,
        ])
        try replaceConflicts(root: "stock:\(key.sku)@\(key.warehouse)", with: e.conflicts)
        return true
    }

    /// Movements equivalent, for `StockLedger.evaluate`, to every fact of `key`: a count at
    /// the origin of time and, when `onHand` is negative, the latest debits (after the level's
    /// count) that make up the deficit — the ones the rule flags as oversold. Reads newest
    /// first and stops once the deficit is covered (plus any debits with the same clock
    /// value, so ties are ordered by the rule, not by SQL). Nil when a sum overflows.
    func latestDebits(_ key: StockKey, onHand: Int64, after count: ChangeStamp?) throws -> [StockMovement]? {
        var debits: [StockMovement] = []
        var base = onHand
        if onHand < 0 {
            let deficit = -onHand
            var covered: Int64 = 0
            var boundary: Int64?
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT id, reason, qty, hlc, origin, seq FROM stock_moves m
                        WHERE sku = ? AND warehouse = ? AND hlc >= ? AND qty < 0 AND \(StockMoveRule.counts("m")) ORDER BY hlc DESC
                        """),
                arguments: [key.sku, key.warehouse, count?.hlc.rawValue ?? Int64.min])
            while let row = try cursor.next() {
                let hlc: Int64 = row["hlc"]
                if let boundary, hlc != boundary { break }
                guard let reason = StockReason(rawValue: row["reason"] as String), reason.isFact, reason != .count
                else { continue }
                let stamp = try ChangeStamp(row: row)
                if let count, stamp < count { continue }
                let qty: Int64 = row["qty"]
                debits.append(
                    StockMovement(
                        id: row["id"], sku: key.sku, warehouse: key.warehouse, reason: reason, quantity: qty,
                        stamp: stamp))
                let (b, o1) = base.subtractingReportingOverflow(qty)
                let (c, o2) = covered.subtractingReportingOverflow(qty)
                if o1 || o2 { return nil }
                base = b
                covered = c
                if boundary == nil && covered >= deficit { boundary = hlc }
            }
        }
        guard let origin = NodeID("0") else { return nil }
        let start = ChangeStamp(hlc: HLC(rawValue: Int64.min), origin: origin, seq: Int64.min)
        debits.append(
            StockMovement(
                id: "checkpoint", sku: key.sku, warehouse: key.warehouse, reason: .count, quantity: base, stamp: start))
        return debits
    }

    // MARK: Member ledgers

    /// Advances the balance of `key` by the entries this batch inserted when all are newer
    /// than every entry it includes: `LedgerReplay.replay` from the stored balance finds the
    /// same new overdrafts as a replay of the whole ledger, and the earlier ones stay as they
    /// are (their conflict records are not rewritten). A late entry, a smaller scope or a
    /// balance written before the checkpoint columns existed fall back. Returns true when applied.
    func advanceLedger(_ key: LedgerKey) throws -> Bool {
        guard !Self.refoldAlways, let added = batchLedger[key], !added.isEmpty,
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT scope, balance, last_hlc, last_origin, last_seq, checkpoint FROM member_balances
                        WHERE member = ? AND account = ?
                        """),
                arguments: [key.member, key.account]),
            row["checkpoint"] as Bool, let scope = Scope(row["scope"] as String),
            let origin = NodeID(row["last_origin"] as String)
        else { return false }
        let watermark = ChangeStamp(hlc: HLC(rawValue: row["last_hlc"]), origin: origin, seq: row["last_seq"])
        guard added.allSatisfy({ $0.entry.stamp > watermark && $0.scope >= scope }),
            let start = NodeID("0").map({ ChangeStamp(hlc: HLC(rawValue: Int64.min), origin: $0, seq: Int64.min) }),
            let last = added.map(\.entry.stamp).max()
        else { return false }
        let checkpoint = LedgerEntry(id: "checkpoint", stamp: start, delta: row["balance"])
        let outcome = try LedgerReplay.replay(
            [checkpoint] + added.map(\.entry), account: "\(key.account) of member \(key.member)")
        let overdrafts = outcome.overdrafts.filter { $0.entry.stamp != start }
        try db.cachedStatement(
            sql: """
                UPDATE member_balances SET balance = ?, last_hlc = ?, last_origin = ?, last_seq = ?
                WHERE member = ? AND account = ?
                """
        ).execute(arguments: [
            outcome.balance, last.hlc.rawValue, last.origin.rawValue, last.seq, key.member, key.account,
        ])
        try insertConflicts(
            root: ledgerRoot(key),
            overdrafts.map { overdraftConflict($0.entry, shortfall: $0.shortfall, key: key, scope: scope) })
        return true
    }
}
