import GRDB
import Replication

/// Central's identity across restores: the chain it belongs to (fixed at `fenxiao init`) and
/// its epoch, which `fenxiao restore` raises every time central's file is replaced by a backup.
///
/// A restore makes central forget what it acknowledged after the backup. The epoch tells the
/// stores so: a store that sees a higher epoch than the one it recorded gives central back what
/// central acknowledged after the backup (see sync/PROTOCOL.md §8.6).
public struct CentralEpoch: Sendable, Equatable, Codable {
    /// Stable id of the chain: `central@<creation time of central's file>`. A backup carries it.
    public var chain: String
    /// 1 for a central that was never restored; +1 per restore.
    public var epoch: Int64
}

/// What a restore recorded at central, for the stores that have not caught it up yet.
public struct RestoreState: Sendable, Equatable, Codable {
    /// The epoch the restore opened.
    public var epoch: Int64
    /// Central's change-log end at the restore: positions up to it mean the same change as
    /// before; a store whose pull cursor is above it resets it to this value.
    public var base_pos: Int64
    /// Central's own highest seq at the restore: central's own changes above it (up to
    /// `own_seq_floor`) were lost with the disk and come back from the stores that hold them.
    public var central_seq: Int64
    /// Central authors its own changes after the restore above this seq, so it never reissues a
    /// seq that a store may hold with other content.
    public var own_seq_floor: Int64
    /// Enrolled stores that have not yet given central back what it had acknowledged from them.
    public var waiting: [String]

    /// The seq floor of an epoch: each epoch authors in its own range of 2^40 seqs.
    public static func floor(epoch: Int64) -> Int64 { (epoch - 1) << 40 }
}

/// Central's catching up after a restore, as `fenxiao status` and `/v1/nodes` show it: the
/// stores that have not yet given back (re-pushed) what central acknowledged after the backup.
public struct RestoreProgress: Sendable, Equatable, Codable {
    /// One store central waits for.
    public struct Store: Sendable, Equatable, Codable {
        public var node: String
        /// The highest seq of its own the store reported holding (nil: it has not synced since).
        public var reported_seq: Int64?
        /// The highest seq of the store's central holds now.
        public var held_seq: Int64
        public init(node: String, reported_seq: Int64?, held_seq: Int64) {
            self.node = node
            self.reported_seq = reported_seq
            self.held_seq = held_seq
        }
    }
    /// The epoch the restore opened.
    public var epoch: Int64
    /// When central was restored (ms since 1970, central's clock; nil for a restore recorded
    /// by an older build). Every store in `waiting` has been waited for since then.
    public var since: Int64?
    /// The stores not yet caught up (empty: central holds everything again).
    public var waiting: [Store]
}

/// The keys of `node_meta` this file owns (central and store side).
enum EpochKeys {
    static let epoch = "epoch"
    static let basePos = "restore_base_pos"
    static let centralSeq = "restore_central_seq"
    static let floor = "own_seq_floor"
    static let waiting = "restore_waiting"
    static let restoredAt = "restore_at"
    static func report(_ node: String) -> String { "restore_report:\(node)" }
}

extension StoreReader {
    /// Central's chain id and epoch (epoch 1 when never restored).
    public func centralEpoch() throws -> CentralEpoch {
        let created = try meta("created_at") ?? "0"
        return CentralEpoch(chain: "central@\(created)", epoch: Int64(try meta(EpochKeys.epoch) ?? "1") ?? 1)
    }

    /// The last restore's bookkeeping, or nil when central was never restored.
    public func restoreState() throws -> RestoreState? {
        let epoch = try centralEpoch().epoch
        guard epoch > 1, let base = Int64(try meta(EpochKeys.basePos) ?? "") else { return nil }
        let waiting = (try meta(EpochKeys.waiting) ?? "").split(separator: ",").map(String.init)
        let revoked = Set(try String.fetchAll(db, sql: "SELECT node FROM peers WHERE revoked = 1"))
        return RestoreState(
            epoch: epoch, base_pos: base, central_seq: Int64(try meta(EpochKeys.centralSeq) ?? "0") ?? 0,
            own_seq_floor: Int64(try meta(EpochKeys.floor) ?? "0") ?? 0,
            waiting: waiting.filter { !revoked.contains($0) })
    }

    /// The stores central still waits for after its last restore, each with what it reported
    /// and what central holds of it (empty when no restore is pending).
    public func restoreProgress() throws -> RestoreProgress? {
        guard let state = try restoreState() else { return nil }
        let since = Int64(try meta(EpochKeys.restoredAt) ?? "")
        let waiting = try state.waiting.map { node in
            RestoreProgress.Store(
                node: node, reported_seq: Int64(try meta(EpochKeys.report(node)) ?? ""),
                held_seq: try heldSeq(of: NodeID(node) ?? .central))
        }
        return RestoreProgress(epoch: state.epoch, since: since, waiting: waiting)
    }

    /// The end of this node's change log (its highest position).
    public func logEnd() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(pos), 0) FROM change_log") ?? 0
    }

    /// The seq above which this node authors (0 unless central was restored).
    public func ownSeqFloor() throws -> Int64 {
        Int64(try meta(EpochKeys.floor) ?? "0") ?? 0
    }
}

extension NodeStore {
    /// Central, just restored from a backup: raises the epoch (above `minEpoch` too, for a
    /// backup older than an earlier restore), records where the backup ends, moves its own
    /// seqs to the new epoch's range and waits for every enrolled store.
    /// `knownBase` is false when the restore is noticed late (central already served after
    /// it): then no log prefix is known to be unchanged and stores re-pull from the start.
    public func enterRestoreMode(minEpoch: Int64 = 0, knownBase: Bool = true) throws -> RestoreState {
        // Sharing a log: the restored log's end and central's seq, and every server told.
        try catchUpShared()
        return try writeLocal { db in
            let r = StoreReader(db: db, identity: identity)
            let epoch = max(try r.centralEpoch().epoch + 1, minEpoch, 2)
            let base = knownBase ? try r.logEnd() : 0
            let own = try r.heldSeq(of: identity.node)
            let floor = max(own, RestoreState.floor(epoch: epoch))
            let waiting = try String.fetchAll(
                db, sql: "SELECT node FROM peers WHERE revoked = 0 AND token_hash NOT LIKE '%:admin' ORDER BY node")
            // Reports of an earlier restore are cleared (published empty: nothing reported).
            var values = Dictionary(
                uniqueKeysWithValues: try String.fetchAll(
                    db, sql: "SELECT key FROM node_meta WHERE key LIKE 'restore_report:%'"
                ).map { ($0, "") })
            try db.execute(sql: "DELETE FROM node_meta WHERE key LIKE 'restore_report:%'")
            for (k, v) in [
                (EpochKeys.epoch, String(epoch)), (EpochKeys.basePos, String(base)),
                (EpochKeys.centralSeq, String(own)),
                (EpochKeys.floor, String(floor)), (EpochKeys.waiting, waiting.joined(separator: ",")),
                (EpochKeys.restoredAt, String(wallClock())),
            ] {
                try Meta.set(db, k, v)
                values[k] = v
            }
            if shared != nil {
                try publishSharedMeta(values)
                try Meta.set(db, SharedLogKeys.madeInEpoch, String(epoch))  // this file is the restored log's
            }
            return RestoreState(epoch: epoch, base_pos: base, central_seq: own, own_seq_floor: floor, waiting: waiting)
        }
    }

    /// A store reported that it holds its own changes up to `ownSeq` (and gave back central's
    /// lost changes); it stops being waited for once central holds all of them.
    public func recordRestoreReport(node: NodeID, ownSeq: Int64) throws {
        // Monotone: a stale copy of an earlier report (a replayed request) cannot lower it.
        try writeLocal { db in
            let earlier = Int64(try Meta.get(db, EpochKeys.report(node.rawValue)) ?? "") ?? 0
            try Meta.set(db, EpochKeys.report(node.rawValue), String(max(earlier, ownSeq)))
            try publishSharedMeta([EpochKeys.report(node.rawValue): String(max(earlier, ownSeq))])
        }
        try settleRestore(node: node)
    }

    /// Drops `node` from the waiting list when it reported and central holds all it reported.
    /// Cheap when no restore is pending (one meta read).
    public func settleRestore(node: NodeID) throws {
        let pending = try read { r in try r.meta(EpochKeys.waiting) ?? "" }
        guard pending.split(separator: ",").contains(Substring(node.rawValue)) else { return }
        try writeLocal { db in
            let waiting = (try Meta.get(db, EpochKeys.waiting) ?? "").split(separator: ",").map(String.init)
            guard waiting.contains(node.rawValue),
                let reported = Int64(try Meta.get(db, EpochKeys.report(node.rawValue)) ?? "")
            else { return }
            let held = try StoreReader(db: db, identity: identity).heldSeq(of: node)
            guard held >= reported else { return }
            let left = waiting.filter { $0 != node.rawValue }.joined(separator: ",")
            try Meta.set(db, EpochKeys.waiting, left)
            try publishSharedMeta([EpochKeys.waiting: left])
        }
    }
}
