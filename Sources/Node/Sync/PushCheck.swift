import Commerce
import Replication
import Storage

/// The authorization table for a pushed batch, checked inside the apply transaction: who may
/// author what, where. Any failure refuses the whole batch (nothing is applied).
///
/// - every change's origin is the authenticated store, seqs start at 1 and continue the
///   store's sequence without a gap;
/// - central-only kinds (catalog, prices, promotions, coupons, warehouses) are refused;
/// - members, member ledgers, coupon uses, conflict notes and transfers are global; every
///   other kind must be in the store's own scope;
/// - stock moves only at the store's own warehouses; transfers shipped from / received into
///   its own warehouses;
/// - orders, their lines, payments and refunds only for orders the store created;
/// - every value within the bounds of `WriteRules` / `Limits` (the table local use cases
///   check too), and only content a store use case produces (`StoreWriteCheck`).
struct PushCheck {
    let node: NodeID
    let reader: StoreReader
    let changes: [ChangeRecord]
    /// The highest seq of the store central holds: the batch continues after it.
    let held: Int64
    var owners: [String: NodeID?] = [:]
    var orderStores: [String: String?] = [:]
    /// Each order's closing as held before the batch (read once; nothing is written while checking).
    var closings: [String: (created: HLC, days: Int64?)?] = [:]
    /// The index of the change being checked, to name it when the batch is refused.
    var currentIndex: Int?
    /// The change being checked (`origin/seq`), to name it when the batch is refused.
    var current: String? { currentIndex.map { changes[$0].stamp.changeID } }

    static let globalKinds: Set<EntityKind> = [
        .member, .memberLedger, .couponUse, .conflictNote, .transfer, .distributor, .binding, .withdrawal,
    ]

    /// Each change's ``checkBounds(_:)`` outcome, worked out before the write lock (it reads
    /// nothing); thrown in its turn, so the first refused change is the same.
    let bounds: [(any Error)?]

    init(node: NodeID, reader: StoreReader, changes: [ChangeRecord], held: Int64, bounds: [(any Error)?]) {
        self.node = node
        self.reader = reader
        self.changes = changes
        self.held = held
        self.bounds = bounds
    }

    /// ``checkBounds(_:)`` of every change, for ``bounds``.
    static func boundsVerdicts(_ changes: [ChangeRecord]) -> [(any Error)?] {
        changes.map { c in
            do {
                try checkBounds(c)
                return nil
            } catch {
                return error
            }
        }
    }

    mutating func run() throws {
        var expected = held + 1
        // Borrowed, not `for c in changes`: copying a change retains each of its parts.
        let changes = self.changes
        try changes.withUnsafeBufferPointer { batch in
            var createdHere: Set<String> = []
            for i in batch.indices
            where batch[i].kind == .order && batch[i].op == .upsert
                && batch[i].fields["store"]?.stringValue == node.rawValue
            {
                createdHere.insert(batch[i].entity)
            }
            let content = StoreWriteCheck(node: node, reader: reader, batch: changes)
            for index in batch.indices {
                try check(batch[index], index: index, content: content, createdHere: createdHere, expected: &expected)
            }
        }
        currentIndex = nil
    }

    /// One change of the batch, the `index`-th, which `expected` seq (moved on) says comes next.
    mutating func check(
        _ c: ChangeRecord, index: Int, content: StoreWriteCheck, createdHere: Set<String>, expected: inout Int64
    ) throws {
        guard c.seq >= 1 else {
            throw NodeError(.invalidInput, "change \(c.stamp.changeID) has seq \(c.seq); seqs start at 1")
        }
        currentIndex = index
        if c.op == .void {
            try Self.checkVoid(c, node: node)
        } else {
            try checkContent(c, index: index, content: content, createdHere: createdHere)
        }
        if c.seq > expected {
            throw NodeError(
                .conflict,
                "batch from \(node) has a gap: seq \(expected) is missing (got \(c.seq)); push in seq order")
        }
        if c.seq == expected { expected += 1 }
    }

    /// A quarantined change (`fenxiao sync quarantine`): the store's own, in its own scope,
    /// carrying only why; it has no effect, so nothing else about it needs checking.
    static func checkVoid(_ c: ChangeRecord, node: NodeID) throws {
        guard c.origin == node, c.scope == .node(node), Set(c.fields.keys) == ["quarantined"],
            let why = c.fields["quarantined"]?.stringValue, why.utf8.count <= Limits.maxNoteBytes,
            c.entity.utf8.count <= Limits.maxEntityBytes
        else {
            throw NodeError(
                .invalidInput,
                "change \(c.stamp.changeID): a quarantined change is the store's own, in scope node:\(node), with only a `quarantined` reason ≤ \(Limits.maxNoteBytes) bytes; nothing applied"
            )
        }
    }

    /// Who may write it, its values, its order, its content.
    mutating func checkContent(_ c: ChangeRecord, index: Int, content: StoreWriteCheck, createdHere: Set<String>) throws
    {
        try authorize(c)
        if let refused = bounds[index] { throw refused }
        try checkOrderOwnership(c, createdHere: createdHere)
        try OrderClosingCheck.check(c, code: .forbidden) { try closing(of: $0) }
        try content.check(index)
    }

    /// Refuses a change whose field values are outside `WriteRules` (the shared limits table:
    /// the same check every local write passes), naming the change and the field.
    static func checkBounds(_ c: ChangeRecord) throws {
        do {
            try WriteRules.checkValues(c, fromStore: true)
        } catch {
            throw NodeError(error.code, error.text.prefixed("change \(c.stamp.changeID): "), field: error.field)
        }
    }

    func refuse(_ c: ChangeRecord, _ why: String) -> NodeError {
        NodeError(.forbidden, "\(node) may not \(why) (change \(c.stamp.changeID)); nothing applied")
    }

    mutating func owner(of warehouse: String) throws -> NodeID? {
        if let cached = owners[warehouse] { return cached }
        let found = try reader.warehouseOwner(warehouse)
        owners[warehouse] = found
        return found
    }

    /// Order `id`'s closing as held before the batch, read once (`closings`).
    mutating func closing(of id: String) throws -> (created: HLC, days: Int64?)? {
        if let cached = closings[id] { return cached }
        let found = try reader.orderClosing(id)
        closings[id] = .some(found)
        return found
    }

    mutating func authorize(_ c: ChangeRecord) throws {
        guard c.origin == node else {
            throw NodeError(
                .forbidden,
                "change \(c.stamp.changeID) claims origin \(c.origin) but the batch was sent by \(node); nothing applied"
            )
        }
        // The write-rules table lists every kind a store may write; any other is head office's.
        if c.kind.authorship == .centralOnly || WriteRules.rule(for: c.kind) == nil {
            throw refuse(c, "author \(c.kind): it is authored by head office only")
        }
        switch c.scope {
        case .global where Self.globalKinds.contains(c.kind): break
        case .node(let owner) where owner == node && !Self.globalKinds.contains(c.kind): break
        default: throw refuse(c, "write \(c.kind) in scope \(c.scope)")
        }
        if c.kind == .stockMove {
            let warehouse = c.fields["warehouse"]?.stringValue ?? ""
            guard try owner(of: warehouse) == node else { throw refuse(c, "move stock of warehouse \(warehouse)") }
        }
        if c.kind == .transfer { try authorizeTransfer(c) }
        // A store keeps its own copy of a member's contact data, `<member>@<store>`, in its own
        // scope; it never writes (or sees) another node's copy.
        if c.kind == .memberContact, !c.entity.hasSuffix("@\(node)") {
            throw refuse(c, "write contact data \(c.entity): a store writes only its own copy, <member>@\(node)")
        }
        // Reviews and approvals are head office's: a store only submits.
        if c.kind == .distributor {
            let application = try c.pushed(DistributorRegister.self)
            if let status = application.status, status != .applied {
                throw refuse(c, "set distributor status \(status.rawValue) (head office reviews applications)")
            }
            if application.group != nil || application.cleared.contains(.group) {
                throw refuse(c, "assign distributor groups")
            }
            if try reader.register(.distributor, c.entity) != nil {
                throw refuse(c, "change distributor \(c.entity) after applying (head office reviews)")
            }
        }
        if c.kind == .withdrawal {
            let existing = try reader.register(WithdrawalRegister.self, c.entity)
            let status = try c.pushed(WithdrawalRegister.self).status
            let payout: [WithdrawalRegister.Field] = [.status, .paidAt, .reference, .reason]
            let cashPayout =
                status == .paid && existing?.method == .cash && existing?.status == .approved
                && Set(c.fields.keys).isSubset(of: payout.map(\.rawValue))
            let newRequest = existing == nil && status == .requested
            if !(cashPayout || newRequest) {
                throw refuse(
                    c,
                    "change withdrawal \(c.entity) (only head office approves; a store records approved cash payouts)")
            }
        }
    }

    /// The sending warehouse's owner ships a transfer; the receiving warehouse's owner receives
    /// it; nobody else writes it.
    mutating func authorizeTransfer(_ c: ChangeRecord) throws {
        let existing = try reader.register(.transfer, c.entity)
        func warehouse(_ field: String) -> String {
            c.fields[field]?.stringValue ?? existing?[field]?.stringValue ?? ""
        }
        let sender = try owner(of: warehouse("from")), receiver = try owner(of: warehouse("to"))
        if ["sku", "qty", "from", "to"].contains(where: { c.fields[$0] != nil }), sender != node {
            throw refuse(c, "ship transfer \(c.entity) from another node's warehouse")
        }
        if c.fields["received_qty"] != nil, receiver != node {
            throw refuse(c, "receive transfer \(c.entity) into another node's warehouse")
        }
        if sender != node && receiver != node {
            throw refuse(c, "write transfer \(c.entity) between other nodes' warehouses")
        }
    }

    /// A store writes only its own orders (and their lines, payments and refunds).
    mutating func checkOrderOwnership(_ c: ChangeRecord, createdHere: Set<String>) throws {
        let order: String?
        switch c.kind {
        case .order: order = c.entity
        case .orderLine, .payment, .refund, .refundRequest:
            if let named = c.fields["order"]?.stringValue {
                order = named
            } else {
                order = try reader.register(RefundRequestRegister.self, c.entity)?.order
            }
        default: return
        }
        guard let order, !createdHere.contains(order) else { return }
        let store: String?
        if let cached = orderStores[order] {
            store = cached
        } else {
            store = try reader.order(order)?.store
            orderStores[order] = store
        }
        guard store == node.rawValue else {
            throw refuse(c, "write \(c.kind) for order \(order): it is not \(node)'s order")
        }
    }
}
