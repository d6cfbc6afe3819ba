import Crypto
import GRDB
import Replication

/// A digest of the replicated state a node holds in a set of scopes: domain rows and conflict
/// records, never node-local bookkeeping. Two nodes holding the same changes for a scope
/// produce the same hash, which is how a store and central prove they converged.
public enum StateHash {
    /// Tables and the columns that make up replicated state, in a fixed order.
    static let tables: [(name: String, columns: String, order: String)] = [
        ("registers", "kind, id, scope, fields, stamps", "kind, id"),
        (
            "orders",
            "id, scope, store, member, channel, status, subtotal_cents, discount_cents, total_cents, paid_cents, refunded_cents, pay_method, coupon, warehouse, created_at, created_hlc, carrier, tracking",
            "id"
        ),
        ("order_lines", "order_id, line, scope, sku, name, qty, unit_cents, discount_cents", "order_id, line"),
        ("payments", "id, scope, order_id, method, amount_cents, hlc, reference", "id"),
        ("refunds", "id, scope, order_id, amount_cents, method, reason, hlc, origin, seq", "id"),
        ("stock_moves", "id, scope, sku, warehouse, reason, qty, releases, ref, hlc, origin, seq", "id"),
        ("stock_levels", "sku, warehouse, scope, on_hand, reserved", "sku, warehouse"),
        ("member_ledger", "id, scope, member, account, delta, reason, ref, hlc, origin, seq", "id"),
        ("member_balances", "member, account, scope, balance", "member, account"),
        (
            "commissions",
            "order_id, level, scope, distributor, rule, earn_cents, reversed_cents, paid_at, completed_at, window_days",
            "order_id, level"
        ),
        ("audit_log", "id, scope, user, action, subject, at", "id"),
        ("claims", "key, id, claimant, scope, amount_cents, hlc, origin, seq, released", "key, id"),
        ("refund_lines", "refund_id, order_id, line, scope, qty, amount_cents", "refund_id, line"),
        ("refund_parts", "refund_id, part, order_id, scope, method, payment_id, amount_cents", "refund_id, part"),
        // `detail` (an English sentence) is left out so rewording it never breaks convergence checks.
        ("conflicts", "id, root, scope, kind, rule, subject, winner, loser, amount, unit, created_hlc", "id"),
    ]

    /// The hash of the rows in `scopes` (nil = every scope, central's own view).
    static func compute(_ db: Database, scopes: [Scope]?) throws -> String {
        try compute(db, scopes: scopes, tables: tables)
    }

    static func compute(_ db: Database, scopes: [Scope]?, tables: [(name: String, columns: String, order: String)])
        throws
        -> String
    {
        var hasher = SHA256()
        for table in tables {
            hasher.update(data: Array("#\(table.name)\n".utf8))
            var sql = "SELECT \(table.columns) FROM \(table.name)"
            var args: [String] = []
            if let scopes {
                sql += " WHERE scope IN (\(scopes.map { _ in "?" }.joined(separator: ",")))"
                args = scopes.map(\.description)
            }
            sql += " ORDER BY \(table.order)"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            var line = ""
            while let row = try cursor.next() {
                line.removeAll(keepingCapacity: true)
                for (i, value) in row.databaseValues.enumerated() {
                    if i > 0 { line += "\u{1F}" }
                    switch value.storage {
                    case .null: line += "\u{0}"
                    case .int64(let v): line += String(v)
                    case .double(let v): line += String(v)
                    case .string(let s): line += s
                    case .blob(let d): line += d.base64EncodedString()
                    }
                }
                line += "\n"
                hasher.update(data: Array(line.utf8))
            }
        }
        return hasher.finalize().map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }
}

extension StoreReader {
    /// One digest per table, for finding where two nodes differ.
    public func tableDigests() throws -> [String: String] {
        var out: [String: String] = [:]
        for t in StateHash.tables {
            out[t.name] = String(try StateHash.compute(db, scopes: nil, tables: [t]).prefix(12))
        }
        return out
    }

    /// This node's state hash: global plus its own scope for a store, everything for central.
    public func stateHash() throws -> String {
        try StateHash.compute(db, scopes: identity.role == .central ? nil : [.global, .node(identity.node)])
    }

    /// The hash of what `node` should hold (global plus its scope): central computes it to
    /// compare with the store's own hash.
    public func stateHash(scopeOf node: NodeID) throws -> String {
        try StateHash.compute(db, scopes: [.global, .node(node)])
    }
}
