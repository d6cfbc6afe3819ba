import Replication
import Storage

/// Causal stability and log compaction (docs/STABILITY.md, sync/PROTOCOL.md §8.8): central's
/// frontier and who holds it back, retiring a store that will never sync again, and a store's
/// compaction of its log below the frontier.
extension Sync {
    /// Central: the stability frontier now and the stores whose promise it is.
    public func frontier() throws(NodeError) -> StabilityFrontier {
        try requireCentral("computing the stability frontier")
        let now = store.wallNow()
        return try read { try $0.stabilityFrontier(wallMillis: now) }
    }

    /// Central: retires a store for good (closed, its PC gone): its token stops working and it
    /// no longer holds the frontier back. A revoked store still does (it may be enrolled again
    /// with sales to push); a retired one that comes back is enrolled anew and must run
    /// `fenxiao recover` before its unsent sales can reach central.
    public func retire(node: String) throws(NodeError) {
        try requireCentral("retiring stores")
        let found: Bool
        do { found = try store.retirePeer(node: node) } catch { throw NodeError.wrap(error) }
        guard found else { throw NodeError(.notFound, "no enrolled node named \(node)") }
    }

    /// A store: drops from its log what ``LogCompaction`` allows (1…3650 days kept; nil keeps
    /// the stored setting, 30 days by default).
    public func compactLog(keepDays: Int? = nil) throws(NodeError) -> CompactionReport {
        guard identity.role == .store else {
            throw NodeError(
                .wrongRole,
                "`fenxiao compact` runs on a store; at central, `fenxiao archive` moves settled changes out of the hot log"
            )
        }
        if let keepDays, let problem = LogCompaction.keepDaysProblem(keepDays) {
            throw NodeError(.invalidInput, "\(problem)")
        }
        do { return try store.compactLog(keepDays: keepDays) } catch { throw NodeError.wrap(error) }
    }

    /// Central: moves the stores' settled changes from the hot log to the archive
    /// (``CentralArchive``; 1…3650 days kept; nil keeps the stored setting, 30 days by default).
    public func archiveLog(keepDays: Int? = nil) throws(NodeError) -> ArchiveReport {
        guard identity.role == .central else {
            throw NodeError(
                .wrongRole, "`fenxiao archive` runs at central; a store compacts its own log with `fenxiao compact`")
        }
        if let keepDays, let problem = LogCompaction.keepDaysProblem(keepDays) {
            throw NodeError(.invalidInput, "\(problem)")
        }
        do { return try store.archiveLog(keepDays: keepDays) } catch { throw NodeError.wrap(error) }
    }
}
