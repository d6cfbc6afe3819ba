import Foundation
import GRDB
import Replication

/// What one `fenxiao compact` (or the compaction after a sync) did at a store.
public struct CompactionReport: Sendable, Encodable, Equatable {
    /// Changes that left the log in this run.
    public var dropped: Int
    /// Changes left in the log.
    public var remaining: Int
    /// Changes stamped at or below this were eligible (the lower of the frontier central last
    /// announced and the retention limit; `HLC.rawValue`; 0 before central announced one).
    public var cutoff_hlc: Int64
    /// This store's own changes up to this seq were eligible (acknowledged by central and held
    /// by central's latest backup).
    public var own_limit_seq: Int64
    public var keep_days: Int
    /// Outbox events (order status notifications a store records, which nothing delivers at a
    /// store) older than the retention, dropped in this run.
    public var outbox_dropped: Int = 0
    /// Orders that can never change again (closed below the frontier) dropped in this run,
    /// with their lines, payments and refunds (``ClosedOrderPruning``).
    public var orders_dropped: Int = 0
    /// Settled stock movements folded into their key's base in this run (``StockFolding``).
    public var moves_folded: Int = 0
    /// Settled member-ledger entries folded into their member's base in this run
    /// (``MemberLedgerFolding``).
    public var entries_folded: Int = 0
}

/// Store log compaction (docs/STABILITY.md): a change whose effect lives on whole in a table
/// row — an order line, a payment, a refund, a stock movement, a member-ledger entry, an audit
/// record — leaves the change log once it is
/// - stamped at or below the stability frontier central last announced (history below it is
///   final: no new change can be stamped before it) and older than the retention setting,
/// - of another store; or this store's own and both acknowledged by central and held by
///   central's latest backup (so a restored central can still be given it back); or central's
///   and held by central's latest backup (a central restored from it needs none of them back
///   and never reuses their seqs),
/// - not the highest seq held of its origin (the next own seq and the held-seq checks of sync
///   read it).
///
/// Registers and orders are re-derived from their history and keep every change. A dropped
/// change that arrives again (a re-pull) is recognized by its origin's watermark in
/// `log_compacted` and counted as a duplicate. Runs in chunks of short transactions, each
/// continuing where the last one stopped (`node_meta`), so a till is never held up for long.
public enum LogCompaction {
    /// The kinds that may leave the log.
    static let kinds = ["order_line", "payment", "refund", "stock_move", "member_ledger", "audit"]
    /// Days a change stays in the log at least (`fenxiao compact --keep-days`).
    public static let defaultKeepDays = 30
    public static let keepDaysRange = 1...3650
    static let dayMillis: Int64 = 86_400_000

    /// `node_meta` keys.
    public enum Keys {
        /// Central's frontier as last announced at `hello` (`HLC.rawValue`).
        public static let frontier = "stability_frontier"
        /// The frontier of the last `hello` followed by a complete pull: the store holds every
        /// change stamped at or below it that will ever exist, so it may fold history below it
        /// (closed orders, stock movements). Compaction of the log needs only ``frontier``.
        public static let foldFrontier = "stability_frontier_pulled"
        /// The highest own seq central's latest backup holds, as last announced.
        public static let durableSeq = "durable_seq"
        public static let keepDays = "log_keep_days"
        /// The highest cutoff a run used: rows stamped above it never left the log.
        public static let cutoff = "log_compacted_hlc"
        static let position = "log_compacted_pos"
        static let ownSeq = "log_compacted_own_seq"
        /// The highest of central's seqs a run passed (its compactable changes up to it left).
        public static let centralSeq = "log_compacted_central_seq"
        /// The highest of central's own seqs its latest backup holds, as last announced.
        public static let centralDurableSeq = "central_durable_seq"
    }

    /// Per origin, the highest seq whose change left the log.
    static func watermarks(_ db: Database) throws -> [NodeID: Int64] {
        var marks: [NodeID: Int64] = [:]
        try db.eachRow("SELECT origin, seq FROM log_compacted", { _ in }) { row in
            if let origin = NodeID(row.text(0)) { marks[origin] = row.int64(1) }
        }
        return marks
    }

    static let kindList = kinds.map { "'\($0)'" }.joined(separator: ", ")

    /// Records that changes stamped at or below `cutoff` may have left the log (only ever
    /// raised; the consistency check skips rows below it when it looks for their change).
    static func raiseCutoff(_ db: Database, to cutoff: HLC) throws {
        let before = Int64(try Meta.get(db, Keys.cutoff) ?? "0") ?? 0
        try Meta.set(db, Keys.cutoff, String(max(before, cutoff.rawValue)))
    }

    /// Why `days` is refused as the retention, or nil when it is in range.
    public static func keepDaysProblem(_ days: Int) -> String? {
        keepDaysRange.contains(days)
            ? nil
            : "keep-days \(days) is out of range: keep changes \(keepDaysRange.lowerBound)…\(keepDaysRange.upperBound) days"
    }
}

extension NodeStore {
    /// Compacts this store's log (see ``LogCompaction``); `keepDays` replaces the stored
    /// retention setting when given. Each chunk is its own transaction.
    public func compactLog(keepDays: Int? = nil, chunk: Int = 20_000) throws -> CompactionReport {
        guard identity.role == .store else {
            throw StorageError(.refused, "log compaction runs at stores; central keeps its whole log")
        }
        if let keepDays {
            if let problem = LogCompaction.keepDaysProblem(keepDays) { throw StorageError(.refused, problem) }
            try setMeta([LogCompaction.Keys.keepDays: String(keepDays)])
        }
        var dropped = 0
        var cutoff = HLC.zero
        let now = wallClock()
        while true {
            let step = try writeLocal { db in try Self.compactChunk(db, identity: identity, now: now, chunk: chunk) }
            dropped += step.dropped
            cutoff = step.cutoff
            if step.done { break }
        }
        let foldCutoff = try read { r in try Self.foldCutoff(r.db, now: now) }
        let ordersDropped = try pruneClosedOrders(cutoff: foldCutoff)
        let movesFolded = try foldStock(cutoff: foldCutoff)
        let entriesFolded = try foldMemberLedgers(cutoff: foldCutoff)
        // The outbox keeps what the log keeps: events older than the retention go.
        let outboxDropped = try writeLocal { db in
            let keep = Int64(try StoreReader(db: db, identity: identity).logKeepDays())
            try db.execute(
                sql: "DELETE FROM outbox WHERE created_at < ?", arguments: [now - keep * LogCompaction.dayMillis])
            return db.changesCount
        }
        return try read { r in
            CompactionReport(
                dropped: dropped, remaining: try r.changeCount(), cutoff_hlc: cutoff.rawValue,
                own_limit_seq: try Self.ownLimit(r.db, identity: identity), keep_days: try r.logKeepDays(),
                outbox_dropped: outboxDropped, orders_dropped: ordersDropped, moves_folded: movesFolded,
                entries_folded: entriesFolded)
        }
    }

    /// The newest stamp the retention setting lets go at wall time `now` (keep-days before it).
    static func retention(_ db: Database, now: Int64) throws -> HLC {
        let keep = Int64(try Meta.get(db, LogCompaction.Keys.keepDays) ?? "") ?? Int64(LogCompaction.defaultKeepDays)
        return HLC(wallMillis: max(0, now - keep * LogCompaction.dayMillis), counter: 0xFFFF)
    }

    /// Folding below this is safe: the frontier of a `hello` the store pulled completely after
    /// (``LogCompaction/Keys/foldFrontier``), capped by the retention like the log's cutoff.
    static func foldCutoff(_ db: Database, now: Int64) throws -> HLC {
        let pulled = HLC(rawValue: Int64(try Meta.get(db, LogCompaction.Keys.foldFrontier) ?? "0") ?? 0)
        return min(pulled, try retention(db, now: now))
    }

    /// Own changes up to this seq may leave the log: acknowledged, in central's latest backup,
    /// and below the highest own seq (which the next seq is counted from).
    static func ownLimit(_ db: Database, identity: NodeIdentity) throws -> Int64 {
        let acked = Int64(try Meta.get(db, "acked_seq") ?? "0") ?? 0
        let durable = Int64(try Meta.get(db, LogCompaction.Keys.durableSeq) ?? "0") ?? 0
        let held = try StoreReader(db: db, identity: identity).heldSeq(of: identity.node)
        return max(0, min(acked, durable, held - 1))
    }

    /// Central's changes up to this seq may leave a store's log: held by central's latest
    /// backup (a central restored from it never reuses their seqs and needs none of them back),
    /// and below the highest of central's seqs the store holds.
    static func centralLimit(_ db: Database, identity: NodeIdentity) throws -> Int64 {
        let durable = Int64(try Meta.get(db, LogCompaction.Keys.centralDurableSeq) ?? "0") ?? 0
        let held = try StoreReader(db: db, identity: identity).heldSeq(of: .central)
        return max(0, min(durable, held - 1))
    }

    /// Drops up to `chunk` of `origin`'s changes by seq, after the progress kept under
    /// `progressKey` and up to `limit`, stopping at the first stamped above `cutoff` (an
    /// origin's stamps grow with its seqs). Returns what it dropped, the seq it reached (nil
    /// when it did not move) and whether a full chunk was read (there may be more).
    static func compactOrigin(
        _ db: Database, origin: NodeID, progressKey: String, limit: Int64, cutoff: HLC, chunk: Int
    ) throws -> (dropped: Int, to: Int64?, more: Bool) {
        let from = Int64(try Meta.get(db, progressKey) ?? "0") ?? 0
        let (to, more) = try settledPrefix(
            db, "SELECT seq, hlc FROM change_log WHERE origin = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
            { bind in
                bind(origin.rawValue)
                bind(from)
                bind(limit)
                bind(Int64(chunk))
            }, from: from, cutoff: cutoff, chunk: chunk)
        guard to > from else { return (0, nil, false) }
        let dropped = try db.step(
            "DELETE FROM change_log WHERE origin = ? AND seq > ? AND seq <= ? AND kind IN (\(LogCompaction.kindList))"
        ) { bind in
            bind(origin.rawValue)
            bind(from)
            bind(to)
        }
        try Meta.set(db, progressKey, String(to))
        return (dropped, to, more)
    }

    /// Reads `sql`'s rows (a key, then a stamp) in order and returns the last key stamped at or
    /// below `cutoff` before the first one above it (`from` when none), and whether a run may
    /// read on: a full chunk, nothing too new.
    static func settledPrefix(
        _ db: Database, _ sql: String, _ bind: (inout SQLBinder) -> Void, from: Int64, cutoff: HLC, chunk: Int
    ) throws -> (to: Int64, more: Bool) {
        var to = from
        var stopped = false
        var scanned = 0
        try db.scanRows(
            sql, bind,
            until: { row in
                scanned += 1
                guard row.int64(1) <= cutoff.rawValue else {
                    stopped = true  // too new: the next run starts here
                    return false
                }
                to = row.int64(0)
                return true
            })
        return (to, scanned == chunk && !stopped)
    }

    /// One chunk: up to `chunk` own changes and as many of central's by seq, then up to `chunk`
    /// others by log position.
    /// Returns whether both scans are done for this run (at the end, or at a change too new).
    static func compactChunk(_ db: Database, identity: NodeIdentity, now: Int64, chunk: Int) throws -> (
        dropped: Int, done: Bool, cutoff: HLC
    ) {
        let me = identity.node
        let frontier = HLC(rawValue: Int64(try Meta.get(db, LogCompaction.Keys.frontier) ?? "0") ?? 0)
        let cutoff = min(frontier, try retention(db, now: now))
        guard cutoff > .zero else { return (0, true, .zero) }
        var dropped = 0
        var marks: [String: Int64] = [:]

        // This store's own changes and central's, each by seq (stamps grow with seqs).
        var more = false
        for (origin, progressKey, limit) in [
            (me, LogCompaction.Keys.ownSeq, try ownLimit(db, identity: identity)),
            (NodeID.central, LogCompaction.Keys.centralSeq, try centralLimit(db, identity: identity)),
        ] {
            let run = try compactOrigin(
                db, origin: origin, progressKey: progressKey, limit: limit, cutoff: cutoff, chunk: chunk)
            dropped += run.dropped
            if let to = run.to { marks[origin.rawValue] = to }
            more = more || run.more
        }

        // Other stores' changes, in the order they arrived (pulls follow stamps closely).
        var highest: [String: Int64] = [:]
        try db.eachRow("SELECT origin, seq FROM version_vector", { _ in }) { highest[$0.text(0)] = $0.int64(1) }
        let posFrom = Int64(try Meta.get(db, LogCompaction.Keys.position) ?? "0") ?? 0
        var posTo = posFrom
        var othersStopped = false
        var scanned = 0
        var doomed: [Int64] = []
        let compactable = Set(LogCompaction.kinds)
        try db.scanRows(
            "SELECT pos, origin, seq, hlc, kind FROM change_log WHERE pos > ? ORDER BY pos LIMIT ?",
            { bind in
                bind(posFrom)
                bind(Int64(chunk))
            },
            until: { row in
                scanned += 1
                let origin = row.text(1)
                if origin == me.rawValue || origin == NodeID.central.rawValue {  // by seq, above
                    posTo = row.int64(0)
                    return true
                }
                guard row.int64(3) <= cutoff.rawValue else {
                    othersStopped = true  // too new: the next run starts here
                    return false
                }
                posTo = row.int64(0)
                let seq = row.int64(2)
                if compactable.contains(row.text(4)), seq < highest[origin, default: 0] {
                    doomed.append(row.int64(0))
                    marks[origin] = max(marks[origin, default: 0], seq)
                }
                return true
            })
        let othersMore = scanned == chunk && !othersStopped
        for pos in doomed {
            dropped += try db.step("DELETE FROM change_log WHERE pos = ?") { $0(pos) }
        }
        if posTo > posFrom { try Meta.set(db, LogCompaction.Keys.position, String(posTo)) }

        for (origin, seq) in marks.sorted(by: { $0.key < $1.key }) {
            try db.step(
                """
                INSERT INTO log_compacted(origin, seq) VALUES (?, ?)
                ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                """
            ) { bind in
                bind(origin)
                bind(seq)
            }
        }
        if dropped > 0 { try LogCompaction.raiseCutoff(db, to: cutoff) }
        return (dropped, !more && !othersMore, cutoff)
    }
}

extension StoreReader {
    /// Days a change stays in this store's log at least (the `fenxiao compact --keep-days` setting).
    public func logKeepDays() throws -> Int {
        Int(try meta(LogCompaction.Keys.keepDays) ?? "") ?? LogCompaction.defaultKeepDays
    }

    /// The highest of central's seqs whose compactable changes left this store's log (0 before
    /// any did).
    public func centralCompactedSeq() throws -> Int64 {
        Int64(try meta(LogCompaction.Keys.centralSeq) ?? "0") ?? 0
    }

    /// Per origin, the highest seq whose change left this store's log (empty before any compaction).
    public func compactedSeqs() throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try LogCompaction.watermarks(db).map { ($0.key.rawValue, $0.value) })
    }
}
