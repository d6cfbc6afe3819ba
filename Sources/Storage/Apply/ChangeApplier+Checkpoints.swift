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

/// The checkpoint columns of a stored stock level (`advanceStock`).
struct StoredLevel {
    var scope: String
    var onHand: Int64
    var lastHLC: Int64
    var lastOrigin: String
    var lastSeq: Int64
    var countHLC: Int64
    var countOrigin: String
    var countSeq: Int64
    var checkpoint: Bool
    /// Whether the key ever had an intention (an allocation, a release): without one it has
    /// no open allocation to read.
    var reservations: Bool

    init(_ row: SQLColumns) {
        scope = row.text(0)
        onHand = row.int64(1)
        lastHLC = row.int64(2)
        lastOrigin = row.text(3)
        lastSeq = row.int64(4)
        countHLC = row.int64(5)
        countOrigin = row.text(6)
        countSeq = row.int64(7)
        checkpoint = row.bool(8)
        reservations = row.bool(9)
    }
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
        "SELECT reason FROM stock_moves m WHERE releases = ? AND +sku = ? AND +warehouse = ? AND \(StockMoveRule.counts("m"))"

    /// Re-derives whether allocation `id` at `key` is open (allocated, not released) from the
    /// movements held, and updates `stock_open_allocations`. Called in `finish`, after the
    /// orders are derived, for every inserted movement that is an allocation or ends one and
    /// for the releases of orders whose cancel started or stopped counting; any arrival order.
    func refreshOpenAllocation(_ key: StockKey, id: String) throws {
        let reasons = try String.fetchAll(
            db.statement(Self.endingMovesSQL), arguments: [id, key.sku, key.warehouse])
        let released = reasons.contains { $0 != StockReason.reallocate.rawValue }
        let allocation =
            try released
            ? nil
            : Row.fetchOne(
                db.statement(
                    "SELECT qty, hlc, origin, seq FROM stock_moves WHERE id = ? AND sku = ? AND warehouse = ? AND reason = 'allocate'"
                ),
                arguments: [id, key.sku, key.warehouse])
        guard let allocation else {
            try db.statement("DELETE FROM stock_open_allocations WHERE sku = ? AND warehouse = ? AND id = ?")
                .execute(arguments: [key.sku, key.warehouse, id])
            return
        }
        try db.statement(
            """
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
        try db.eachRow(
            "SELECT id, qty, hlc, origin, seq, reallocated FROM stock_open_allocations WHERE sku = ? AND warehouse = ?",
            { bind in
                bind(key.sku)
                bind(key.warehouse)
            }
        ) { row in
            let stamp = try row.stamp(at: 2)
            let id = row.text(0)
            out.append(
                StockMovement(
                    id: id, sku: key.sku, warehouse: key.warehouse, reason: .allocate, quantity: row.int64(1),
                    stamp: stamp))
            if row.bool(5) {
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
            let level = try db.firstRow(
                """
                SELECT scope, on_hand, last_hlc, last_origin, last_seq, count_hlc, count_origin, count_seq, checkpoint,
                    reservations
                FROM stock_levels WHERE sku = ? AND warehouse = ?
                """,
                { bind in
                    bind(key.sku)
                    bind(key.warehouse)
                },
                StoredLevel.init),
            level.checkpoint, var scope = Scope(level.scope)
        else { return false }
        var countStamp: ChangeStamp?
        if level.countHLC != 0 {
            guard let origin = NodeID(level.countOrigin) else { return false }
            countStamp = ChangeStamp(hlc: HLC(rawValue: level.countHLC), origin: origin, seq: level.countSeq)
        }
        var last = NodeID(level.lastOrigin).map {
            ChangeStamp(hlc: HLC(rawValue: level.lastHLC), origin: $0, seq: level.lastSeq)
        }
        var onHand = level.onHand
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
        // A key that never had an intention has no open allocation (most of a shop's shelf).
        let reservations = level.reservations || added.contains { !$0.reason.isFact }
        if reservations { movements += try openAllocations(key) }
        let e = try StockLedger.evaluate(movements, sku: key.sku, warehouse: key.warehouse, scope: scope)
        guard e.position.onHand == onHand, let last else { return false }
        try db.step(
            """
            UPDATE stock_levels SET scope = ?, on_hand = ?, reserved = ?, last_hlc = ?, last_origin = ?, last_seq = ?,
                reservations = ?
            WHERE sku = ? AND warehouse = ?
            """
        ) { bind in
            bind(scope.description)
            bind(onHand)
            bind(e.position.reserved)
            bind.stamp(last)
            bind(reservations)
            bind(key.sku)
            bind(key.warehouse)
        }
        try replaceConflicts(root: ConflictRoot.stock(key), with: e.conflicts)
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
                db.statement(
                    StockMoveKeying.byKey(
                        "m.id, m.reason, m.qty, m.hlc, m.origin, m.seq",
                        where: "m.hlc >= ?3 AND m.qty < 0 AND \(StockMoveRule.counts("m"))", orderBy: "4 DESC")),
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
    /// are (their conflict records are not rewritten).
    ///
    /// A late credit (stamped before the checkpoint: another store's sale delivered after a
    /// later one) is added to the stored balance when the account holds no overdraft: a credit
    /// raises every running balance after it, so it cannot make one, and with none recorded
    /// the full replay's balance is the sum of the entries (the ledger rule). A late debit, a
    /// late credit to an account with overdrafts, a smaller scope or a balance written before
    /// the checkpoint columns existed fall back. Returns true when applied.
    func advanceLedger(_ key: LedgerKey) throws -> Bool {
        guard !Self.refoldAlways, let added = batchLedger[key], !added.isEmpty,
            let stored = try db.firstRow(
                """
                SELECT scope, balance, last_hlc, last_origin, last_seq, checkpoint FROM member_balances
                WHERE member = ? AND account = ?
                """,
                { bind in
                    bind(key.member)
                    bind(key.account)
                },
                { row in
                    (
                        scope: row.text(0), balance: row.int64(1), lastHLC: row.int64(2), lastOrigin: row.text(3),
                        lastSeq: row.int64(4), checkpoint: row.bool(5)
                    )
                }),
            stored.checkpoint, let scope = Scope(stored.scope),
            let origin = NodeID(stored.lastOrigin)
        else { return false }
        let watermark = ChangeStamp(hlc: HLC(rawValue: stored.lastHLC), origin: origin, seq: stored.lastSeq)
        guard added.allSatisfy({ $0.scope >= scope }),
            let start = NodeID("0").map({ ChangeStamp(hlc: HLC(rawValue: Int64.min), origin: $0, seq: Int64.min) }),
            let newest = added.map(\.entry.stamp).max()
        else { return false }
        let late = added.filter { $0.entry.stamp <= watermark }.map(\.entry)
        let newer = added.filter { $0.entry.stamp > watermark }.map(\.entry)
        var balance = stored.balance
        if !late.isEmpty {
            let overdrawn = try db.firstRow(
                "SELECT 1 FROM conflicts WHERE root = ? LIMIT 1", { $0(ConflictRoot.ledger(key)) }, { _ in true })
            guard late.allSatisfy({ $0.delta >= 0 }), overdrawn == nil else { return false }
            for entry in late {
                balance = try Checked.add(
                    balance, entry.delta, "the \(key.account) of member \(key.member) balance after entry \(entry.id)")
            }
        }
        let last = max(newest, watermark)
        let checkpoint = LedgerEntry(id: "checkpoint", stamp: start, delta: balance)
        let outcome = try LedgerReplay.replay(
            [checkpoint] + newer, account: "\(key.account) of member \(key.member)")
        let overdrafts = outcome.overdrafts.filter { $0.entry.stamp != start }
        try db.step(
            """
            UPDATE member_balances SET balance = ?, last_hlc = ?, last_origin = ?, last_seq = ?
            WHERE member = ? AND account = ?
            """
        ) { bind in
            bind(outcome.balance)
            bind.stamp(last)
            bind(key.member)
            bind(key.account)
        }
        try insertConflicts(
            root: ConflictRoot.ledger(key),
            overdrafts.map { overdraftConflict($0.entry, shortfall: $0.shortfall, key: key, scope: scope) })
        return true
    }
}
