import Commerce
import GRDB
import Replication

/// One local write transaction: use cases read through ``reader`` and record every change with
/// ``emit(_:entity:op:fields:scope:)``, which assigns the next gap-free `seq` and a fresh hybrid
/// clock stamp and applies the change immediately, all in the same SQLite transaction.
public struct LocalTransaction {
    let db: Database
    public let identity: NodeIdentity
    /// Wall time (ms) when the transaction began; use cases use it for `created_at` fields.
    public let nowMillis: Int64
    var clock: HybridClock
    var lastSeq: Int64
    var applier: ChangeApplier
    var emittedVersions: [EntityKey: VersionVector] = [:]
    /// The closing moment of each order created in this transaction with an after-sale
    /// period (its row is derived only when the transaction finishes).
    var emittedClosings: [String: Int64] = [:]
    public private(set) var emitted: [ChangeRecord] = []

    /// What earlier local writes learned (``WriterCache``); nil outside ``NodeStore/write(_:)``.
    let cache: WriterCache?

    init(db: Database, identity: NodeIdentity, wallMillis: Int64, cache: WriterCache? = nil) throws {
        self.db = db
        self.cache = cache
        self.identity = identity
        self.nowMillis = wallMillis
        let (clock, lastSeq) = try Meta.clockAndLastSeq(db, node: identity.node)
        self.clock = HybridClock(last: clock)
        self.lastSeq = lastSeq
        if identity.role == .central {
            // After a restore, central authors above its new epoch's floor (§8.6 of PROTOCOL.md).
            self.lastSeq = max(lastSeq, Int64(try Meta.get(db, EpochKeys.floor) ?? "0") ?? 0)
        }
        self.applier = ChangeApplier(db: db, role: identity.role)
        self.applier.writerCache = cache
        self.applier.defersLog = true
        self.applier.conflictRoots = cache?.conflictRoots()
    }

    /// Read access inside this transaction (sees the changes emitted so far, except derived
    /// values, which are recomputed when the transaction finishes).
    public var reader: StoreReader { StoreReader(db: db, identity: identity, cache: cache) }

    /// The wall time (ms) of the stamp the next ``emit(_:entity:op:fields:scope:)`` will give:
    /// for a value that must name the moment of its own change (the points expiry schedule).
    public var nextStampMillis: Int64 {
        var copy = clock
        return copy.tick(wallMillis: nowMillis).wallMillis
    }

    /// Records one change and applies it. For registers the causal context is filled in from
    /// what this node holds for the entity.
    @discardableResult
    public mutating func emit(
        _ kind: EntityKind, entity: String, op: ChangeOp = .upsert, fields: Fields, scope: Scope
    ) throws -> ChangeRecord {
        try emit(kind, entity: entity, op: op, fields: fields, scope: scope) { _ in }
    }

    /// ``emit(_:entity:op:fields:scope:)``, with `prepare` seeing the change before it is applied.
    mutating func emit(
        _ kind: EntityKind, entity: String, op: ChangeOp, fields: Fields, scope: Scope,
        prepare: (inout ChangeRecord) -> Void
    ) throws -> ChangeRecord {
        lastSeq += 1
        let hlc = clock.tick(wallMillis: nowMillis)
        var context = VersionVector()
        if case .register = kind.policy {
            let key = EntityKey(kind: kind.rawValue, id: entity)
            context = try emittedVersions[key] ?? reader.registerVersion(kind: kind, id: entity)
            var next = context
            next.record(origin: identity.node, seq: lastSeq)
            emittedVersions[key] = next
        }
        var change = ChangeRecord(
            origin: identity.node, seq: lastSeq, hlc: hlc, kind: kind, entity: entity, op: op, fields: fields,
            context: context, scope: scope)
        prepare(&change)
        try applier.apply(change)
        emitted.append(change)
        if kind == .order, op == .upsert, let days = fields[OrderCreated.Field.closeDays.rawValue]?.intValue {
            emittedClosings[entity] = OrderClosing.closesAtMillis(created: hlc, days: days)
        }
        return change
    }

    /// Records one typed change (its kind is the payload's) and applies it.
    @discardableResult
    public mutating func emit<P: ChangePayload>(
        _ payload: P, entity: String, op: ChangeOp = .upsert, scope: Scope
    ) throws -> ChangeRecord {
        if P.kind == .memberLedger, var entry = payload as? MemberLedgerChange, entry.orderClosesAt == nil,
            let ref = entry.ref, let closesAt = try orderClosesAt(ref)
        {
            // An entry on an order with an after-sale period says when the order closes.
            entry.orderClosesAt = closesAt
            return try emit(P.kind, entity: entity, op: op, fields: entry.fields, scope: scope) {
                $0.keepPayload(entry)
            }
        }
        // The applier reads the payload built here rather than decoding it from its fields again.
        return try emit(P.kind, entity: entity, op: op, fields: payload.fields, scope: scope) {
            $0.keepPayload(payload)
        }
    }

    /// When order `id` closes, if it is held (or created in this transaction) with an
    /// after-sale period.
    func orderClosesAt(_ id: String) throws -> Int64? {
        if let closesAt = emittedClosings[id] { return closesAt }
        // Minted here and not emitted with an after-sale period: no row can give it one.
        if applier.minted.ids.contains(id) { return nil }
        guard let closing = try reader.orderClosing(id), let days = closing.days else { return nil }
        return OrderClosing.closesAtMillis(created: closing.created, days: days)
    }

    /// A new id, unique across the chain and sortable by creation on this node:
    /// `PREFIX-NODE-<hlc in base 36><4 random base-36 digits>` (ULID-like). The hlc is strictly
    /// increasing per node; the random tail keeps a store restored from an old backup (whose
    /// clock restarts behind its earlier life) from minting an id it already used.
    public mutating func newID(_ prefix: String) -> String {
        let hlc = clock.tick(wallMillis: nowMillis)
        let id = MintedID.text(
            prefix: prefix, node: identity.node.rawValue, stamp: hlc.rawValue, tail: MintedID.nextTail())
        applier.minted.ids.insert(id)
        return id
    }

    /// Recomputes derived values (register fields, order status, stock levels, balances,
    /// conflicts) for what was emitted so far, and returns a reader that sees them.
    public mutating func flushed() throws -> StoreReader {
        try applier.finish()
        return reader
    }

    /// After ``flushed()``: the view of order `id` when this transaction minted it and wrote
    /// nothing but its sale and payments (``MintedOrders/receipt(_:)``) — what
    /// `StoreReader.order(_:)` reads, without reading it; nil for any other order.
    public func mintedOrderView(_ id: String) -> OrderView? { applier.minted.receipt(id) }

    /// Recomputes derived state for what was emitted and persists the clock: a store's clock
    /// is carried by its last change (``Meta/hlc(_:)``), unless an id was minted after it.
    mutating func finish() throws {
        try applier.finish()
        if applier.insertedMoves > 0 {
            if let cache {
                try cache.keyMovesIfDue(db, added: applier.insertedMoves)
            } else {
                try StockMoveKeying.keyIfDue(db)
            }
        }
        guard let last = emitted.last else { return }
        if identity.role == .central || clock.last > last.hlc {
            try Meta.set(db, "hlc", String(clock.last.rawValue))
        }
    }

    /// Node-local bookkeeping inside the same transaction.
    public func setMeta(_ key: String, _ value: String) throws { try Meta.set(db, key, value) }
}
