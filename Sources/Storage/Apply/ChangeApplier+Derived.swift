import Commerce
import Foundation
import GRDB
import Replication

extension ChangeApplier {
    /// Replaces the conflict records under `root` with `conflicts`.
    func replaceConflicts(root: String, with conflicts: [ConflictRecord]) throws {
        if try conflictRoots?.mayHold(root, db) ?? true {
            conflictTally.delta -= try db.step("DELETE FROM conflicts WHERE root = ?") { bind in bind(root) }
            conflictRoots?.recorded(root, held: false)
        }
        try insertConflicts(root: root, conflicts)
    }

    /// Adds `conflicts` under `root`, keeping the ones already recorded there.
    func insertConflicts(root: String, _ conflicts: [ConflictRecord]) throws {
        if !conflicts.isEmpty { conflictRoots?.recorded(root, held: true) }
        for c in conflicts {  // a new id adds a record; a recorded one is replaced in place
            let held = try db.firstRow("SELECT 1 FROM conflicts WHERE id = ?", { $0(c.id) }) { _ in true } ?? false
            if !held { conflictTally.delta += 1 }
        }
        let insert = try db.statement(
            """
            INSERT OR REPLACE INTO conflicts(id, root, scope, kind, rule, subject, winner, loser, amount, unit, detail, created_hlc,
                facts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in conflicts {
            try insert.execute(arguments: [
                c.id, root, c.scope.description, c.kind, c.rule, c.subject, c.winner, c.loser, c.amount, c.unit,
                ConflictText.sentence(c.facts, in: .english), c.createdHLC.rawValue,
                String(decoding: try JSONEncoder().encode(c.facts), as: UTF8.self),
            ])
        }
    }

    func recomputeRegister(_ key: EntityKey) throws {
        writerCache?.invalidate(key)
        guard let kind = EntityKind(key.kind) else { return }
        let history = try ChangeLogCodec.changes(of: kind, entity: key.id, db: db)
        let clamps = ClockClamp.table(history)  // central's dating of writes beyond the clock bound
        let writes = clamps.isEmpty ? history : history.filter { $0.kind != .clockClamp }
        guard let scope = writes.map(\.scope).min() else { return }
        let subject = ConflictRoot.register(key)
        var (state, conflicts) = RegisterMerge.materialize(writes, subject: subject, scope: scope, clamps: clamps)
        if kind == .transfer, let discrepancy = TransferRule.discrepancy(id: key.id, state: state, scope: scope) {
            conflicts.append(discrepancy)
        }
        let stamps = state.stamps.mapValues { JSONValue.string($0.storageText) }
        try db.statement(
            "INSERT OR REPLACE INTO registers(kind, id, scope, fields, stamps, vv) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            key.kind, key.id, scope.description, state.fields.canonicalText, stamps.canonicalText,
            state.version.canonicalJSON,
        ])
        try replaceConflicts(root: subject, with: conflicts)
        if kind == .member { try refreshPhoneClaim(member: key.id, state: state, scope: scope) }
        if kind == .coupon { try recomputeClaim("coupon:\(key.id)") }
    }

    /// A member's phone number is a unique claim: the first member (by the stamp of the write
    /// that set it) keeps it; later members with the same number are flagged.
    func refreshPhoneClaim(member: String, state: RegisterState, scope: Scope) throws {
        let claimant = "member:\(member)"
        let old = try String.fetchAll(
            db.statement("SELECT key FROM claims WHERE claimant = ? AND key LIKE 'phone:%'"),
            arguments: [claimant])
        try db.execute(sql: "DELETE FROM claims WHERE claimant = ? AND key LIKE 'phone:%'", arguments: [claimant])
        var keys = Set(old)
        let field = MemberRegister.Field.phone.rawValue
        if let phone = state.fields[field]?.stringValue, !phone.isEmpty, let stamp = state.stamps[field] {
            try db.execute(
                sql: """
                    INSERT INTO claims(key, id, claimant, scope, amount_cents, hlc, origin, seq) VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    "phone:\(phone)", claimant, claimant, scope.description, stamp.hlc.rawValue, stamp.origin.rawValue,
                    stamp.seq,
                ])
            keys.insert("phone:\(phone)")
        }
        for key in keys.sorted() { try recomputeClaim(key) }
    }

    /// Recomputes order `id`; returns its status before and after (nil when not derived).
    @discardableResult
    mutating func recomputeOrder(_ id: String) throws -> (was: String?, now: String?) {
        let changes = try newOrders[id] ?? ChangeLogCodec.changes(of: .order, entity: id, db: db, archived: archives)
        let creation = changes.filter { $0.op == .upsert }.min { $0.stamp < $1.stamp }
        let created = try creation.map { c throws(StorageError) in try ChangeFields(c).payload(OrderCreated.self) }
        var events: [OrderStateMachine.Event] = []
        var shipment: (stamp: ChangeStamp, carrier: String?, tracking: String?)?
        for c in changes {
            let step = try ChangeFields(c).payload(OrderTransition.self)
            events.append(.init(status: step.status, stamp: c.stamp))
            if step.namesCarrier, shipment.map({ $0.stamp < c.stamp }) ?? true {
                shipment = (c.stamp, step.carrier, step.tracking)
            }
        }
        // An order minted in this transaction with no refund or cancel here: its payments are the
        // ones inserted here and it has no refunds (no other row can name its id).
        let mintedHere = minted.isPlain(id)
        var payments: [OrderStateMachine.Payment] = []
        var refunds: [OrderStateMachine.Refund] = []
        if mintedHere {
            payments = minted.payments[id] ?? []
        } else {
            try db.eachRow("SELECT id, amount_cents, hlc, origin, seq FROM payments WHERE order_id = ?", { $0(id) }) {
                payments.append(
                    OrderStateMachine.Payment(id: $0.text(0), amount: $0.int64(1), stamp: try $0.stamp(at: 2)))
            }
            try db.eachRow("SELECT id, amount_cents, hlc, origin, seq FROM refunds WHERE order_id = ?", { $0(id) }) {
                refunds.append(
                    OrderStateMachine.Refund(id: $0.text(0), amount: $0.int64(1), stamp: try $0.stamp(at: 2)))
            }
        }
        let paid = try Checked.sum(payments.map(\.amount), "the payments of order \(id)")
        // Checked once here, so the state machine's partial sums (of non-negative amounts) fit too.
        _ = try Checked.sum(refunds.map(\.amount), "the refunds of order \(id)")
        guard let scope = changes.map(\.scope).min() else {
            // Payments or refunds arrived before the order itself: keep them, derive nothing yet.
            return (nil, nil)
        }
        // An order first seen in this batch has no row yet (`materialize` checked).
        let previous =
            newOrders[id] != nil
            ? nil : try db.firstRow("SELECT status FROM orders WHERE id = ?", { $0(id) }) { $0.optionalText(0) } ?? nil
        let total = created?.total.cents ?? 0
        let outcome = OrderStateMachine.materialize(
            order: id, events: events, payments: payments, total: total, refunds: refunds, scope: scope)
        try db.step(
            """
            INSERT OR REPLACE INTO orders(id, scope, store, member, channel, status, subtotal_cents, discount_cents,
                total_cents, paid_cents, refunded_cents, pay_method, coupon, warehouse, created_at, created_hlc, upline,
                close_days)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ) { bind in
            bind(id)
            bind(scope.description)
            bind(created?.store)
            bind(created?.member)
            bind(created?.channel?.rawValue)
            bind(outcome.status.rawValue)
            bind(created?.subtotal.cents ?? 0)
            bind(created?.discount.cents ?? 0)
            bind(total)
            bind(paid)
            bind(outcome.refunded)
            bind(created?.payMethod?.rawValue)
            bind(created?.coupon)
            bind(created?.warehouse)
            bind(created?.createdAtMillis)
            bind(creation?.hlc.rawValue)
            bind(created?.upline.map { JSONValue.array($0.chain.map(JSONValue.string)).canonicalText })
            bind(created?.closeDays)
        }
        if let upline = created?.upline {
            try recomputeCommissions(
                order: id, upline: upline, events: events, paid: paid, refunded: outcome.refunded, scope: scope)
        }
        if mintedHere, let created {
            var head = OrderView(
                id: id, store: created.store, member: created.member, channel: created.channel?.rawValue,
                status: outcome.status.rawValue, subtotal_cents: created.subtotal.cents,
                discount_cents: created.discount.cents, total_cents: total, paid_cents: paid,
                refunded_cents: outcome.refunded, pay_method: created.payMethod?.rawValue, coupon: created.coupon,
                warehouse: created.warehouse, carrier: shipment?.carrier, tracking: shipment?.tracking,
                created_at: created.createdAtMillis, lines: [], payments: [], refunds: [])
            if let days = created.closeDays, let creation {
                head.closes_at = OrderClosing.closesAtMillis(created: creation.hlc, days: days)
            }
            minted.derived(head, of: id)
        }
        // The shipment's carrier and tracking number: from the latest event that names them.
        if let shipment {
            try db.statement("UPDATE orders SET carrier = ?, tracking = ? WHERE id = ?")
                .execute(arguments: [shipment.carrier, shipment.tracking, id])
        }
        try replaceConflicts(
            root: ConflictRoot.order(id),
            with: outcome.conflicts + (mintedHere ? [] : lineRefundConflicts(order: id, scope: scope)))
        if recordsOrderEvents && previous != outcome.status.rawValue {
            let payload = Self.orderStatusEvent(
                order: id, status: outcome.status.rawValue, previous: previous, store: created?.store,
                member: created?.member, totalCents: created?.total.cents)
            try db.step(
                "INSERT INTO outbox(topic, subject, payload, created_at) VALUES ('order.status', ?, ?, CAST(strftime('%s','now') AS INTEGER) * 1000)"
            ) { bind in
                bind(id)
                bind(payload)
            }
        }
        return (previous, outcome.status.rawValue)
    }

    /// An `order.status` event's payload: the canonical JSON of its six keys (in their sorted
    /// order, written directly rather than through a dictionary sorted on every order).
    static func orderStatusEvent(
        order: String, status: String, previous: String?, store: String?, member: String?, totalCents: Int64?
    ) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        func string(_ key: String, _ value: String?) {
            out.append(contentsOf: "\"\(key)\":".utf8)
            if let value { JSONValue.writeString(value, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        string("member", member)
        out.append(UInt8(ascii: ","))
        string("order", order)
        out.append(UInt8(ascii: ","))
        string("previous", previous)
        out.append(UInt8(ascii: ","))
        string("status", status)
        out.append(UInt8(ascii: ","))
        string("store", store)
        out.append(contentsOf: ",\"total_cents\":".utf8)
        out.append(contentsOf: (totalCents.map { String($0) } ?? "null").utf8)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Lines refunded beyond what was sold or paid for them, merged from every node.
    func lineRefundConflicts(order id: String, scope: Scope) throws -> [ConflictRecord] {
        var entries: [LineRefunds.Entry] = []
        try db.eachRow(
            """
            SELECT l.refund_id, l.line, l.qty, l.amount_cents, r.hlc, r.origin, r.seq FROM refund_lines l
            JOIN refunds r ON r.id = l.refund_id WHERE l.order_id = ?
            """,
            { $0(id) }
        ) {
            entries.append(
                LineRefunds.Entry(
                    refund: $0.text(0), line: Int($0.int64(1)), qty: $0.int64(2), amount: $0.int64(3),
                    stamp: try $0.stamp(at: 4)))
        }
        guard !entries.isEmpty else { return [] }
        let lines = try Row.fetchAll(
            db.statement(
                "SELECT line, qty, qty * unit_cents - discount_cents AS paid FROM order_lines WHERE order_id = ?"),
            arguments: [id]
        ).map { LineRefunds.SoldLine(line: $0["line"], qty: $0["qty"], paid: $0["paid"]) }
        return LineRefunds.conflicts(order: id, lines: lines, entries: entries, scope: scope)
    }

    /// The stock level of `key`: advanced from its checkpoint when it can be
    /// (`advanceStock`), else `StockLedger.evaluate` over the whole ledger.
    mutating func recomputeStock(_ key: StockKey) throws {
        if try advanceStock(key) {
            report.stockAdvanced += 1
            return
        }
        report.stockRefolded += 1
        let rows = try Row.fetchAll(
            db.statement(
                StockMoveKeying.byKey(
                    "m.id, m.scope, m.reason, m.qty, m.releases, m.hlc, m.origin, m.seq",
                    where: StockMoveRule.counts("m"))),
            arguments: [key.sku, key.warehouse])
        // Movements a store folded below the frontier count as one (`StockFolding`).
        var moves: [StockMovement] = try StockFolding.baseMovement(db, key).map { [$0] } ?? []
        var scope: Scope? =
            moves.isEmpty
            ? nil
            : try db.firstRow(
                "SELECT scope FROM stock_levels WHERE sku = ? AND warehouse = ?",
                { bind in
                    bind(key.sku)
                    bind(key.warehouse)
                }
            ) { Scope($0.text(0)) } ?? nil
        for row in rows {
            let reasonText: String = row["reason"]
            guard let reason = StockReason(rawValue: reasonText), let s = Scope(row["scope"] as String) else {
                continue
            }
            scope = min(scope ?? s, s)
            moves.append(
                StockMovement(
                    id: row["id"], sku: key.sku, warehouse: key.warehouse, reason: reason, quantity: row["qty"],
                    releases: row["releases"], stamp: try ChangeStamp(row: row)))
        }
        guard let scope else { return }
        let e = try StockLedger.evaluate(moves, sku: key.sku, warehouse: key.warehouse, scope: scope)
        let last = moves.max { $0.stamp < $1.stamp }?.stamp
        let count = moves.filter { $0.reason == .count }.max { $0.stamp < $1.stamp }?.stamp
        let reservations = moves.contains { !$0.reason.isFact }
        try db.statement(
            """
            INSERT OR REPLACE INTO stock_levels(sku, warehouse, scope, on_hand, reserved, last_hlc, last_origin, last_seq,
                reservations, count_hlc, count_origin, count_seq, checkpoint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            """
        ).execute(arguments: [
            key.sku, key.warehouse, scope.description, e.position.onHand, e.position.reserved, last?.hlc.rawValue ?? 0,
            last?.origin.rawValue ?? "", last?.seq ?? 0, reservations, count?.hlc.rawValue ?? 0,
            count?.origin.rawValue ?? "", count?.seq ?? 0,
        ])
        try replaceConflicts(root: ConflictRoot.stock(key), with: e.conflicts)
    }

    /// A member's balance: advanced from its checkpoint when it can be (`advanceLedger`),
    /// else `LedgerReplay.replay` over the whole ledger.
    mutating func recomputeLedger(_ key: LedgerKey) throws {
        if try advanceLedger(key) {
            report.ledgersAdvanced += 1
            return
        }
        report.ledgersRefolded += 1
        // A member's first entry at this node comes here (no balance row to advance from):
        // read and written through the C API, not GRDB's rows and argument arrays.
        var entries: [LedgerEntry] = []
        var scopes: [Scope] = []
        try db.eachRow(
            "SELECT id, scope, delta, hlc, origin, seq FROM member_ledger WHERE member = ? AND account = ?",
            { bind in
                bind(key.member)
                bind(key.account)
            }
        ) { row in
            if let scope = Scope(row.text(1)) { scopes.append(scope) }
            entries.append(LedgerEntry(id: row.text(0), stamp: try row.stamp(at: 3), delta: row.int64(2)))
        }
        // Entries a store folded count as one, stamped before every entry left (`MemberLedgerFolding`).
        let base = try MemberLedgerFolding.base(db, member: key.member, account: key.account)
        guard let scope = (scopes + [base?.scope].compactMap { $0 }).min() else { return }
        if let folded = base?.entry { entries.append(folded) }
        let outcome = try LedgerReplay.replay(entries, account: "\(key.account) of member \(key.member)")
        let last = entries.map(\.stamp).max()
        try db.step(
            """
            INSERT OR REPLACE INTO member_balances(member, account, scope, balance, last_hlc, last_origin, last_seq, checkpoint)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1)
            """
        ) { bind in
            bind(key.member)
            bind(key.account)
            bind(scope.description)
            bind(outcome.balance)
            bind(last?.hlc.rawValue ?? 0)
            bind(last?.origin.rawValue ?? "")
            bind(last?.seq ?? 0)
        }
        let conflicts = outcome.overdrafts.map {
            overdraftConflict($0.entry, shortfall: $0.shortfall, key: key, scope: scope)
        }
        try replaceConflicts(root: ConflictRoot.ledger(key), with: conflicts)
    }

    /// The conflict record of a debit that overdrew a member's account. Its text names only
    /// the debit and its shortfall (not the balance after later entries), so it stays true
    /// when newer entries are added.
    func overdraftConflict(_ entry: LedgerEntry, shortfall: Int64, key: LedgerKey, scope: Scope) -> ConflictRecord {
        let unit = key.account == "points" ? "points" : "cents"
        return ConflictRecord(
            .overdraft(
                entry: entry.id, at: entry.stamp.origin.rawValue, member: key.member, account: key.account,
                spent: -entry.delta, shortfall: shortfall),
            subject: "\(key.account):\(key.member)", winner: nil, loser: entry.stamp.changeID, amount: shortfall,
            unit: unit, scope: scope, createdHLC: entry.stamp.hlc)
    }

    /// The conflicts of a unique key (`UniqueClaims.resolve`). A multi-use coupon has none
    /// whatever its uses, so its claims (one per order, growing with history) are not read.
    func recomputeClaim(_ key: String) throws {
        // A claim held by an order that was cancelled (or expired) and never paid is given back:
        // it no longer counts as a use, and the unique-claim rule decides among the others.
        if ClaimRelease.isMarker(key) {
            try replaceConflicts(root: ConflictRoot.claim(key), with: [])
            return
        }
        try db.statement(ClaimRelease.updateSQL).execute(arguments: [key])
        let multiUse = try key.hasPrefix("coupon:") && isMultiUseCoupon(String(key.dropFirst(7)))
        if multiUse {
            try replaceConflicts(root: ConflictRoot.claim(key), with: [])
            return
        }
        let rows = try Row.fetchAll(
            db.statement(
                "SELECT id, claimant, scope, amount_cents, hlc, origin, seq FROM claims WHERE key = ? AND released = 0"
            ),
            arguments: [key])
        let claims = try rows.map {
            UniqueClaim(
                key: key, id: $0["id"], claimant: $0["claimant"], stamp: try ChangeStamp(row: $0),
                amount: $0["amount_cents"])
        }
        let scope = rows.compactMap { Scope($0["scope"] as String) }.min() ?? .global
        let (winner, losers) = UniqueClaims.resolve(claims)
        let claimantCounts = Dictionary(claims.map { ($0.claimant, 1) }, uniquingKeysWith: +)
        let conflicts = losers.map { l in
            ConflictRecord(
                .duplicateClaim(
                    key: key, winner: winner?.claimant, winnerAt: winner?.stamp.origin.rawValue, claimant: l.claimant,
                    at: l.stamp.origin.rawValue, leakedCents: l.amount),
                subject: key, winner: winner?.claimant,
                loser: (claimantCounts[l.claimant] ?? 0) > 1 ? "\(l.claimant) (\(l.id))" : l.claimant, amount: l.amount,
                unit: "cents", scope: scope, createdHLC: l.stamp.hlc)
        }
        try replaceConflicts(root: ConflictRoot.claim(key), with: conflicts)
    }
}

extension ChangeApplier {
    /// Order `id` became or stopped being cancelled: its cancel's stock movements start or stop
    /// counting, so their keys recompute.
    mutating func touchCancelEffects(of order: String) throws {
        if minted.isPlain(order) { return }  // no cancel's movement can name it
        var found: [(key: StockKey, released: String?)] = []
        try db.eachRow("SELECT sku, warehouse, releases FROM stock_moves WHERE cancel_of = ?", { $0(order) }) { row in
            found.append((StockKey(sku: row.text(0), warehouse: row.text(1)), row.optionalText(2)))
        }
        for (key, released) in found {
            touched.stock.insert(key)
            if let released { allocationRefresh.insert(AllocationRef(key: key, id: released)) }
        }
    }

    /// A multi-use coupon may be used many times: its uses are not duplicate claims.
    func isMultiUseCoupon(_ code: String) throws -> Bool {
        guard
            let text = try String.fetchOne(
                db.statement("SELECT fields FROM registers WHERE kind = 'coupon' AND id = ?"),
                arguments: [code])
        else { return false }
        return try ChangeFields.decode(CouponRegister.self, JSONParser.fields(text)).isMultiUse
    }
}
