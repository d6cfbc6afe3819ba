import Commerce
import Foundation
import GRDB
import Replication

/// Read-side queries over a node's materialized state. Obtained from ``NodeStore/read(_:)``
/// or ``LocalTransaction/reader``.
public struct StoreReader {
    let db: Database
    public let identity: NodeIdentity
    /// The writer's parsed registers, inside a local write transaction only (``WriterCache``).
    var cache: WriterCache? = nil

    public func meta(_ key: String) throws -> String? { try Meta.get(db, key) }

    /// The fields of a register, or nil when the node holds no change for it.
    public func register(_ kind: EntityKind, _ id: String) throws -> Fields? {
        guard let cache else { return try registerColumn(.fields, kind, id).map(JSONParser.fields) }
        let key = EntityKey(kind: kind.rawValue, id: id)
        if let held = cache.fields(key) { return held }
        let fields = try registerColumn(.fields, kind, id).map(JSONParser.fields)
        cache.store(key, fields: fields)
        return fields
    }

    /// One text column (`fields` or `vv`) of register `id` of `kind`, or nil when there is none.
    func registerColumn(_ column: RegisterColumn, _ kind: EntityKind, _ id: String) throws -> String? {
        try db.firstRow(
            column.sql,
            { bind in
                bind(kind.rawValue)
                bind(id)
            },
            { $0.text(0) })
    }

    /// The text columns of a register ``registerColumn(_:_:_:)`` reads, each with its query
    /// written out (not interpolated: the read runs several times a sale).
    enum RegisterColumn {
        case fields, vv

        var sql: String {
            switch self {
            case .fields: "SELECT fields FROM registers WHERE kind = ? AND id = ?"
            case .vv: "SELECT vv FROM registers WHERE kind = ? AND id = ?"
            }
        }
    }

    /// Whether any register of a kind exists (cheap: one index probe; inside a local write, not
    /// probed again while the writer's cache stands and no register of the kind was written).
    public func hasRegisters(_ kind: EntityKind) throws -> Bool {
        if let known = cache?.holdsKind(kind.rawValue) { return known }
        let held =
            try db.firstRow("SELECT EXISTS(SELECT 1 FROM registers WHERE kind = ?)", { $0(kind.rawValue) }) {
                $0.bool(0)
            } ?? false
        cache?.note(kind: kind.rawValue, held: held)
        return held
    }

    /// Whether register `id` of `kind` exists (without reading its fields).
    public func registerExists(_ kind: EntityKind, _ id: String) throws -> Bool {
        try db.firstRow(
            "SELECT EXISTS(SELECT 1 FROM registers WHERE kind = ? AND id = ?)",
            { bind in
                bind(kind.rawValue)
                bind(id)
            },
            { $0.bool(0) }) ?? false
    }

    /// Register `id` read as payload `P`: nil when there is none; a malformed field throws a
    /// `PayloadError` naming it.
    public func register<P: ChangePayload>(_: P.Type, _ id: String) throws -> P? {
        let key = EntityKey(kind: P.kind.rawValue, id: id)
        if let held = cache?.typed(P.self, key) { return held }
        guard let fields = try register(P.kind, id) else { return nil }
        let value = try P(fields: fields)
        cache?.store(key, typed: value)
        return value
    }

    /// All registers of a kind, by id.
    public func registers(_ kind: EntityKind) throws -> [(id: String, fields: Fields)] {
        if let held = cache?.list(kind.rawValue) { return held }
        var found: [(id: String, fields: Fields)] = []
        try db.eachRow("SELECT id, fields FROM registers WHERE kind = ? ORDER BY id", { $0(kind.rawValue) }) { row in
            found.append((row.text(0), try JSONParser.fields(row.text(1))))
        }
        cache?.store(list: found, of: kind.rawValue)
        return found
    }

    func registerVersion(kind: EntityKind, id: String) throws -> VersionVector {
        guard let text = try registerColumn(.vv, kind, id) else { return VersionVector() }
        return try JSONParser.versionVector(text)
    }

    public func stockLevel(sku: String, warehouse: String) throws -> StockLevelView {
        let (onHand, reserved) =
            try db.firstRow(
                "SELECT on_hand, reserved FROM stock_levels WHERE sku = ? AND warehouse = ?",
                { bind in
                    bind(sku)
                    bind(warehouse)
                },
                { ($0.int64(0), $0.int64(1)) }) ?? (0, 0)
        return StockLevelView(
            sku: sku, warehouse: warehouse, on_hand: onHand, reserved: reserved, available: onHand - reserved)
    }

    public func stockLevels(sku: String? = nil) throws -> [StockLevelView] {
        let rows =
            try sku.map {
                try Row.fetchAll(
                    db.statement("SELECT * FROM stock_levels WHERE sku = ? ORDER BY warehouse"),
                    arguments: [$0])
            } ?? Row.fetchAll(db.statement("SELECT * FROM stock_levels ORDER BY sku, warehouse"))
        return rows.map {
            StockLevelView(
                sku: $0["sku"], warehouse: $0["warehouse"], on_hand: $0["on_hand"], reserved: $0["reserved"],
                available: ($0["on_hand"] as Int64) - ($0["reserved"] as Int64))
        }
    }

    public func stockHistory(sku: String) throws -> [StockMoveView] {
        try Row.fetchAll(
            db.statement(
                StockMoveKeying.byKey(
                    "m.id, m.sku, m.warehouse, m.reason, m.qty, m.ref, m.origin, m.hlc, m.seq", warehouse: false,
                    orderBy: "8, 7, 9")
            ),
            arguments: [sku]
        ).map {
            StockMoveView(
                id: $0["id"], sku: $0["sku"], warehouse: $0["warehouse"], reason: $0["reason"], qty: $0["qty"],
                ref: $0["ref"], origin: $0["origin"], hlc: $0["hlc"])
        }
    }

    public func order(_ id: String) throws -> OrderView? {
        try db.firstRow(
            """
            SELECT id, store, member, channel, status, subtotal_cents, discount_cents, total_cents, paid_cents,
                refunded_cents, pay_method, coupon, warehouse, carrier, tracking, created_at, created_hlc, close_days,
                EXISTS(SELECT 1 FROM refunds WHERE order_id = ?1)
            FROM orders WHERE id = ?1
            """,
            { $0(id) }
        ) {
            var view = OrderView(
                id: $0.text(0), store: $0.optionalText(1), member: $0.optionalText(2), channel: $0.optionalText(3),
                status: $0.text(4), subtotal_cents: $0.int64(5), discount_cents: $0.int64(6), total_cents: $0.int64(7),
                paid_cents: $0.int64(8), refunded_cents: $0.int64(9), pay_method: $0.optionalText(10),
                coupon: $0.optionalText(11), warehouse: $0.optionalText(12), carrier: $0.optionalText(13),
                tracking: $0.optionalText(14), created_at: $0.optionalInt64(15), lines: [], payments: [], refunds: [])
            if let days = $0.optionalInt64(17) {
                view.closes_at = OrderClosing.closesAtMillis(created: HLC(rawValue: $0.int64(16)), days: days)
            }
            return (view, $0.bool(18))
        }.map { head, refunded in
            // A sale's receipt reads its order back: most orders have no refund, and then the
            // three refund tables are not read.
            var view = head
            view.lines = try orderLines(id, refunded: refunded)
            view.payments = try orderPayments(id)
            view.refunds = refunded ? try orderRefunds(id) : []
            return view
        }
    }

    /// Order ids, newest first, optionally filtered by status.
    /// Filters for order queries; nil means any.
    public struct OrderFilter: Sendable {
        public var status: OrderStatus?
        public var member: String?
        public var store: String?
        public var sku: String?
        /// Creation time window in ms since the epoch, [from, to).
        public var from: Int64?
        public var to: Int64?
        public init(
            status: OrderStatus? = nil, member: String? = nil, store: String? = nil, sku: String? = nil,
            from: Int64? = nil,
            to: Int64? = nil
        ) {
            self.status = status
            self.member = member
            self.store = store
            self.sku = sku
            self.from = from
            self.to = to
        }
    }

    /// Order ids matching `filter`, newest first, paged.
    public func orderIDs(matching filter: OrderFilter, limit: Int, offset: Int) throws -> [String] {
        var clauses: [String] = []
        var args: [any SQLValue] = []
        if let v = filter.status { clauses.append("status = ?"); args.append(v.rawValue) }
        if let v = filter.member { clauses.append("member = ?"); args.append(v) }
        if let v = filter.store { clauses.append("store = ?"); args.append(v) }
        if let v = filter.from { clauses.append("created_at >= ?"); args.append(v) }
        if let v = filter.to { clauses.append("created_at < ?"); args.append(v) }
        if let v = filter.sku {
            clauses.append("id IN (SELECT order_id FROM order_lines WHERE sku = ?)"); args.append(v)
        }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        args.append(limit)
        args.append(offset)
        return try String.fetchAll(
            db, sql: "SELECT id FROM orders\(whereClause) ORDER BY created_hlc DESC, id LIMIT ? OFFSET ?",
            arguments: StatementArguments(args))
    }

    public func orderIDs(status: String? = nil, limit: Int = 100, offset: Int = 0) throws -> [String] {
        if let status {
            return try String.fetchAll(
                db.statement(
                    "SELECT id FROM orders WHERE status = ? ORDER BY created_hlc DESC, id LIMIT ? OFFSET ?"),
                arguments: [status, limit, offset])
        }
        return try String.fetchAll(
            db.statement("SELECT id FROM orders ORDER BY created_hlc DESC, id LIMIT ? OFFSET ?"),
            arguments: [limit, offset])
    }

    public func balance(member: String, account: String) throws -> Int64 {
        try Int64.fetchOne(
            db.statement("SELECT balance FROM member_balances WHERE member = ? AND account = ?"),
            arguments: [member, account]) ?? 0
    }

    /// Whether someone already holds a claim on `key` (e.g. `coupon:SAVE10`).
    /// Claims given back (held by an order that ended cancelled or expired) do not count.
    public func claimCount(_ key: String) throws -> Int {
        try Int.fetchOne(
            db.statement("SELECT COUNT(*) FROM claims WHERE key = ? AND released = 0"), arguments: [key])
            ?? 0
    }

    /// Conflict records with their status from the `conflict_note` register.
    public func conflicts(status: String? = nil) throws -> [ConflictView] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.*, r.fields AS note_fields FROM conflicts c
                LEFT JOIN registers r ON r.kind = 'conflict_note' AND r.id = c.id
                ORDER BY c.created_hlc, c.id
                """)
        return try rows.compactMap { row in
            var state = "open"
            var note: String?
            if let text: String = row["note_fields"] {
                let f = try ConflictNoteRegister(fields: JSONParser.fields(text))
                state = (f.status ?? .open).rawValue
                note = f.note
            }
            if let status, status != state { return nil }
            return ConflictView(
                id: row["id"], kind: row["kind"], rule: row["rule"], subject: row["subject"], winner: row["winner"],
                loser: row["loser"], amount: row["amount"], unit: row["unit"], detail: row["detail"],
                scope: row["scope"], created_hlc: row["created_hlc"], status: state, note: note,
                facts: try (row["facts"] as String?).map {
                    try JSONDecoder().decode(ConflictFacts.self, from: Data($0.utf8))
                })
        }
    }

    public func conflictExists(_ id: String) throws -> Bool {
        try Int.fetchOne(db.statement("SELECT COUNT(*) FROM conflicts WHERE id = ?"), arguments: [id]) ?? 0
            > 0
    }

    /// The highest seq held per origin.
    public func versionVector() throws -> VersionVector {
        var vv = VersionVector()
        for row in try Row.fetchAll(db.statement("SELECT origin, seq FROM version_vector")) {
            if let id = NodeID(row["origin"] as String) { vv[id] = row["seq"] }
        }
        return vv
    }

    /// Number of this node's own changes after `seq`.
    /// The highest seq held from `origin`.
    public func heldSeq(of origin: NodeID) throws -> Int64 {
        try Int64.fetchOne(
            db.statement("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE origin = ?"),
            arguments: [origin.rawValue]) ?? 0
    }

    public func ownChangeCount(after seq: Int64) throws -> Int {
        try Int.fetchOne(
            db.statement("SELECT COUNT(*) FROM change_log WHERE origin = ? AND seq > ?"),
            arguments: [identity.node.rawValue, seq]) ?? 0
    }

    /// This node's own changes after `seq`, in seq order (what a push sends).
    public func ownChanges(after seq: Int64, limit: Int) throws -> [ChangeRecord] {
        try Array(
            Row.fetchCursor(db.statement(Self.ownRowsSQL), arguments: [identity.node.rawValue, seq, limit])
                .map(ChangeLogCodec.decode))
    }

    /// The log rows of ``ownChanges(after:limit:)`` (origin, seq after, limit), which
    /// ``ownChangesBody(after:limit:maxBytes:)`` writes straight into a push's body.
    static let ownRowsSQL =
        "SELECT \(ChangeLogCodec.columns) FROM change_log WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?"

    /// The changes of one origin after `seq`, in seq order (central returns a store its own
    /// acknowledged changes for `fenxiao recover`).
    /// At central, those it archived (``CentralArchive``) are read back from the archive.
    public func changes(of origin: NodeID, after seq: Int64, limit: Int) throws -> [ChangeRecord] {
        var tables = ["change_log"]
        if identity.role == .central, seq < (try LogCompaction.watermarks(db)[origin] ?? 0) {
            tables.append("change_archive")
        }
        var rows: [Row] = []
        for table in tables {
            rows += try Row.fetchAll(
                db.statement(
                    "SELECT \(ChangeLogCodec.columns) FROM \(table) WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?"
                ),
                arguments: [origin.rawValue, seq, limit])
        }
        if tables.count > 1 { rows.sort { ($0["seq"] as Int64) < ($1["seq"] as Int64) } }
        return try rows.prefix(limit).map(ChangeLogCodec.decode)
    }

    /// Changes in log order after `cursor` visible to `node` (its scope and global), excluding
    /// its own: what a pull returns. Returns the changes and the position of the last one.
    public func changesForPull(node: NodeID, after cursor: Int64, limit: Int) throws -> (
        changes: [ChangeRecord], last: Int64, more: Bool
    ) {
        let page = try pullRows(node: node, after: cursor, limit: limit)
        return (try page.rows.map(ChangeLogCodec.decode), page.last, page.more)
    }

    /// The log rows of a pull page (``changesForPull(node:after:limit:)``), in log order.
    func pullRows(node: NodeID, after cursor: Int64, limit: Int) throws -> (
        rows: ArraySlice<Row>, last: Int64, more: Bool
    ) {
        var rows: [Row] = []
        for scan in try pullScans(node: node, after: cursor) {
            switch scan {
            case .stream(let scope, let origin):
                rows += try Row.fetchAll(
                    db.statement(Self.pullStreamSQL), arguments: [scope, origin, cursor, limit + 1])
            case .archive:
                rows += try Row.fetchAll(
                    db.statement(Self.pullArchiveSQL), arguments: [cursor, node.rawValue, limit + 1])
            }
        }
        rows.sort { ($0[0] as Int64) < ($1[0] as Int64) }
        let more = rows.count > limit
        let page = rows.prefix(limit)
        let last: Int64 = page.last?["pos"] ?? cursor
        return (page, last, more)
    }

    /// ``pullRows(node:after:limit:)`` read through the C API: `row` gets each scan's rows
    /// (`pos`, then ``ChangeLogCodec/columns``), up to `limit` + 1 a scan, not in log order.
    func pullScan(node: NodeID, after cursor: Int64, limit: Int, _ row: (SQLColumns) throws -> Void) throws {
        let scanned: (SQLColumns) throws -> Bool = { columns in
            try row(columns)
            return true
        }
        for scan in try pullScans(node: node, after: cursor) {
            switch scan {
            case .stream(let scope, let origin):
                try db.scanRows(
                    Self.pullStreamSQL,
                    { bind in
                        bind(scope)
                        bind(origin)
                        bind(cursor)
                        bind(Int64(limit + 1))
                    }, until: scanned)
            case .archive:
                try db.scanRows(
                    Self.pullArchiveSQL,
                    { bind in
                        bind(cursor)
                        bind(node.rawValue)
                        bind(Int64(limit + 1))
                    }, until: scanned)
            }
        }
    }

    /// One index range scan a pull page merges by log position.
    private enum PullScan {
        /// A (scope, origin) stream of the log: `pullStreamSQL`.
        case stream(scope: String, origin: String)
        /// Central's archive, other stores' settled global changes: `pullArchiveSQL`.
        case archive
    }

    /// The scans of a pull page of `node` after `cursor`: global changes of every other origin,
    /// and the store's own scope as written by central (no other node may write it). Each scan
    /// reads at most limit + 1 rows, so a page costs O(limit × origins), never a scan of other
    /// stores' changes. A store far behind (a restore, `recover`, a full pull) also reads
    /// central's archive: the other stores' settled global changes it moved there
    /// (``CentralArchive``).
    private func pullScans(node: NodeID, after cursor: Int64) throws -> [PullScan] {
        var scans = try String.fetchAll(db.statement("SELECT origin FROM version_vector"))
            .filter { $0 != node.rawValue }.map { PullScan.stream(scope: "global", origin: $0) }
        scans.append(.stream(scope: Scope.node(node).description, origin: NodeID.central.rawValue))
        if identity.role == .central, cursor < (try CentralArchive.high(db)) { scans.append(.archive) }
        return scans
    }

    private static let pullStreamSQL = """
        SELECT pos, \(ChangeLogCodec.columns) FROM change_log INDEXED BY change_log_pull
        WHERE scope = ? AND origin = ? AND pos > ? ORDER BY pos LIMIT ?
        """
    private static let pullArchiveSQL = """
        SELECT pos, \(ChangeLogCodec.columns) FROM change_archive INDEXED BY change_archive_scope
        WHERE scope = 'global' AND pos > ? AND origin <> ? ORDER BY pos LIMIT ?
        """

    public func changeCount() throws -> Int {
        try Int.fetchOne(db.statement("SELECT COUNT(*) FROM change_log")) ?? 0
    }

    /// How many stock movements this node holds.
    public func stockMoveCount() throws -> Int {
        try Int.fetchOne(db.statement("SELECT COUNT(*) FROM stock_moves")) ?? 0
    }

    /// How many orders this node holds.
    public func orderCount() throws -> Int {
        try Int.fetchOne(db.statement("SELECT COUNT(*) FROM orders")) ?? 0
    }

    /// Raw SQL escape hatch for reports and checks: rows as dictionaries of column → value.
    /// The statement is prepared once per connection and reused (pass values as arguments,
    /// never spliced into `sql`).
    public func rows(_ sql: String, _ arguments: [any SQLValue] = []) throws -> [Row] {
        try Row.fetchAll(db.statement(sql), arguments: StatementArguments(arguments))
    }
}

/// A value that can be bound to an SQL argument.
public typealias SQLValue = DatabaseValueConvertible & Sendable

extension StoreReader {
    /// Every change held, in this node's log order (after `cursor`), for tests and recovery.
    public func changes(after cursor: Int64 = 0, limit: Int = 1_000_000) throws -> [ChangeRecord] {
        try Row.fetchAll(
            db.statement(
                "SELECT \(ChangeLogCodec.columns) FROM change_log WHERE pos > ? ORDER BY pos LIMIT ?"),
            arguments: [cursor, limit]
        ).map(ChangeLogCodec.decode)
    }
}
