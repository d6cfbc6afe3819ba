import Crypto
import Foundation
import GRDB
import Replication

/// A digest of the replicated state a node holds in a set of scopes: domain rows and conflict
/// records, never node-local bookkeeping. Two nodes holding the same changes for a scope
/// produce the same hash, which is how a store and central prove they converged.
///
/// Each table's part is a multiset digest (``RowDigest``: the lane-wise sum of every row's
/// SHA-256), so the hash does not depend on the order rows are read in and survives folding:
/// a node that removes settled rows adds their digests to `hash_folds` (``fold(_:table:where:arguments:)``),
/// and its hash stays the one of a node that kept them.
public enum StateHash {
    /// A replicated table: its name, the columns that make up its state (one is `scope`).
    struct Table {
        var name: String
        var columns: String
    }

    /// Tables and the columns that make up replicated state, in a fixed order.
    static let tables: [Table] = [
        Table(name: "registers", columns: "kind, id, scope, fields, stamps"),
        Table(
            name: "orders",
            columns:
                "id, scope, store, member, channel, status, subtotal_cents, discount_cents, total_cents, paid_cents, refunded_cents, pay_method, coupon, warehouse, created_at, created_hlc, carrier, tracking"
        ),
        Table(name: "order_lines", columns: "order_id, line, scope, sku, name, qty, unit_cents, discount_cents"),
        Table(name: "payments", columns: "id, scope, order_id, method, amount_cents, hlc, reference"),
        Table(name: "refunds", columns: "id, scope, order_id, amount_cents, method, reason, hlc, origin, seq"),
        Table(name: "stock_moves", columns: "id, scope, sku, warehouse, reason, qty, releases, ref, hlc, origin, seq"),
        Table(name: "stock_levels", columns: "sku, warehouse, scope, on_hand, reserved"),
        Table(name: "member_ledger", columns: "id, scope, member, account, delta, reason, ref, hlc, origin, seq"),
        Table(name: "member_balances", columns: "member, account, scope, balance"),
        Table(
            name: "commissions",
            columns:
                "order_id, level, scope, distributor, rule, earn_cents, reversed_cents, paid_at, completed_at, window_days"
        ),
        Table(name: "audit_log", columns: "id, scope, user, action, subject, at"),
        Table(name: "claims", columns: "key, id, claimant, scope, amount_cents, hlc, origin, seq, released"),
        Table(name: "refund_lines", columns: "refund_id, order_id, line, scope, qty, amount_cents"),
        Table(name: "refund_parts", columns: "refund_id, part, order_id, scope, method, payment_id, amount_cents"),
        // `detail` (an English sentence) is left out so rewording it never breaks convergence checks.
        Table(
            name: "conflicts", columns: "id, root, scope, kind, rule, subject, winner, loser, amount, unit, created_hlc"
        ),
    ]

    static func table(_ name: String) throws -> Table {
        guard let t = tables.first(where: { $0.name == name }) else {
            throw StorageError(.refused, "\(name) is not a replicated table: it has no part in the state hash")
        }
        return t
    }

    /// The hash of the rows in `scopes` (nil = every scope, central's own view).
    static func compute(_ db: Database, scopes: [Scope]?) throws -> String {
        try compute(db, scopes: scopes, tables: tables)
    }

    static func compute(_ db: Database, scopes: [Scope]?, tables: [Table]) throws -> String {
        var hasher = SHA256()
        for table in tables {
            var digest = try rowsDigest(db, table, scopes: scopes)
            digest.add(try folded(db, table.name, scopes: scopes))
            hasher.update(data: Array("#\(table.name)\n\(digest.text)\n".utf8))
        }
        return hasher.finalize().map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }

    static func scopeFilter(_ scopes: [Scope]?) -> (sql: String, args: [String]) {
        guard let scopes else { return ("", []) }
        return ("scope IN (\(scopes.map { _ in "?" }.joined(separator: ",")))", scopes.map(\.description))
    }

    /// The digest of `table`'s rows held in `scopes`.
    static func rowsDigest(_ db: Database, _ table: Table, scopes: [Scope]?) throws -> RowDigest {
        let filter = scopeFilter(scopes)
        var digest = RowDigest()
        try eachRowDigest(
            db, table, where: filter.sql.isEmpty ? "1" : filter.sql, arguments: StatementArguments(filter.args)
        ) { _, row in
            digest.add(row)
        }
        return digest
    }

    /// What `hash_folds` holds for `table` in `scopes`: the digests of rows folded away.
    static func folded(_ db: Database, _ table: String, scopes: [Scope]?) throws -> RowDigest {
        let filter = scopeFilter(scopes)
        var digest = RowDigest()
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT d0, d1, d2, d3, rows FROM hash_folds WHERE tbl = ?\(filter.sql.isEmpty ? "" : " AND \(filter.sql)")",
            arguments: StatementArguments([table] + filter.args))
        for row in rows {
            digest.add(RowDigest(lanes: [row[0], row[1], row[2], row[3]].map { UInt64(bitPattern: $0) }, rows: row[4]))
        }
        return digest
    }

    /// Calls `body` with the scope and the digest of every row of `table` matching `clause`.
    static func eachRowDigest(
        _ db: Database, _ table: Table, where clause: String, arguments: StatementArguments,
        _ body: (String, RowDigest) throws -> Void
    ) throws {
        let names = table.columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let scopeIndex = names.firstIndex(of: "scope") else {
            throw StorageError(.refused, "table \(table.name) has no scope column")
        }
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(table.columns) FROM \(table.name) WHERE \(clause)", arguments: arguments)
        var line: [UInt8] = []
        while let row = try cursor.next() {
            line.removeAll(keepingCapacity: true)
            var scope = ""
            for (i, value) in row.databaseValues.enumerated() {
                if i > 0 { line.append(0x1F) }
                switch value.storage {
                case .null: line.append(0)
                case .int64(let v): line.append(contentsOf: String(v).utf8)
                case .double(let v): line.append(contentsOf: String(v).utf8)
                case .string(let s):
                    line.append(contentsOf: s.utf8)
                    if i == scopeIndex { scope = s }
                case .blob(let d): line.append(contentsOf: d.base64EncodedString().utf8)
                }
            }
            try body(scope, RowDigest(row: line))
        }
    }

    /// Adds the digests of the rows of `table` matching `clause` to `hash_folds` (per scope), so
    /// that deleting those rows afterwards leaves the state hash as it was. Returns how many.
    @discardableResult
    static func fold(_ db: Database, table name: String, where clause: String, arguments: StatementArguments) throws
        -> Int
    {
        let byScope = try digests(db, table: name, where: clause, arguments: arguments)
        try addFolded(db, table: name, byScope)
        return Int(byScope.values.reduce(0) { $0 + $1.rows })
    }

    /// The digest of the rows of `table` matching `clause`, by scope.
    static func digests(_ db: Database, table name: String, where clause: String, arguments: StatementArguments)
        throws -> [String: RowDigest]
    {
        var byScope: [String: RowDigest] = [:]
        try eachRowDigest(db, try table(name), where: clause, arguments: arguments) { scope, digest in
            byScope[scope, default: RowDigest()].add(digest)
        }
        return byScope
    }

    /// Adds digests of rows no longer held (by scope) to `hash_folds`.
    static func addFolded(_ db: Database, table name: String, _ byScope: [String: RowDigest]) throws {
        for (scope, digest) in byScope.sorted(by: { $0.key < $1.key }) {
            var sum = try folded(db, name, scopes: Scope(scope).map { [$0] } ?? [])
            sum.add(digest)
            let lanes = sum.lanes.map { Int64(bitPattern: $0) }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO hash_folds(tbl, scope, d0, d1, d2, d3, rows) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [name, scope, lanes[0], lanes[1], lanes[2], lanes[3], sum.rows])
        }
    }
}

/// A multiset digest of rows: four 64-bit lanes, each the wrapping sum of the same lane of
/// every row's SHA-256, and the number of rows. Adding is commutative and associative, so the
/// digest of a table does not depend on the order rows are read in, and the digest of rows
/// folded away can be kept and added back.
struct RowDigest: Equatable, Sendable {
    var lanes: [UInt64] = [0, 0, 0, 0]
    var rows: Int64 = 0

    init() {}

    init(lanes: [UInt64], rows: Int64) {
        self.lanes = lanes
        self.rows = rows
    }

    /// The digest of one row's encoding.
    init(row bytes: [UInt8]) {
        let hash = SHA256.hash(data: bytes)
        var lanes: [UInt64] = [0, 0, 0, 0]
        hash.withUnsafeBytes { raw in
            for i in 0..<4 {
                var v: UInt64 = 0
                for b in 0..<8 { v = v << 8 | UInt64(raw[i * 8 + b]) }
                lanes[i] = v
            }
        }
        self.lanes = lanes
        self.rows = 1
    }

    mutating func add(_ other: RowDigest) {
        for i in 0..<4 { lanes[i] &+= other.lanes[i] }
        rows &+= other.rows
    }

    var text: String {
        lanes.map { String($0, radix: 16) }.joined(separator: ".") + " \(rows)"
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
