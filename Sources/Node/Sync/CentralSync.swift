import Replication
import Storage

/// Central's side of sync: enrollment, authentication, authorization of pushed changes,
/// applying pushes and serving pulls.
extension FenxiaoNode {
    /// Enrolls a store: returns its token (shown once; only its hash is kept) and publishes
    /// its warehouses (its own, named after it, plus any given) as global registers.
    public func enroll(node: String, warehouses: [String], admin: Bool = false) throws(NodeError) -> String {
        try requireCentral("enrolling stores")
        guard let id = NodeID(node), id != .central else {
            throw NodeError(.invalidInput, "node name '\(node)' must be 1–32 letters, digits, '-' or '_' and not 'central'")
        }
        for w in warehouses where NodeID(w) == nil {
            throw NodeError(.invalidInput, "warehouse name '\(w)' must be 1–32 letters, digits, '-' or '_'")
        }
        let token = Tokens.generate()
        let existing: PeerView?
        do { existing = try store.peers().first { $0.node == node } } catch { throw NodeError.wrap(error) }
        if let existing, existing.role != (admin ? "admin" : "store") {
            throw NodeError(.conflict, "\(node) is already enrolled as \(existing.role); choose another name")
        }
        do {
            if !admin {
                _ = try write { tx in
                    for w in ([node] + warehouses) {
                        if let owner = try tx.reader.warehouseOwner(w), owner != id {
                            throw NodeError(.conflict, "warehouse \(w) already belongs to \(owner)")
                        }
                        try tx.emit(.warehouse, entity: w, fields: ["owner": .string(node), "name": .string(w)], scope: .global)
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
        let id = try authenticatePeer(token: token, admin: admin)
        if !admin, try isAdmin(id) {
            throw NodeError(.forbidden, "admin tokens cannot push or pull; use a store's token")
        }
        return id
    }

    func isAdmin(_ id: NodeID) throws(NodeError) -> Bool {
        do { return try store.peers().first { $0.node == id.rawValue }?.role == "admin" } catch { throw NodeError.wrap(error) }
    }

    func authenticatePeer(token: String?, admin: Bool) throws(NodeError) -> NodeID {
        guard let token, !token.isEmpty else {
            throw NodeError(.unauthorized, "missing bearer token; enroll the store with `fenxiao enroll` and join with its token")
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
            throw NodeError(.forbidden, "this endpoint needs an admin token (`fenxiao enroll --admin NAME`)")
        }
        return id
    }

    /// Applies a store's pushed batch: every change must come from that store, be a kind and
    /// scope it may author, and continue its sequence without a gap; otherwise the whole batch
    /// is refused and nothing is applied.
    public func acceptPush(from node: NodeID, changes: [ChangeRecord]) throws(NodeError) -> SyncWire.PushResponse {
        try requireCentral("accepting pushes")
        let held: Int64
        do { held = try store.heldSeq(of: node) } catch { throw NodeError.wrap(error) }
        var expected = held + 1
        let createdHere = Set(changes.filter { $0.kind == .order && $0.op == .upsert && $0.fields["store"]?.stringValue == node.rawValue }.map(\.entity))
        for c in changes {
            guard c.seq >= 1 else { throw NodeError(.invalidInput, "change \(c.stamp.changeID) has seq \(c.seq); seqs start at 1") }
            try authorize(c, from: node)
            try checkOrderOwnership(c, from: node, createdHere: createdHere)
            if c.seq > expected {
                throw NodeError(.conflict, "batch from \(node) has a gap: seq \(expected) is missing (got \(c.seq)); push in seq order")
            }
            if c.seq == expected { expected += 1 }
        }
        do {
            let (report, acked) = try store.applyPush(changes, from: node)
            // Follow-up of displaced reservations; a failure here must not fail the push,
            // whose changes are committed: the next push retries it.
            _ = try? reallocateDisplaced()
            return SyncWire.PushResponse(
                acked_seq: acked, applied: report.applied, duplicates: report.duplicates,
                conflicts_new: report.newConflicts)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// The authorization table: who may author what, where.
    func authorize(_ c: ChangeRecord, from node: NodeID) throws(NodeError) {
        guard c.origin == node else {
            throw NodeError(
                .forbidden, "change \(c.stamp.changeID) claims origin \(c.origin) but the batch was sent by \(node); nothing applied")
        }
        if c.kind.policy.authorship == .centralOnly {
            throw NodeError(
                .forbidden, "\(node) may not author \(c.kind) (change \(c.stamp.changeID)): it is authored by head office only; nothing applied")
        }
        let globalKinds: Set<EntityKind> = [.member, .memberLedger, .couponUse, .conflictNote, .transfer]
        switch c.scope {
        case .global where globalKinds.contains(c.kind):
            break
        case .node(let owner) where owner == node && !globalKinds.contains(c.kind):
            break
        default:
            throw NodeError(
                .forbidden, "\(node) may not write \(c.kind) in scope \(c.scope) (change \(c.stamp.changeID)); nothing applied")
        }
        if c.kind == .transfer {
            try authorizeTransfer(c, from: node)
        }
        if c.kind == .stockMove {
            let warehouse = c.fields["warehouse"]?.stringValue ?? ""
            let owner: NodeID?
            do { owner = try store.read { try $0.warehouseOwner(warehouse) } } catch { throw NodeError.wrap(error) }
            guard owner == node else {
                throw NodeError(
                    .forbidden, "\(node) may not move stock of warehouse \(warehouse) (change \(c.stamp.changeID)); nothing applied")
            }
        }
    }

    /// The sending warehouse's owner ships a transfer; the receiving warehouse's owner receives it.
    func authorizeTransfer(_ c: ChangeRecord, from node: NodeID) throws(NodeError) {
        let existing: Fields?
        do { existing = try store.read { try $0.register(.transfer, c.entity) } } catch { throw NodeError.wrap(error) }
        func owner(_ field: String) throws(NodeError) -> NodeID? {
            let w = c.fields[field]?.stringValue ?? existing?[field]?.stringValue ?? ""
            do { return try store.read { try $0.warehouseOwner(w) } } catch { throw NodeError.wrap(error) }
        }
        let shipping = ["sku", "qty", "from", "to"].contains { c.fields[$0] != nil }
        if shipping, try owner("from") != node {
            throw NodeError(.forbidden, "\(node) may not ship transfer \(c.entity) from another node's warehouse; nothing applied")
        }
        if c.fields["received_qty"] != nil, try owner("to") != node {
            throw NodeError(.forbidden, "\(node) may not receive transfer \(c.entity) into another node's warehouse; nothing applied")
        }
    }

    /// A store writes only its own orders (and their lines, payments and refunds).
    func checkOrderOwnership(_ c: ChangeRecord, from node: NodeID, createdHere: Set<String>) throws(NodeError) {
        let order: String?
        switch c.kind {
        case .order: order = c.entity
        case .orderLine, .payment, .refund: order = c.fields["order"]?.stringValue
        default: return
        }
        guard let order else { return }
        if createdHere.contains(order) { return }
        let store: String?
        do { store = try self.store.read { try $0.order(order)?.store } } catch { throw NodeError.wrap(error) }
        guard store == node.rawValue else {
            throw NodeError(
                .forbidden,
                "\(node) may not write \(c.kind) for order \(order) (change \(c.stamp.changeID)): it is not \(node)'s order; nothing applied")
        }
    }

    /// Serves a pull: changes visible to `node` after `cursor`, in central's log order.
    public func servePull(to node: NodeID, after cursor: Int64, limit: Int) throws(NodeError) -> (
        changes: [ChangeRecord], cursor: Int64, more: Bool
    ) {
        try requireCentral("serving pulls")
        do {
            let page = try store.read { try $0.changesForPull(node: node, after: cursor, limit: limit) }
            try store.recordPull(node: node, cursor: page.last)
            return (page.changes, page.last, page.more)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    public func peers() throws(NodeError) -> [PeerView] {
        do { return try store.peers() } catch { throw NodeError.wrap(error) }
    }
}
