import Commerce
import Replication
import Storage

/// Central's side of sync: enrollment, authentication, authorization of pushed changes,
/// applying pushes and serving pulls.
extension Sync {
    /// Enrolls a store: returns its token (shown once; only its hash is kept) and publishes
    /// its warehouses (its own, named after it, plus any given) as global registers.
    public func enroll(node: String, warehouses: [String], admin: Bool = false) throws(NodeError) -> String {
        try requireCentral("enrolling stores")
        guard let id = NodeID(node), id != .central else {
            throw NodeError(
                .invalidInput, "node name '\(node)' must be 1–32 letters, digits, '-' or '_' and not 'central'")
        }
        for w in warehouses where NodeID(w) == nil {
            throw NodeError(.invalidInput, "warehouse name '\(w)' must be 1–32 letters, digits, '-' or '_'")
        }
        let token = Tokens.generate()
        let existing: String?
        do { existing = try store.peerRole(node: node) } catch { throw NodeError.wrap(error) }
        if let existing, existing != (admin ? "admin" : "store") {
            throw NodeError(.conflict, "\(node) is already enrolled as \(existing); choose another name")
        }
        do {
            if !admin {
                _ = try write(.manageUsers, "node.enroll", subject: node) { tx in
                    for w in ([node] + warehouses) {
                        if let owner = try tx.reader.warehouseOwner(w), owner != id {
                            throw NodeError(.conflict, "warehouse \(w) already belongs to \(owner)")
                        }
                        try tx.emit(WarehouseRegister(owner: node, name: w), entity: w, scope: .global)
                    }
                    return 0
                }
            }
            try store.enrollPeer(node: node, role: admin ? "admin" : "store", token: token)
        } catch {
            throw NodeError.wrap(error)
        }
        return token
    }

    public func revoke(node: String) throws(NodeError) {
        try requireCentral("revoking stores")
        let found: Bool
        do { found = try store.revokePeer(node: node) } catch { throw NodeError.wrap(error) }
        guard found else { throw NodeError(.notFound, "no enrolled node named \(node)") }
    }

    /// The node a bearer token authenticates, or 401/403.
    public func authenticate(token: String?, admin: Bool = false) throws(NodeError) -> NodeID {
        guard let token, !token.isEmpty else {
            throw NodeError(
                .unauthorized, "missing bearer token; enroll the store with `fenxiao enroll` and join with its token")
        }
        let peer: (node: String, role: String, revoked: Bool)?
        do { peer = try store.peer(forToken: token) } catch { throw NodeError.wrap(error) }
        guard let peer, let id = NodeID(peer.node) else {
            throw NodeError(.unauthorized, "unknown token; check the token or enroll the store again")
        }
        if peer.revoked {
            throw NodeError(.unauthorized, "node \(peer.node) has been revoked; ask head office to enroll it again")
        }
        if admin && peer.role != "admin" {
            throw NodeError(.forbidden, "this endpoint needs an admin token (head office enrolls an admin)")
        }
        if !admin && peer.role == "admin" {
            throw NodeError(.forbidden, "admin tokens cannot push or pull; use a store's token")
        }
        return id
    }

    /// Applies a store's pushed batch: every change must come from that store, be a kind and
    /// scope it may author, and continue its sequence without a gap; otherwise the whole batch
    /// is refused and nothing is applied. The checks run inside the apply transaction.
    public func acceptPush(from node: NodeID, changes: [ChangeRecord]) throws(NodeError) -> SyncWire.PushResponse {
        try requireCentral("accepting pushes")
        let verdict = PushVerdict()
        do {
            let now = store.wallNow()
            let bounds = PushCheck.boundsVerdicts(changes)
            let (report, acked) = try store.applyPush(changes, from: node) { r in
                try StampCheck(node: node, wallMillis: now, bound: try r.clockBound()).run(changes)
                let held = try r.heldSeq(of: node)
                if let (change, refusal) = try FrontierCheck(node: node, reader: r, held: held, wallMillis: now)
                    .refusal(changes)
                {
                    verdict.refused = (change, refusal.message)
                    throw refusal
                }
                var check = PushCheck(node: node, reader: r, changes: changes, held: held, bounds: bounds)
                do {
                    try check.run()
                } catch let e as NodeError where e.code == .invalidInput || e.code == .forbidden {
                    verdict.refused = (check.current, e.message)
                    throw e
                } catch let e as ArithmeticOverflow {
                    verdict.refused = (nil, e.message)
                    throw e
                }
            }
            // Follow-up of displaced reservations; a failure here must not fail the push,
            // whose changes are committed: the next push retries it.
            if try store.unresolvedDisplacements() > 0 { _ = try? self.node.inventory.reallocateDisplaced() }
            // After a restore of central: this store may now have re-pushed all it reported.
            try? store.settleRestore(node: node)
            return SyncWire.PushResponse(
                acked_seq: acked, applied: report.applied, duplicates: report.duplicates,
                conflicts_new: report.newConflicts)
        } catch {
            if let (change, reason) = verdict.refused {
                // Head office sees the store as blocked (`/v1/nodes`, `status`) until it pushes again.
                try? store.recordBlocked(node: node, change: change, reason: reason)
            }
            throw NodeError.wrap(error)
        }
    }

    /// Serves a pull: changes visible to `node` after `cursor`, in central's log order.
    /// `stable` is the store's promise (§8.8): no new change of it at or below that stamp.
    public func servePull(to node: NodeID, after cursor: Int64, limit: Int, stable: HLC? = nil) throws(NodeError) -> (
        changes: [ChangeRecord], cursor: Int64, more: Bool
    ) {
        let (page, last) = try pullPage(to: node, stable: stable) { r in
            let page = try r.changesForPull(node: node, after: cursor, limit: limit)
            return ((page.changes, page.more), page.last)
        }
        return (page.0, last, page.1)
    }

    /// ``servePull(to:after:limit:stable:)`` as the answer's body, written from the log's rows
    /// (nothing parsed and re-serialized; the same bytes as `PullResponse.encode` of the page):
    /// what the server sends.
    public func servePullAnswer(to node: NodeID, after cursor: Int64, limit: Int, stable: HLC? = nil)
        throws(NodeError) -> (body: [UInt8], changes: Int, more: Bool)
    {
        let (page, last) = try pullPage(to: node, stable: stable) { r in
            let page = try r.pullBody(node: node, after: cursor, limit: limit)
            return ((page.body, page.more), page.last)
        }
        return (SyncWire.PullResponse.encode(page.0, cursor: String(last), more: page.1), page.0.count, page.1)
    }

    /// Reads a pull page with `read` (the page and its last log position) and records the
    /// store's pull of it (its cursor and promise).
    private func pullPage<Page>(to node: NodeID, stable: HLC?, _ read: (StoreReader) throws -> (Page, Int64))
        throws(NodeError) -> (Page, Int64)
    {
        try requireCentral("serving pulls")
        // A server sharing its log serves what it holds; it first takes what other servers
        // appended, and serves its copy when the shared database cannot be reached.
        _ = try? store.catchUpShared()
        do {
            let (page, last) = try store.read { try read($0) }
            try store.recordPull(node: node, cursor: last, stable: stable)
            return (page, last)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Records a store's clock offset from the wall clock it sent with a request (ignored when
    /// absent or unreadable: old clients still sync). Never fails the request.
    public func recordClockOffset(of node: NodeID, storeWallHeader: String?) {
        guard let text = storeWallHeader, let wall = Int64(text) else { return }
        try? store.recordClockOffset(node: node, storeWallMillis: wall)
    }

    public func peers() throws(NodeError) -> [PeerView] {
        do {
            var peers = try store.peers()
            let blocked = try store.blockedStores()
            let restore = try store.read { try $0.restoreProgress() }
            let waiting = Set(restore?.waiting.map(\.node) ?? [])
            for i in peers.indices {
                peers[i].blocked = blocked[peers[i].node]
                if waiting.contains(peers[i].node) { peers[i].restore_waiting_since = restore?.since ?? 0 }
            }
            return peers
        } catch { throw NodeError.wrap(error) }
    }
}

/// What central's push check refused, carried out of the apply transaction.
final class PushVerdict: @unchecked Sendable {
    var refused: (change: String?, reason: String)?
}
