import Commerce
import Replication
import Storage

/// What `fenxiao status` reports.
public struct NodeStatus: Sendable, Equatable, Codable {
    public var node: String
    public var role: String
    public var pending_changes: Int
    public var version_vector: [String: Int64]
    public var last_sync: Int64?
    public var state_hash: String
    public var changes_held: Int
    public var central_url: String?
    /// Central: stores whose pushes are refused for a change's content, by node (see
    /// `fenxiao sync quarantine`); absent on a store and when none is blocked.
    public var blocked_stores: [String: BlockedPush]? = nil
    /// Store: this store's clock minus central's at the last sync (ms). Central: nil.
    public var clock_offset_ms: Int64? = nil
    /// Central: each store's clock minus central's at its last sync (ms).
    public var store_clock_offsets_ms: [String: Int64]? = nil
    /// The maximum clock offset (ms) this node applies.
    public var max_clock_offset_ms: Int64? = nil
    /// Central after a restore from a backup: the stores it still waits for (absent when it
    /// was never restored or has caught up).
    public var restore: RestoreProgress? = nil
    /// Central: the stability frontier and the stores holding it back. Store: the frontier
    /// central last announced (absent before the first sync with a central that has one).
    public var frontier: StabilityFrontier? = nil
    /// Store: changes stamped at or below this may have left the log (absent before any
    /// compaction; docs/STABILITY.md). Central: the highest cutoff its archive used.
    public var log_compacted_hlc: Int64? = nil
    /// Central: the changes in its archive (`fenxiao archive`; `changes_held` is the hot log).
    public var archived_changes: Int? = nil
    /// A central server sharing its log (docs/POSTGRES.md): the database (without a password)
    /// and the last position this server's file holds.
    public var shared_log: SharedLogStatus? = nil
}

/// Where a central server's shared log is, and how far this server's copy of it goes.
public struct SharedLogStatus: Sendable, Equatable, Codable {
    public var database: String
    public var position: Int64
}

extension Sync {
    public func status(scopeOf other: String? = nil) throws(NodeError) -> NodeStatus {
        var scopeNode: NodeID?
        if let other {
            try requireCentral("computing another node's scope hash")
            guard let id = NodeID(other) else { throw NodeError(.invalidInput, "'\(other)' is not a node name") }
            scopeNode = id
        }
        var blocked: [String: BlockedPush]?
        if identity.role == .central, scopeNode == nil {
            do { blocked = try store.blockedStores() } catch { throw NodeError.wrap(error) }
            if blocked?.isEmpty == true { blocked = nil }
        }
        return try read { r in
            let acked = Int64(try r.meta("acked_seq") ?? "0") ?? 0
            let vv = try r.versionVector()
            var status = NodeStatus(
                node: scopeNode?.rawValue ?? identity.node.rawValue,
                role: scopeNode == nil ? identity.role.rawValue : "store",
                pending_changes: identity.role == .store ? try r.ownChangeCount(after: acked) : 0,
                version_vector: Dictionary(uniqueKeysWithValues: vv.entries.map { ($0.key.rawValue, $0.value) }),
                last_sync: try r.meta("last_sync").flatMap { Int64($0) },
                state_hash: try scopeNode.map { try r.stateHash(scopeOf: $0) } ?? r.stateHash(),
                changes_held: try r.changeCount(),
                central_url: try r.meta("central_url"),
                clock_offset_ms: try r.offsetFromCentral()?.offsetMillis,
                store_clock_offsets_ms: identity.role == .central ? try r.storeClockOffsets() : nil,
                max_clock_offset_ms: try r.clockBound().maxOffsetMillis)
            status.blocked_stores = blocked
            if let shared = store.shared {
                status.shared_log = SharedLogStatus(database: shared.location, position: try r.logEnd())
            }
            if identity.role == .central, scopeNode == nil {
                status.frontier = try r.stabilityFrontier(wallMillis: store.wallNow())
                status.archived_changes = try r.archivedChangeCount()
                status.log_compacted_hlc = try r.meta(LogCompaction.Keys.cutoff).flatMap(Int64.init)
            } else if identity.role == .store {
                status.frontier = try r.meta(LogCompaction.Keys.frontier).flatMap(Int64.init).map {
                    StabilityFrontier(hlc: $0, held_by: [])
                }
                status.log_compacted_hlc = try r.meta(LogCompaction.Keys.cutoff).flatMap(Int64.init)
            }
            if identity.role == .central, scopeNode == nil, let restore = try r.restoreProgress(),
                !restore.waiting.isEmpty
            {
                status.restore = restore
            }
            return status
        }
    }
}
