import Commerce
import GRDB
import Replication

/// A store drops orders that can never change again (docs/STABILITY.md, "Closed orders"), so
/// its file stops growing with the orders it sold: head office keeps every order, and the
/// store's state hash stays the one of a store that kept them (`StateHash.fold`).
///
/// An order `X` leaves a store with its lines, payments, refunds (and their lines and parts),
/// its changes in the log and its history rows, once
/// - it was sold with an after-sale period (`close_days`) and the frontier central announced —
///   capped by the log retention, like compaction — lies past its closing time: no change that
///   could touch it is accepted after that (`OrderClosing`), and none stamped before it can
///   arrive any more;
/// - every change of it in the log is this store's own and within what compaction already
///   dropped of its own sequence (acknowledged and in central's latest backup); central's
///   online orders, which it ships, stay;
/// - no later rule reads it: it has no upline (a new commission rule version re-computes the
///   commissions of orders with one), and it is cancelled or has no cancel movements (whether
///   those count reads the order's status).
///
/// Its stock movements and points entries stay: they are ledgers other changes keep reading.
enum ClosedOrderPruning {
    /// `node_meta`: orders created at or below this stamp were decided for good (dropped, or
    /// kept for a reason that does not go away).
    static let progressKey = "orders_pruned_hlc"
    /// Per order, its own changes the compaction must have passed: the creation, one line and
    /// one stock movement per line, in that order.
    static let changesPerLine: Int64 = 2

    /// The tables an order's rows live in, with the column naming the order.
    static let tables: [(name: String, orderColumn: String)] = [
        ("orders", "id"), ("order_lines", "order_id"), ("payments", "order_id"), ("refunds", "order_id"),
        ("refund_lines", "order_id"), ("refund_parts", "order_id"),
    ]

    enum Verdict {
        case drop
        /// Kept for good: later runs need not look at it again.
        case keep
        /// Not yet: a later run may drop it.
        case notYet
    }

    /// One chunk: decides up to `chunk` orders created at or below `cutoff`, in creation order,
    /// and drops those that qualify. Returns how many were dropped and whether it is done.
    static func pruneChunk(_ db: Database, me: NodeID, cutoff: HLC, ownTo: Int64, chunk: Int) throws -> (
        dropped: Int, done: Bool
    ) {
        let from = Int64(try Meta.get(db, progressKey) ?? "0") ?? 0
        var candidates: [(id: String, created: Int64, verdict: Verdict)] = []
        try db.eachRow(
            """
            SELECT id, created_hlc, close_days, upline IS NOT NULL FROM orders
            WHERE close_days IS NOT NULL AND created_hlc > ? AND created_hlc <= ? ORDER BY created_hlc LIMIT ?
            """,
            { bind in
                bind(from)
                bind(cutoff.rawValue)
                bind(Int64(chunk))
            }
        ) { row in
            let created = HLC(rawValue: row.int64(1))
            let verdict: Verdict
            if row.bool(3) {
                verdict = .keep
            } else if !OrderClosing.isFinal(created: created, days: row.int64(2), frontier: cutoff) {
                verdict = .notYet
            } else {
                verdict = .drop
            }
            candidates.append((row.text(0), row.int64(1), verdict))
        }
        var progress = from
        var blocked = false
        var doomed: [String] = []
        for candidate in candidates {
            var verdict = candidate.verdict
            if verdict == .drop { verdict = try decide(db, order: candidate.id, me: me, ownTo: ownTo) }
            if verdict == .drop { doomed.append(candidate.id) }
            if verdict == .notYet { blocked = true }
            if !blocked { progress = candidate.created }
        }
        for id in doomed { try dropChanges(db, order: id, me: me) }
        try dropRows(db, orders: doomed)
        if progress > from { try Meta.set(db, progressKey, String(progress)) }
        return (doomed.count, candidates.count < chunk || blocked)
    }

    /// The order's changes by their identity (the log's primary key): its own (history), its
    /// payments' and its refunds'.
    static func orderChanges(_ db: Database, order id: String) throws -> [(origin: String, seq: Int64)] {
        var changes: [(origin: String, seq: Int64)] = []
        for sql in [
            "SELECT origin, seq FROM entity_history WHERE kind = 'order' AND entity = ?",
            "SELECT origin, seq FROM payments WHERE order_id = ?",
            "SELECT origin, seq FROM refunds WHERE order_id = ?",
        ] {
            try db.eachRow(sql, { $0(id) }) { changes.append(($0.text(0), $0.int64(1))) }
        }
        return changes
    }

    static func lineCount(_ db: Database, order id: String) throws -> Int64 {
        try db.firstRow("SELECT COUNT(*) FROM order_lines WHERE order_id = ?", { $0(id) }) { $0.int64(0) } ?? 0
    }

    /// Whether order `id`, closed below the frontier, may go now, later or never.
    static func decide(_ db: Database, order id: String, me: NodeID, ownTo: Int64) throws -> Verdict {
        let cancelMoves =
            try db.firstRow(
                """
                SELECT EXISTS(SELECT 1 FROM stock_moves WHERE cancel_of = ?1)
                   AND (SELECT status FROM orders WHERE id = ?1) <> 'cancelled'
                """, { $0(id) }
            ) { $0.bool(0) } ?? true
        if cancelMoves { return .keep }
        let changes = try orderChanges(db, order: id)
        if changes.contains(where: { $0.origin != me.rawValue }) { return .keep }
        guard let first = changes.map(\.seq).min(), let last = changes.map(\.seq).max() else { return .keep }
        let lines = try lineCount(db, order: id)
        return max(last, first + changesPerLine * lines) <= ownTo ? .drop : .notYet
    }

    /// Deletes the order's changes from the log, and its history rows.
    static func dropChanges(_ db: Database, order id: String, me: NodeID) throws {
        let creation =
            try db.firstRow(
                "SELECT MIN(seq) FROM entity_history WHERE kind = 'order' AND entity = ? AND origin = ?",
                { bind in
                    bind(id)
                    bind(me.rawValue)
                }
            ) { $0.int64(0) } ?? 0
        let lines = try lineCount(db, order: id)
        let changes = try orderChanges(db, order: id)
        for change in changes {
            _ = try db.step("DELETE FROM change_log WHERE origin = ? AND seq = ?") { bind in
                bind(change.origin)
                bind(change.seq)
            }
        }
        _ = try db.step("DELETE FROM entity_history WHERE kind = 'order' AND entity = ?") { $0(id) }
        // Its lines' changes, written right after the creation (compaction dropped them already
        // unless the log kept them for another reason).
        _ = try db.step(
            """
            DELETE FROM change_log WHERE origin = ? AND seq > ? AND seq <= ? AND kind = 'order_line'
              AND substr(entity, 1, length(?) + 1) = ? || '#'
            """
        ) { bind in
            bind(me.rawValue)
            bind(creation)
            bind(creation + changesPerLine * lines + changesPerLine)
            bind(id)
            bind(id)
        }
    }

    /// Folds the rows of `orders` into `hash_folds` (`StateHash.fold`), then deletes them.
    static func dropRows(_ db: Database, orders: [String]) throws {
        guard !orders.isEmpty else { return }
        try db.withTemporaryIDs(orders) { ids in
            // What they spent stays in their members' lifetime spend.
            try db.execute(
                sql: """
                    INSERT INTO member_spend_bases(member, spend, orders)
                    SELECT member, SUM(paid_cents - refunded_cents), COUNT(*) FROM orders
                    WHERE id IN (\(ids)) AND member IS NOT NULL AND status NOT IN ('pending', 'cancelled')
                    GROUP BY member
                    ON CONFLICT(member) DO UPDATE SET spend = spend + excluded.spend, orders = orders + excluded.orders
                    """)
            for table in tables {
                let match = "\(table.orderColumn) IN (\(ids))"
                _ = try StateHash.fold(db, table: table.name, where: match, arguments: [])
                try db.execute(sql: "DELETE FROM \(table.name) WHERE \(match)")
            }
        }
    }
}

extension NodeStore {
    /// Drops orders that can never change again (``ClosedOrderPruning``), in chunks of short
    /// transactions, after a compaction run; returns how many left.
    func pruneClosedOrders(cutoff: HLC, chunk: Int = 500) throws -> Int {
        guard identity.role == .store, cutoff > .zero else { return 0 }
        var dropped = 0
        while true {
            let step = try writeLocal { db in
                let ownTo = Int64(try Meta.get(db, LogCompaction.Keys.ownSeq) ?? "0") ?? 0
                return try ClosedOrderPruning.pruneChunk(
                    db, me: identity.node, cutoff: cutoff, ownTo: ownTo, chunk: chunk)
            }
            dropped += step.dropped
            if step.done { break }
        }
        return dropped
    }
}
