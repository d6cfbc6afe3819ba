import Commerce
import GRDB
import Replication

/// A store folds the settled stock movements of each (SKU, warehouse) into one base row
/// (`stock_bases`), so its file stops growing with every sale's movement (docs/STABILITY.md,
/// "Closed orders"). The level — and every conflict the stock rule derives — stays what the
/// whole ledger gives (`StockLedger.evaluate`):
///
/// - only **facts** fold (sales, receipts, returns, transfers, adjustments): counts stay (the
///   latest one absorbs what came before it), and so do open reservations, releases and a
///   cancel's movements (whether those count depends on other movements or on the order);
///   a reservation ended by a shipment (a fact that always counts) folds with it, because
///   the ledger reserves nothing for it once released;
/// - only movements stamped at or below the cutoff (the frontier, capped by the retention:
///   nothing earlier can arrive any more) whose change already left the log;
/// - facts before the latest count at or below the cutoff are absorbed by it and just go;
///   those after it add to the base, stamped as the latest of them. A later count absorbs the
///   base like any fact before it;
/// - a key folds only when its stock at the cutoff (after that count) is not below zero: the
///   oversold rule flags the latest debits that make up a final deficit, and it reaches a
///   debit at or before the cutoff only if the stock at the cutoff plus the debits after it
///   fall short of the deficit — impossible when the stock at the cutoff is ≥ 0 — so no
///   folded movement (nor the base) is ever flagged, now or after any later change.
enum StockFolding {
    /// One stored movement, as the fold reads it.
    struct Move {
        var id: String
        var reason: StockReason
        var qty: Int64
        var stamp: ChangeStamp
        /// A fact this run may remove: its change left the log, no release or cancel ties.
        var foldable: Bool
    }

    /// Folds what can be folded of `key`; returns how many movements left the table.
    static func fold(_ db: Database, sku: String, warehouse: String, cutoff: HLC) throws -> Int {
        var moves: [Move] = []
        // Settled allocations (their change left the log) and the shipments that end them.
        var allocations: Set<String> = []
        var shipments: [(index: Int, allocation: String)] = []
        try db.eachRow(
            StockMoveKeying.byKey(
                """
                m.id, m.reason, m.qty, m.hlc, m.origin, m.seq, m.releases, m.cancel_of IS NULL,
                NOT EXISTS (SELECT 1 FROM change_log c WHERE c.origin = m.origin AND c.seq = m.seq)
                """,
                where: "m.hlc <= ?3 AND \(StockMoveRule.counts("m"))", orderBy: "4, 1"),
            { bind in
                bind(sku)
                bind(warehouse)
                bind(cutoff.rawValue)
            }
        ) { row in
            guard let reason = StockReason(rawValue: row.text(1)), let origin = NodeID(row.text(4)) else { return }
            let releases = row.isNull(6) ? nil : row.text(6)
            let settled = row.bool(7) && row.bool(8)
            if settled && reason == .allocate && releases == nil { allocations.insert(row.text(0)) }
            if settled && reason.isFact && reason != .count, let releases { shipments.append((moves.count, releases)) }
            moves.append(
                Move(
                    id: row.text(0), reason: reason, qty: row.int64(2),
                    stamp: ChangeStamp(hlc: HLC(rawValue: row.int64(3)), origin: origin, seq: row.int64(5)),
                    foldable: settled && releases == nil && reason.isFact && reason != .count))
        }
        // A shipment folds like any fact together with the allocation it ends: a movement that
        // always counts releases it, so the allocation reserves nothing (`StockLedger`) and
        // goes without a trace; the shipment then needs no allocation to point to.
        var ended: Set<String> = []
        for shipment in shipments where allocations.contains(shipment.allocation) {
            moves[shipment.index].foldable = true
            ended.insert(shipment.allocation)
        }
        guard moves.contains(where: \.foldable) else { return 0 }
        moves.sort { $0.stamp < $1.stamp }
        let count = moves.last { $0.reason == .count }
        var base = try storedBase(db, sku: sku, warehouse: warehouse)
        if let c = count, let stamp = base?.stamp, stamp < c.stamp { base?.qty = 0 }  // absorbed by the count
        // The stock at the cutoff: the count, the base and every counted fact after the count.
        // Never below zero, or the oversold rule might one day flag a folded debit.
        var atCutoff = count?.qty ?? 0
        for m in moves where m.reason.isFact && m.reason != .count && count.map({ m.stamp > $0.stamp }) ?? true {
            let (sum, overflow) = atCutoff.addingReportingOverflow(m.qty)
            if overflow { return 0 }
            atCutoff = sum
        }
        if let b = base {
            let (sum, overflow) = atCutoff.addingReportingOverflow(b.qty)
            if overflow { return 0 }
            atCutoff = sum
        }
        guard atCutoff >= 0 else { return 0 }
        var folded = base ?? Base(qty: 0, stamp: nil, rows: 0)
        var doomed: [String] = []
        var latestDoomed: ChangeStamp?
        for m in moves where ended.contains(m.id) {
            doomed.append(m.id)
            folded.rows += 1
            if latestDoomed.map({ m.stamp > $0 }) ?? true { latestDoomed = m.stamp }
        }
        for m in moves where m.foldable {
            doomed.append(m.id)
            folded.rows += 1
            if latestDoomed.map({ m.stamp > $0 }) ?? true { latestDoomed = m.stamp }
            if let c = count, m.stamp < c.stamp { continue }  // absorbed: contributes nothing
            let (sum, overflow) = folded.qty.addingReportingOverflow(m.qty)
            if overflow { return 0 }
            folded.qty = sum
            if folded.stamp.map({ m.stamp > $0 }) ?? true { folded.stamp = m.stamp }
        }
        // Absorbed facts alone still leave a base (of nothing, before the count): the level's
        // full fold then starts from the level's own scope, which a folded movement may have set.
        guard let stamp = folded.stamp ?? base?.stamp ?? latestDoomed else { return 0 }
        try db.withTemporaryIDs(doomed) { ids in
            let match = "id IN (\(ids))"
            _ = try StateHash.fold(db, table: "stock_moves", where: match, arguments: [])
            try db.execute(sql: "DELETE FROM stock_moves WHERE \(match)")
        }
        _ = try db.step(
            """
            INSERT OR REPLACE INTO stock_bases(sku, warehouse, qty, hlc, origin, seq, rows) VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        ) { bind in
            bind(sku)
            bind(warehouse)
            bind(folded.qty)
            bind.stamp(stamp)
            bind(folded.rows)
        }
        return doomed.count
    }

    /// The folded facts of a key: their sum (after the latest count below them), the stamp of
    /// the latest, and how many rows they were.
    struct Base {
        var qty: Int64
        var stamp: ChangeStamp?
        var rows: Int64
    }

    static func storedBase(_ db: Database, sku: String, warehouse: String) throws -> Base? {
        try db.firstRow(
            "SELECT qty, hlc, origin, seq, rows FROM stock_bases WHERE sku = ? AND warehouse = ?",
            { bind in
                bind(sku)
                bind(warehouse)
            }
        ) { row in
            Base(
                qty: row.int64(0),
                stamp: NodeID(row.text(2)).map {
                    ChangeStamp(hlc: HLC(rawValue: row.int64(1)), origin: $0, seq: row.int64(3))
                },
                rows: row.int64(4))
        }
    }

    /// The base of `key` as one movement for `StockLedger.evaluate` (nil when it has none).
    static func baseMovement(_ db: Database, _ key: StockKey) throws -> StockMovement? {
        guard let base = try storedBase(db, sku: key.sku, warehouse: key.warehouse), let stamp = base.stamp else {
            return nil
        }
        return StockMovement(
            id: "folded:\(key.sku)@\(key.warehouse)", sku: key.sku, warehouse: key.warehouse, reason: .adjust,
            quantity: base.qty, stamp: stamp)
    }
}

extension NodeStore {
    /// `node_meta`: the cutoff the last fold run used.
    static let stockFoldedKey = "stock_folded_hlc"

    /// Folds the settled stock movements of the keys that have any (``StockFolding``), a key a
    /// transaction; returns how many movements left. Runs at most once an hour of cutoff: a
    /// sync every half minute does not re-read the keys each time.
    func foldStock(cutoff: HLC) throws -> Int {
        try foldHourly(
            Self.stockFoldedKey, cutoff: cutoff,
            keys: { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT sku, warehouse FROM stock_moves
                        WHERE hlc <= ? AND cancel_of IS NULL AND reason NOT IN ('count', 'allocate', 'release', 'reallocate')
                        ORDER BY sku, warehouse
                        """, arguments: [cutoff.rawValue]
                ).map { (sku: $0[0] as String, warehouse: $0[1] as String) }
            },
            fold: { db, key in try StockFolding.fold(db, sku: key.sku, warehouse: key.warehouse, cutoff: cutoff) })
    }

    /// A store's fold run: the keys read once, then a key a transaction; at most once an hour
    /// of cutoff (`metaKey` keeps the last), so a sync every half minute does not re-read them.
    /// Returns how many rows left.
    func foldHourly<Key>(
        _ metaKey: String, cutoff: HLC, keys: (Database) throws -> [Key], fold: (Database, Key) throws -> Int
    ) throws -> Int {
        guard identity.role == .store, cutoff > .zero else { return 0 }
        let last = HLC(rawValue: Int64(try read { try $0.meta(metaKey) } ?? "0") ?? 0)
        guard cutoff.wallMillis >= last.wallMillis + 3_600_000 else { return 0 }
        var dropped = 0
        for key in try read({ try keys($0.db) }) {
            dropped += try writeLocal { db in try fold(db, key) }
        }
        try setMeta([metaKey: String(cutoff.rawValue)])
        return dropped
    }
}
