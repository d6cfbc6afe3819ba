import Node

/// The status light on every till page: is the store node in touch with central, since when
/// not, and how many of its changes wait to be pushed.
public struct TillStatus: Codable, Sendable, Equatable {
    /// The light's colour.
    public enum Light: String, Codable, Sendable {
        /// The last sync attempt of this process's loop succeeded.
        case online
        /// The loop's attempts fail since `since_ms`.
        case offline
        /// No loop runs here (sync runs elsewhere, or not at all): `since_ms` is the last sync.
        case unknown
        /// The store has not joined central yet.
        case unlinked
    }

    public var light: Light
    /// Offline: the first failed attempt. Unknown: the last successful sync. Wall ms.
    public var since_ms: Int64?
    /// This store's changes central has not acknowledged yet.
    public var pending: Int
    /// The node's wall clock now (ms), so a page formats times on the store's clock.
    public var now_ms: Int64

    /// Reads the light from the database and the loop's health.
    public static func read(node: FenxiaoNode, health: SyncHealth) throws(NodeError) -> TillStatus {
        let (linked, lastSync, pending) = try node.read { r in
            let acked = Int64(try r.meta("acked_seq") ?? "0") ?? 0
            return (
                try r.meta("central_url") != nil, try r.meta("last_sync").flatMap { Int64($0) },
                try r.ownChangeCount(after: acked)
            )
        }
        let state = health.state
        let now = node.store.wallNow()
        if !linked { return TillStatus(light: .unlinked, since_ms: nil, pending: pending, now_ms: now) }
        guard state.looping else {
            return TillStatus(light: .unknown, since_ms: lastSync, pending: pending, now_ms: now)
        }
        if let failing = state.failingSinceMillis {
            return TillStatus(light: .offline, since_ms: failing, pending: pending, now_ms: now)
        }
        if state.lastSuccessMillis == nil {
            // The loop's first attempt is under way: say when the store last synced.
            return TillStatus(light: .unknown, since_ms: lastSync, pending: pending, now_ms: now)
        }
        return TillStatus(light: .online, since_ms: nil, pending: pending, now_ms: now)
    }
}
