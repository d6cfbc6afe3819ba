import Replication
import Storage

/// Central's side of a restore from a backup (sync/PROTOCOL.md §8.6): it tells each store where
/// it stands (`hello`), takes back its own changes it lost with the disk from the stores that
/// hold them (`acceptReturn`), and waits for every enrolled store before calling itself caught up.
extension Sync {
    /// Where central stands for `node`: chain, epoch, what it holds of the store, its log end
    /// and the last restore.
    ///
    /// `report` is what the store recorded (acked seq, pull cursor, central's epoch). A store
    /// that has seen this very epoch yet holds an acked seq or a cursor above what central has
    /// proves central was restored without `fenxiao restore`: central then opens a new epoch
    /// itself (with no known unchanged log prefix, so every store re-pulls from the start).
    public func hello(for node: NodeID, report: (acked: Int64, cursor: Int64, epoch: Int64)? = nil) throws(NodeError)
        -> SyncWire.Hello
    {
        try requireCentral("answering hello")
        do {
            // A server sharing its log first takes what the others appended: the store's report
            // may come from a push or pull another server answered. The restore check below is
            // the single central's (a restored PostgreSQL is the database's own recovery).
            try store.catchUpShared()
            if let report, store.shared == nil {
                let (epoch, held, end, pending) = try store.read { r in
                    (
                        try r.centralEpoch().epoch, try r.heldSeq(of: node), try r.logEnd(),
                        !(try r.restoreState()?.waiting.isEmpty ?? true)
                    )
                }
                // Not while a restore is being caught up: one store's claim cannot start another.
                if report.epoch == epoch && !pending && (report.acked > held || report.cursor > end) {
                    _ = try store.enterRestoreMode(knownBase: false)
                }
            }
            return try store.read { r in
                let epoch = try r.centralEpoch()
                let restore = try r.restoreState().map {
                    SyncWire.Restore(
                        base_pos: $0.base_pos, central_seq: $0.central_seq, own_seq_floor: $0.own_seq_floor,
                        waiting: $0.waiting)
                }
                return SyncWire.Hello(
                    chain: epoch.chain, epoch: epoch.epoch, acked_seq: try r.heldSeq(of: node), log_end: try r.logEnd(),
                    restore: restore, frontier: try r.stabilityFrontier(wallMillis: store.wallNow()).hlc,
                    stable_hlc: try r.stablePromise(of: node),
                    // On PostgreSQL a committed push is durable (the standby, the DBA's backups).
                    durable_seq: store.shared == nil ? try r.durableSeq(of: node) : try r.heldSeq(of: node),
                    central_durable_seq: store.shared == nil
                        ? try r.centralDurableSeq() : try r.heldSeq(of: store.identity.node))
            }
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// A store gives back central's own changes that central lost in its restore, and reports
    /// the highest seq of its own it holds (central waits until it holds that much).
    ///
    /// Only central's changes in the lost range (above the seq central held at the restore,
    /// below its new floor) and in scopes the store can see are accepted; a change that differs
    /// from one central already holds under the same seq is refused (409), nothing applied.
    public func acceptReturn(from node: NodeID, changes: [ChangeRecord], ownSeq: Int64) throws(NodeError)
        -> SyncWire.ReturnResponse
    {
        try requireCentral("taking back changes after a restore")
        guard ownSeq >= 0 else {
            throw NodeError(.invalidInput, "own_seq must be ≥ 0 (the highest seq of the store's own changes)")
        }
        do {
            guard let state = try store.read({ try $0.restoreState() }) else {
                if changes.isEmpty { return SyncWire.ReturnResponse(applied: 0, duplicates: 0, waiting: []) }
                throw NodeError(
                    .conflict, "central was never restored from a backup; it takes back no changes; nothing applied")
            }
            let report = try store.applyRemote(
                changes,
                validate: { _ in
                    for c in changes {
                        guard c.origin == .central else {
                            throw NodeError(
                                .forbidden,
                                "change \(c.stamp.changeID): only central's own changes are given back; nothing applied"
                            )
                        }
                        guard c.seq > state.central_seq, c.seq <= state.own_seq_floor else {
                            throw NodeError(
                                .forbidden,
                                "change \(c.stamp.changeID) is outside the range central lost (seq \(state.central_seq + 1)…\(state.own_seq_floor)); nothing applied"
                            )
                        }
                        guard c.scope == .global || c.scope == .node(node) else {
                            throw NodeError(
                                .forbidden,
                                "change \(c.stamp.changeID) is in scope \(c.scope), which \(node) cannot hold; nothing applied"
                            )
                        }
                    }
                })
            try store.recordRestoreReport(node: node, ownSeq: ownSeq)
            let waiting = try store.read { try $0.restoreState()?.waiting ?? [] }
            return SyncWire.ReturnResponse(applied: report.applied, duplicates: report.duplicates, waiting: waiting)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// `fenxiao restore` on central: opens a new epoch (see ``NodeStore/enterRestoreMode(minEpoch:)``).
    public func enterRestoreMode(minEpoch: Int64 = 0) throws(NodeError) -> RestoreState {
        try requireCentral("entering restore mode")
        do { return try store.enterRestoreMode(minEpoch: minEpoch, knownBase: true) } catch {
            throw NodeError.wrap(error)
        }
    }
}
