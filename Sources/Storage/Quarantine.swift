import Commerce
import GRDB
import Replication

extension NodeStore {
    /// Store side of `fenxiao sync quarantine`: replaces this node's own change `seq` — one
    /// central refused for its content and has never acknowledged — with a void change of the
    /// same origin, seq and stamp (``ChangeOp/void``), and undoes its effect here: the rows it
    /// wrote are deleted and every value derived from them is recomputed from the changes
    /// that remain. The store's sequence stays gap-free, central applies the void change as a
    /// no-op, and both end in the same state. The original is kept in `node_meta`
    /// (`quarantined:<origin>/<seq>`) for the operator to redo correctly. Returns the original.
    public func quarantine(seq: Int64, reason: String, ackedSeq: Int64) throws -> ChangeRecord {
        try mapErrors {
            try pool.writeWithoutTransaction { db in
                var original: ChangeRecord?
                try db.inTransaction(.immediate) {
                    guard
                        let row = try Row.fetchOne(
                            db, sql: "SELECT \(ChangeLogCodec.columns) FROM change_log WHERE origin = ? AND seq = ?",
                            arguments: [identity.node.rawValue, seq])
                    else {
                        throw StorageError(
                            .invalidChange,
                            "this node wrote no change \(identity.node)/\(seq); see `fenxiao sync` for the refused one")
                    }
                    let c = try ChangeLogCodec.decode(row)
                    guard seq > ackedSeq else {
                        throw StorageError(
                            .refused,
                            "central already holds change \(c.stamp.changeID) (acknowledged up to seq \(ackedSeq)); only a change central refused can be quarantined"
                        )
                    }
                    guard c.op != .void else {
                        throw StorageError(.refused, "change \(c.stamp.changeID) is already quarantined")
                    }
                    var applier = ChangeApplier(db: db, role: identity.role)
                    try Self.undo(c, db: db, applier: &applier)
                    var saved = ""
                    JSONValue.object([
                        "kind": .string(c.kind.rawValue), "entity": .string(c.entity), "op": .string(c.op.rawValue),
                        "fields": .object(c.fields), "scope": .string(c.scope.description), "reason": .string(reason),
                    ]).write(into: &saved)
                    try Meta.set(db, "quarantined:\(c.stamp.changeID)", saved)
                    let void: Fields = ["quarantined": .string(reason)]
                    try db.execute(
                        sql:
                            "UPDATE change_log SET op = 'void', fields = ?, ctx = ?, scope = ? WHERE origin = ? AND seq = ?",
                        arguments: [
                            void.canonicalText, VersionVector().canonicalJSON, Scope.node(identity.node).description,
                            identity.node.rawValue, seq,
                        ])
                    try applier.finish()
                    original = c
                    return .commit
                }
                guard let original else { throw StorageError(.io, "quarantine produced no result") }
                return original
            }
        }
    }

    /// Deletes what `c` wrote and marks the keys it touched for recomputation.
    static func undo(_ c: ChangeRecord, db: Database, applier: inout ChangeApplier) throws {
        let origin = c.origin.rawValue
        let f = c.fields
        try db.execute(sql: "DELETE FROM entity_history WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
        switch c.kind.policy {
        case .register:
            try db.execute(
                sql: "DELETE FROM registers WHERE kind = ? AND id = ?", arguments: [c.kind.rawValue, c.entity])
            try db.execute(
                sql: "DELETE FROM conflicts WHERE root = ?",
                arguments: [ConflictRoot.register(EntityKey(kind: c.kind.rawValue, id: c.entity))])
            if c.kind == .member {  // its phone claim is rebuilt from what remains
                let keys = try String.fetchAll(
                    db, sql: "SELECT key FROM claims WHERE claimant = ? AND key LIKE 'phone:%'",
                    arguments: ["member:\(c.entity)"])
                try db.execute(
                    sql: "DELETE FROM claims WHERE claimant = ? AND key LIKE 'phone:%'",
                    arguments: ["member:\(c.entity)"])
                for key in keys { applier.touched.claims.insert(key) }
            }
            applier.touched.registers.insert(EntityKey(kind: c.kind.rawValue, id: c.entity))
        case .orderState:
            try forgetOrder(c.entity, db: db, applier: &applier)
        case .record:
            if let line = try? c.payload(OrderLineChange.self) {
                try db.execute(
                    sql: "DELETE FROM order_lines WHERE order_id = ? AND line = ?", arguments: [line.order, line.line])
                try forgetOrder(line.order, db: db, applier: &applier)
            } else if let payment = try? c.payload(PaymentChange.self) {
                try db.execute(
                    sql: "DELETE FROM payments WHERE id = ? AND origin = ? AND seq = ?",
                    arguments: [c.entity, origin, c.seq])
                try forgetOrder(payment.order, db: db, applier: &applier)
            } else if c.kind == .audit {
                try db.execute(sql: "DELETE FROM audit_log WHERE id = ?", arguments: [c.entity])
            }
        case .ledger:
            if let move = try? c.payload(StockMoveChange.self) {
                let (sku, warehouse) = (move.sku, move.warehouse)
                try db.execute(sql: "DELETE FROM stock_moves WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
                try db.execute(
                    sql: "DELETE FROM stock_open_allocations WHERE sku = ? AND warehouse = ? AND id = ?",
                    arguments: [sku, warehouse, c.entity])
                if let released = move.releases {  // the allocation it ended is open again (re-derived)
                    applier.allocationRefresh.insert(
                        AllocationRef(key: StockKey(sku: sku, warehouse: warehouse), id: released))
                }
                try db.execute(
                    sql: "DELETE FROM stock_levels WHERE sku = ? AND warehouse = ?", arguments: [sku, warehouse])
                try db.execute(
                    sql: "DELETE FROM conflicts WHERE root = ?",
                    arguments: [ConflictRoot.stock(sku: sku, warehouse: warehouse)])
                applier.touched.stock.insert(StockKey(sku: sku, warehouse: warehouse))
            } else if c.kind == .memberLedger, let member = f["member"]?.stringValue,
                let account = f["account"]?.stringValue
            {
                try db.execute(
                    sql: "DELETE FROM member_ledger WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
                try db.execute(
                    sql: "DELETE FROM member_balances WHERE member = ? AND account = ?", arguments: [member, account])
                try db.execute(
                    sql: "DELETE FROM conflicts WHERE root = ?",
                    arguments: [ConflictRoot.ledger(account: account, member: member)])
                applier.touched.ledgers.insert(LedgerKey(member: member, account: account))
                if account == "points", let ref = f["ref"]?.stringValue {
                    applier.touched.pointOrders.insert(PointsOrderKey(member: member, order: ref))
                }
            } else if c.kind == .refund, let order = f["order"]?.stringValue {
                try db.execute(sql: "DELETE FROM refunds WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
                try forgetOrder(order, db: db, applier: &applier)
            }
        case .claim:
            let keys = try String.fetchAll(
                db, sql: "SELECT key FROM claims WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
            try db.execute(sql: "DELETE FROM claims WHERE origin = ? AND seq = ?", arguments: [origin, c.seq])
            for key in keys {
                try db.execute(sql: "DELETE FROM conflicts WHERE root = ?", arguments: [ConflictRoot.claim(key)])
                applier.touched.claims.insert(key)
            }
        }
    }

    /// Drops an order's derived rows so they are rebuilt from the changes that remain.
    static func forgetOrder(_ id: String, db: Database, applier: inout ChangeApplier) throws {
        try db.execute(sql: "DELETE FROM orders WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM commissions WHERE order_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM conflicts WHERE root = ?", arguments: [ConflictRoot.order(id)])
        applier.touched.orders.insert(id)
    }

    /// Changes this node quarantined, with the original content kept for the operator.
    public func quarantined() throws -> [(change: String, original: String)] {
        try read { r in
            try r.rows("SELECT key, value FROM node_meta WHERE key LIKE 'quarantined:%' ORDER BY key").map {
                (String(($0["key"] as String).dropFirst("quarantined:".count)), $0["value"] as String)
            }
        }
    }
}
