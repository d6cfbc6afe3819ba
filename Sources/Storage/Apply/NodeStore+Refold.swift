import Foundation
import GRDB
import Replication

extension NodeStore {
    /// Re-folds every stock level, member balance and unique-key claim from its whole ledger
    /// with the pure rules (`StockLedger.evaluate`, `LedgerReplay.replay`,
    /// `UniqueClaims.resolve`), ignoring the apply checkpoints, and rebuilds the index of open
    /// allocations. The result must equal what the checkpointed apply wrote: tests use it as
    /// the oracle, and it repairs derived state should it ever be doubted.
    public func refoldDerivedState() throws {
        _ = try writeLocal { db in
            try db.execute(sql: "UPDATE stock_levels SET checkpoint = 0")
            try db.execute(sql: "UPDATE member_balances SET checkpoint = 0")
            var applier = ChangeApplier(db: db, role: identity.role)
            try db.execute(sql: "DELETE FROM stock_open_allocations")
            let allocations = try Row.fetchAll(
                db, sql: "SELECT id, sku, warehouse FROM stock_moves WHERE reason = 'allocate'")
            for row in allocations {
                try applier.refreshOpenAllocation(StockKey(sku: row["sku"], warehouse: row["warehouse"]), id: row["id"])
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT DISTINCT sku, warehouse FROM stock_moves UNION SELECT sku, warehouse FROM stock_bases")
            {
                applier.touched.stock.insert(StockKey(sku: row["sku"], warehouse: row["warehouse"]))
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT DISTINCT member, account FROM member_ledger UNION SELECT member, account FROM member_bases"
            ) {
                applier.touched.ledgers.insert(LedgerKey(member: row["member"], account: row["account"]))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT DISTINCT member, ref FROM member_ledger WHERE account = 'points' AND ref IS NOT NULL")
            {
                applier.touched.pointOrders.insert(PointsOrderKey(member: row["member"], order: row["ref"]))
            }
            applier.touched.claims.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT key FROM claims"))
            try applier.finish()
            return true
        }
    }

    /// The rows the apply checkpoints maintain, one text line each in a fixed order: stock
    /// levels, open allocations, member balances and every conflict record with its detail
    /// (the state hash leaves `detail` out; this does not). For comparing two ways of
    /// arriving at the same state.
    public func checkpointedState() throws -> [String] {
        try read { r in
            let queries = [
                "SELECT 'level', sku, warehouse, scope, on_hand, reserved FROM stock_levels ORDER BY sku, warehouse",
                "SELECT 'open', sku, warehouse, id, qty, hlc, origin, seq, reallocated FROM stock_open_allocations ORDER BY sku, warehouse, id",
                "SELECT 'balance', member, account, scope, balance FROM member_balances ORDER BY member, account",
                """
                SELECT 'conflict', id, root, scope, kind, rule, subject, winner, loser, amount, unit, created_hlc, detail
                FROM conflicts ORDER BY id
                """,
            ]
            var lines: [String] = []
            for q in queries {
                for row in try r.rows(q) {
                    lines.append(row.databaseValues.map(Self.text).joined(separator: "|"))
                }
            }
            return lines
        }
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let t): return t
        case .blob(let b): return b.base64EncodedString()
        }
    }
}
