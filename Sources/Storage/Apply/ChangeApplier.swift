import Commerce
import GRDB
import Replication

/// What applying a batch did.
public struct ApplyReport: Sendable, Equatable {
    public var applied = 0
    public var duplicates = 0
    /// Conflict records before and after the batch, relative: `conflictsAfter − conflictsBefore`
    /// is what the batch added (the table is never counted whole on the apply path).
    public var conflictsBefore = 0
    public var conflictsAfter = 0
    public var maxHLC = HLC.zero
    /// Whether a received stamp was beyond the clock bound (the clock did not follow it).
    public var aheadOfBound = false
    /// `clock_clamp`s central wrote for register writes stamped beyond the bound.
    public var clamped = 0
    /// Stock levels advanced from their checkpoint by this batch, and those re-folded from
    /// their whole ledger (a count, a new key, …). Likewise member balances.
    public var stockAdvanced = 0
    public var stockRefolded = 0
    public var ledgersAdvanced = 0
    public var ledgersRefolded = 0
    public var newConflicts: Int { max(0, conflictsAfter - conflictsBefore) }
    public init() {}
}

/// The net number of conflict records a batch wrote (a reference, so the non-mutating
/// derivation helpers can count).
final class ConflictTally {
    var delta = 0
}

/// Applies change records to the materialized state inside one write transaction.
///
/// Idempotent: a change whose `(origin, seq)` is already held is skipped. Order-independent:
/// every derived value (register fields, order status, stock levels, balances, conflicts) is
/// recomputed, per touched key, from *all* the changes held for that key, with the pure rules
/// of `Replication` and `Commerce`. Set-based: only keys touched by the batch are recomputed;
/// stock levels and member balances are advanced from a checkpoint by the batch's changes
/// when that gives the same result (`ChangeApplier+Checkpoints.swift`).
struct ChangeApplier {
    let db: Database
    var touched = TouchedKeys()
    var report = ApplyReport()
    /// Highest seq applied per origin in this batch, written to `version_vector` at the end.
    var versions: [NodeID: Int64] = [:]
    /// Order changes of this batch for orders that had no change before it: their full
    /// history is here, so recomputing them needs no read-back from the log.
    var newOrders: [String: [ChangeRecord]] = [:]
    var knownOrders = Set<String>()
    /// Stock movements this batch inserted, per key: what `advanceStock` adds to the checkpoint.
    var batchMoves: [StockKey: [BatchMove]] = [:]
    /// Member-ledger entries this batch inserted, per key: what `advanceLedger` adds.
    var batchLedger: [LedgerKey: [BatchLedgerEntry]] = [:]
    /// Allocations whose open/released state may have changed in this batch.
    var allocationRefresh = Set<AllocationRef>()
    /// Per origin, the highest seq whose change left this node's log (``LogCompaction``):
    /// a change at or below it that arrives again was held already. Loaded for received
    /// batches only (a node's own new changes are above every watermark).
    var compacted: [NodeID: Int64] = [:]
    /// Conflict records added minus removed by this batch (`ApplyReport.newConflicts`),
    /// counted where they are written instead of counting the whole table twice a batch.
    let conflictTally = ConflictTally()
    /// What earlier local writes learned, in a local write: a rewritten register's entries are dropped.
    var writerCache: WriterCache?
    /// Which conflict roots hold records: the batch's own for a received batch, the one
    /// ``writerCache`` keeps for a local write; nil deletes from every root re-derived.
    var conflictRoots: ConflictRootsProbe?
    /// Ids this local transaction minted (``LocalTransaction/newID(_:)``). No row outside the
    /// transaction can name them, so an order minted here is derived from what the applier
    /// inserted for it (``MintedOrders``) instead of read back from its tables.
    var minted = MintedOrders()
    /// Stock movements this applier inserted unkeyed (``StockMoveKeying``: they wait to be keyed).
    var insertedMoves = 0
    /// Whether this applier writes movements straight into the key index: a batch large
    /// enough that its movements share the index's pages (``StockMoveKeying/directBatch``).
    var keysMoves = false

    /// A received batch's log rows, inserted before its changes are applied (``LogRowsAhead``);
    /// nil: each change's row is inserted as it is applied (a quarantine, a re-fold) or, with
    /// ``defersLog``, when the local write finishes.
    var logRowsAhead: LogRowsAhead?
    /// Whether a received batch's order lines and payments were written before its changes
    /// are applied (``RecordRowsAhead``): always with its log rows.
    var recordsAhead: Bool { logRowsAhead != nil }
    /// A local write's changes get their log rows together when it finishes (their seqs are
    /// new: the node's next ones), in a few statements instead of one a change.
    var defersLog = false
    /// The local changes whose log rows ``finish()`` writes.
    var pendingLog: [ChangeRecord] = []

    /// Whether an order's status change adds an `order.status` outbox event: at central,
    /// whose webhooks deliver them; a store delivers none, so it records none.
    let recordsOrderEvents: Bool
    /// Whether changes below the compaction watermarks are kept in `change_archive` (central).
    let archives: Bool

    init(db: Database, role: NodeRole) {
        self.db = db
        self.recordsOrderEvents = role == .central
        self.archives = role == .central
    }

    /// Stores and applies one change; returns false when it was already held.
    @discardableResult
    mutating func apply(_ c: ChangeRecord) throws -> Bool {
        let inserted: Bool
        if defersLog {
            pendingLog.append(c)  // a local change: new by construction (``LogRowsAhead/insertLocal(_:db:)``)
            inserted = true
        } else if logRowsAhead != nil {
            inserted = logRowsAhead?.takeNew(c) == true
        } else {
            inserted =
                try db.step(
                    """
                    INSERT OR IGNORE INTO change_log(origin, seq, hlc, kind, entity, op, fields, ctx, scope)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ) { $0.logRow(c) } > 0
        }
        if !inserted {
            try checkSameChange(c)
            report.duplicates += 1
            return false
        }
        if let mark = compacted[c.origin], c.seq <= mark {
            // Held before and compacted away since (its rows are here): a duplicate, not new.
            // Central kept it in its archive: the same change, or a reused seq.
            if archives { try checkSameChange(c, in: "change_archive") }
            try db.step("DELETE FROM change_log WHERE origin = ? AND seq = ?") { bind in
                bind(c.origin.rawValue)
                bind(c.seq)
            }
            report.duplicates += 1
            return false
        }
        report.applied += 1
        if c.hlc > report.maxHLC { report.maxHLC = c.hlc }
        if c.seq > versions[c.origin, default: 0] { versions[c.origin] = c.seq }
        try materialize(c)
        return true
    }

    /// A second change with the same (origin, seq) but other content means a node reused
    /// sequence numbers (restored from an old backup): refuse rather than silently drop it.
    /// `table` is `change_archive` for a change central archived (``CentralArchive``).
    func checkSameChange(_ c: ChangeRecord, in table: String = "change_log") throws {
        let row = try Row.fetchOne(
            db.statement(
                "SELECT hlc, kind, entity, fields, op, ctx, scope FROM \(table) WHERE origin = ? AND seq = ?"),
            arguments: [c.origin.rawValue, c.seq])
        guard let row else { return }
        let hlc: Int64 = row["hlc"]
        let kind: String = row["kind"]
        let entity: String = row["entity"]
        let fields: String = row["fields"]
        let op: String = row["op"]
        let ctx: String = row["ctx"]
        let scope: String = row["scope"]
        if hlc != c.hlc.rawValue || kind != c.kind.rawValue || entity != c.entity || fields != c.canonicalFields
            || op != c.op.rawValue || ctx != c.canonicalContext || scope != c.scope.description
        {
            throw StorageError(
                .refused,
                "change \(c.stamp.changeID) differs from the change already held under that id: node \(c.origin) "
                    + "reused sequence numbers (restored from an old backup?); its acknowledged changes are safe at central: run `fenxiao recover` on that store"
            )
        }
    }

    mutating func materialize(_ c: ChangeRecord) throws {
        if c.op == .void { return }  // a quarantined change: logged (its seq counts), no effect
        let f = ChangeFields(c)
        if c.kind == .clockClamp { return try applyClamp(c, f) }
        switch c.kind.policy {
        case .register:
            try ChangeLogCodec.recordHistory(c, db: db)
            touched.registers.insert(EntityKey(kind: c.kind.rawValue, id: c.entity))
        case .orderState:
            try ChangeLogCodec.recordHistory(c, db: db)
            touched.orders.insert(c.entity)
            if newOrders[c.entity] != nil {
                newOrders[c.entity]?.append(c)
            } else if minted.ids.contains(c.entity) {
                newOrders[c.entity] = [c]  // minted in this transaction: no row can exist
            } else if !knownOrders.contains(c.entity) {
                let exists =
                    try db.firstRow("SELECT EXISTS(SELECT 1 FROM orders WHERE id = ?)", { $0(c.entity) }) { $0.bool(0) }
                    ?? false
                if exists { knownOrders.insert(c.entity) } else { newOrders[c.entity] = [c] }
            }
        case .record:
            try applyRecord(c, f)
        case .ledger:
            try applyLedger(c, f)
        case .claim:
            // A claim on a unique key: a coupon code, or any `key` (a member's daily check-in…).
            let use = try f.payload(CouponUseChange.self)
            let key = use.claimedKey
            let claimant = use.order.map { "order:\($0)" } ?? use.claimant ?? c.entity
            try db.statement(
                """
                INSERT OR IGNORE INTO claims(key, id, claimant, scope, amount_cents, hlc, origin, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).execute(arguments: [
                key, c.entity, claimant, c.scope.description, use.amount?.cents ?? 0, c.hlc.rawValue,
                c.origin.rawValue, c.seq,
            ])
            touched.claims.insert(key)
            if ClaimRelease.isMarker(key) {
                // A cancel or payment marker of an order: that order's claims are released or taken again.
                touched.claims.formUnion(
                    try String.fetchAll(
                        db.statement("SELECT DISTINCT key FROM claims WHERE claimant = ?"),
                        arguments: [claimant]))
            }
        }
    }

    /// A `clock_clamp` joins the history of the register it dates, which is recomputed.
    mutating func applyClamp(_ c: ChangeRecord, _ f: ChangeFields) throws {
        let clamp = try f.payload(ClockClampChange.self)
        let (kind, entity) = (clamp.ofKind, clamp.ofEntity)
        try db.statement(
            "INSERT OR IGNORE INTO entity_history(kind, entity, origin, seq) VALUES (?, ?, ?, ?)"
        )
        .execute(arguments: [kind.rawValue, entity, c.origin.rawValue, c.seq])
        touched.registers.insert(EntityKey(kind: kind.rawValue, id: entity))
    }

    mutating func applyRecord(_ c: ChangeRecord, _ f: ChangeFields) throws {
        switch c.kind {
        case .orderLine:
            let line = try f.payload(OrderLineChange.self)
            touched.orders.insert(line.order)  // its commissions are computed from the lines
            // A line's amount must fit, or `order show` and commissions could not compute it.
            let amount = try Checked.subtract(
                Checked.multiply(line.qty, line.unitPrice.cents, "line \(c.entity)"), line.discount.cents,
                "line \(c.entity)")
            if recordsAhead { return }  // written with the batch's others (``RecordRowsAhead``)
            let inserted = try db.step(
                """
                INSERT OR IGNORE INTO order_lines(order_id, line, scope, sku, name, qty, unit_cents, discount_cents)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            ) { $0.orderLineRow(c, line) }
            if inserted > 0 {
                minted.lined(line.order) {
                    OrderView.Line(
                        line: Int(line.line), sku: line.sku, name: line.name, qty: line.qty,
                        unit_cents: line.unitPrice.cents, discount_cents: line.discount.cents, amount_cents: amount)
                }
            }
        case .audit:
            let entry = try f.payload(AuditChange.self)
            try db.statement(
                "INSERT OR IGNORE INTO audit_log(id, scope, user, action, subject, at) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [
                c.entity, c.scope.description, entry.user, entry.action, entry.subject, entry.atMillis,
            ])
        case .payment:
            let payment = try f.payload(PaymentChange.self)
            let order = payment.order
            touched.orders.insert(order)
            if recordsAhead { return }  // written with the batch's others (``RecordRowsAhead``)
            let inserted = try db.step(
                """
                INSERT OR IGNORE INTO payments(id, scope, order_id, method, amount_cents, hlc, origin, seq, reference, shift, tendered_cents)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ) { $0.paymentRow(c, payment) }
            if inserted > 0 {
                minted.paid(order, payment.amount.cents, c) {
                    OrderView.Payment(
                        id: c.entity, method: payment.method.rawValue, amount_cents: payment.amount.cents,
                        reference: payment.reference, tendered_cents: payment.tendered?.cents, shift: payment.shift)
                }
            }
        default:
            return
        }
    }

    mutating func applyLedger(_ c: ChangeRecord, _ f: ChangeFields) throws {
        if c.kind == .stockMove {
            let move = try f.payload(StockMoveChange.self)
            let (sku, warehouse, reason, qty) = (move.sku, move.warehouse, move.reason, move.qty)
            let (releases, cancelOf) = (move.releases, move.cancelOf)
            let inserted = try db.step(
                """
                INSERT OR IGNORE INTO stock_moves(id, scope, sku, warehouse, reason, qty, releases, ref, hlc, origin, seq, cancel_of,
                    keyed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ) { bind in
                bind(c.entity)
                bind(c.scope.description)
                bind(sku)
                bind(warehouse)
                bind(reason.rawValue)
                bind(qty)
                bind(releases)
                bind(move.ref)
                bind.stamp(c.stamp)
                bind(cancelOf)
                bind(keysMoves ? 1 : 0)
            }
            let key = StockKey(sku: sku, warehouse: warehouse)
            touched.stock.insert(key)
            if let cancelOf { minted.named(cancelOf) }
            guard inserted > 0 else { return }  // an id already held: the ledger keeps the first
            if !keysMoves { insertedMoves += 1 }
            batchMoves[key, default: []].append(
                BatchMove(stamp: c.stamp, reason: reason, qty: qty, scope: c.scope, counted: cancelOf == nil))
            // Whether an allocation is open is decided in `finish`, once orders are derived
            // (a cancel's release counts only while its order is cancelled).
            if reason == .allocate { allocationRefresh.insert(AllocationRef(key: key, id: c.entity)) }
            if let releases { allocationRefresh.insert(AllocationRef(key: key, id: releases)) }
        } else if c.kind == .memberLedger {
            let entry = try f.payload(MemberLedgerChange.self)
            let (member, account, delta) = (entry.member, entry.account.rawValue, entry.delta)
            let inserted = try db.step(
                """
                INSERT OR IGNORE INTO member_ledger(
                    id, scope, member, account, delta, reason, ref, hlc, origin, seq, written, order_closes_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ) { bind in
                bind(c.entity)
                bind(c.scope.description)
                bind(member)
                bind(account)
                bind(delta)
                bind(entry.reason)
                bind(entry.ref)
                bind.stamp(c.stamp)
                bind(delta)
                bind(entry.orderClosesAt)
            }
            let key = LedgerKey(member: member, account: account)
            touched.ledgers.insert(key)
            guard inserted > 0 else { return }  // an id already held: the ledger keeps the first
            if entry.account == .points, let ref = entry.ref,
                try entry.reason == PointsReturnCap.refundReason || hasRefundPoints(member: member, order: ref)
            {
                // Its order's refund entries count at most once (`PointsReturnCap`). An order
                // without refund entries has nothing to cap: its entries count as written.
                touched.pointOrders.insert(PointsOrderKey(member: member, order: ref))
            }
            batchLedger[key, default: []].append(
                BatchLedgerEntry(entry: LedgerEntry(id: c.entity, stamp: c.stamp, delta: delta), scope: c.scope))
        } else if c.kind == .refund {
            let refund = try f.payload(RefundChange.self)
            let order = refund.order
            try db.statement(
                """
                INSERT OR IGNORE INTO refunds(id, scope, order_id, amount_cents, method, reason, hlc, origin, seq, shift)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).execute(
                arguments: StatementArguments(
                    [
                        c.entity, c.scope.description, order, refund.amount.cents, refund.method, refund.reason,
                        c.hlc.rawValue, c.origin.rawValue, c.seq, refund.shift,
                    ]))
            try RefundDetail.record(refund, of: c, db: db)
            minted.named(order)
            touched.orders.insert(order)
        }
    }

    /// Recomputes every derived value for the keys this batch touched, in a fixed order.
    mutating func finish() throws {
        if !pendingLog.isEmpty {
            try LogRowsAhead.insertLocal(pendingLog, db: db)
            pendingLog.removeAll(keepingCapacity: true)
        }
        for (origin, seq) in versions {
            try db.step(
                """
                INSERT INTO version_vector(origin, seq) VALUES (?, ?)
                ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                """
            ) { bind in
                bind(origin.rawValue)
                bind(seq)
            }
        }
        versions = [:]
        for key in touched.registers.sorted() { try recomputeRegister(key) }
        if touched.registers.contains(where: { $0.kind == EntityKind.commissionRule.rawValue }) {
            // A new rule version may apply to orders already held: recompute their commissions.
            touched.orders.formUnion(try String.fetchAll(db, sql: "SELECT id FROM orders WHERE upline IS NOT NULL"))
        }
        for order in touched.orders.sorted() {
            let (was, now) = try recomputeOrder(order)
            // A cancel's movements count while its order is cancelled or not held yet (`StockMoveRule`).
            let cancelled = OrderStatus.cancelled.rawValue
            if now != nil, (was ?? cancelled == cancelled) != (now == cancelled) {
                try touchCancelEffects(of: order)
            }
        }
        for ref in allocationRefresh.sorted() { try refreshOpenAllocation(ref.key, id: ref.id) }
        allocationRefresh = []
        for key in touched.stock.sorted() { try recomputeStock(key) }
        batchMoves = [:]
        for key in touched.pointOrders.sorted() { try recomputePointsReturn(key) }
        for key in touched.ledgers.sorted() { try recomputeLedger(key) }
        batchLedger = [:]
        for key in touched.claims.sorted() { try recomputeClaim(key) }
        touched = TouchedKeys()
        knownOrders.formUnion(newOrders.keys)
        newOrders = [:]
    }
}

/// The keys whose derived state must be recomputed at the end of a batch.
struct TouchedKeys {
    var registers = Set<EntityKey>()
    var orders = Set<String>()
    var stock = Set<StockKey>()
    var ledgers = Set<LedgerKey>()
    /// Orders whose points entries (`PointsReturnCap`) changed.
    var pointOrders = Set<PointsOrderKey>()
    var claims = Set<String>()
}

struct EntityKey: Hashable, Comparable {
    var kind: String
    var id: String
    static func < (a: EntityKey, b: EntityKey) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

struct StockKey: Hashable, Comparable {
    var sku: String
    var warehouse: String
    static func < (a: StockKey, b: StockKey) -> Bool { (a.sku, a.warehouse) < (b.sku, b.warehouse) }
}

struct LedgerKey: Hashable, Comparable {
    var member: String
    var account: String
    static func < (a: LedgerKey, b: LedgerKey) -> Bool { (a.member, a.account) < (b.member, b.account) }
}

/// An allocation of a (SKU, warehouse), by id.
struct AllocationRef: Hashable, Comparable {
    var key: StockKey
    var id: String
    static func < (a: AllocationRef, b: AllocationRef) -> Bool { (a.key, a.id) < (b.key, b.id) }
}
