import Commerce
import PostgresCentral
import Replication
import Storage

/// A node: storage plus the domain rules plus replication. The CLI and the HTTP server call
/// its use cases; each use case validates its input, then writes domain rows and change
/// records in one transaction, or throws a ``NodeError`` and writes nothing.
public final class FenxiaoNode: Sendable {
    public let store: NodeStore
    /// The user the use cases run as (`--as USER`); nil falls back to the node's operator.
    public let actor: String?
    /// A manager whose PIN was checked for the one action this value runs (``Till/approval(manager:pin:)``):
    /// a refund above the actor's limit may go up to the manager's.
    public let approver: String?
    /// The member this value acts for in the mall (``MemberSelfService``): set only on the node a
    /// self-service value holds, never reachable from outside the module.
    let selfMember: String?
    public var identity: NodeIdentity { store.identity }

    public init(store: NodeStore, actor: String? = nil) {
        self.store = store
        self.actor = actor
        self.approver = nil
        self.selfMember = nil
    }

    init(store: NodeStore, actor: String?, approver: String?, selfMember: String? = nil) {
        self.store = store
        self.actor = actor
        self.approver = approver
        self.selfMember = selfMember
    }

    /// The same node, acting as `user`.
    public func acting(as user: String?) -> FenxiaoNode {
        FenxiaoNode(store: store, actor: user)
    }

    /// Opens the node in `directory` (a central server whose log is on PostgreSQL connects to
    /// it and catches up first).
    public static func open(directory: String) throws(NodeError) -> FenxiaoNode {
        do {
            return FenxiaoNode(store: try NodeStore.open(directory: directory, sharedLog: PGSharedLog.open))
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Creates a central server whose log is the PostgreSQL database at `url`
    /// (`fenxiao init --role central --database URL`, docs/POSTGRES.md): the first server of a
    /// chain and every further one alike — each takes what the log holds.
    public static func initializeShared(directory: String, url: String) throws(NodeError) -> FenxiaoNode {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw NodeError(
                .invalidInput, "\(Field.database) must be a PostgreSQL URL (postgres://user@host:port/db); got '\(url)'"
            )
        }
        do {
            return FenxiaoNode(
                store: try NodeStore.createShared(directory: directory, url: url, sharedLog: PGSharedLog.open))
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Creates a node (`fenxiao init`). A store gets its own warehouse, named after the node.
    public static func initialize(directory: String, node: String, role: NodeRole) throws(NodeError) -> FenxiaoNode {
        guard let id = NodeID(node) else {
            throw NodeError(.invalidInput, "node name '\(node)' must be 1–32 letters, digits, '-' or '_'")
        }
        if role == .store && id == .central {
            throw NodeError(.invalidInput, "'central' is reserved for the central node; name the store differently")
        }
        if role == .central && id != .central {
            throw NodeError(.invalidInput, "the central node must be named 'central' (got '\(node)')")
        }
        do {
            return FenxiaoNode(
                store: try NodeStore.create(directory: directory, identity: NodeIdentity(node: id, role: role)))
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Runs a write use case, mapping every failure to a NodeError. Before it commits, every
    /// change it wrote passes the same value bounds (and, at a store, the same content rules)
    /// central applies to a push, so an honest store never writes what central would refuse.
    func write<T>(_ body: (inout LocalTransaction) throws -> T) throws(NodeError) -> T {
        do {
            return try store.write { tx in
                let result = try body(&tx)
                try checkLocalWrites(tx.emitted, tx.reader)
                return result
            }
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Runs a read use case.
    public func read<T>(_ body: (StoreReader) throws -> T) throws(NodeError) -> T {
        do {
            return try store.read(body)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// The shared write rules, applied to a local transaction's changes.
    func checkLocalWrites(_ changes: [ChangeRecord], _ r: StoreReader) throws {
        let fromStore = identity.role == .store
        // An order created in this transaction (only a sale creates one, with a new id) is not
        // closed at any stamp of it: its after-sale period is at least a day.
        let created = Set(changes.lazy.filter { $0.kind == .order && $0.op == .upsert }.map(\.entity))
        for c in changes {
            try WriteRules.checkValues(c, fromStore: fromStore)
            if let order = OrderClosingCheck.order(of: c), created.contains(order) { continue }
            try OrderClosingCheck.check(c, r)
        }
        guard fromStore else { return }
        let content = StoreWriteCheck(node: identity.node, reader: r, batch: changes)
        for index in changes.indices { try content.check(index) }
    }

    func requireCentral(_ what: String) throws(NodeError) {
        guard identity.role == .central else {
            throw NodeError(
                .wrongRole,
                "\(what) is head office's job: run it on the central node; stores receive it by `fenxiao sync`")
        }
    }
}

extension StoreReader {
    /// The node that owns a warehouse: its register at central, or the node of the same name.
    public func warehouseOwner(_ warehouse: String) throws -> NodeID? {
        if let owner = try register(WarehouseRegister.self, warehouse)?.owner { return NodeID(owner) }
        if let id = NodeID(warehouse), id == identity.node { return id }
        return nil
    }

    /// Head office's settings of one group (`SettingRegister.Points`…); empty when none are set.
    func setting<P: SettingPayload>(_: P.Type) throws -> P {
        try register(P.self, P.entity) ?? P(fields: [:])
    }
}
