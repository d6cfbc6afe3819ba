import Commerce
import GRDB
import Replication

/// Central keeps, for the snapshots it makes, every member's ledger folded as a store that kept
/// everything would hold it (``MemberLedgerFolding``) — in `snapshot_member_bases`, beside its
/// own entries, which it never removes. Each snapshot first advances those bases to its cutoff
/// from the entries that arrived since the last one (and the members whose entries could not
/// fold yet), then copies the bases and the entries after them: a new store's snapshot costs
/// the members and the recent entries, not every entry the chain ever wrote.
enum SnapshotLedgerFolds {
    /// `node_meta`: the cutoff the bases were last advanced to, and the log position read up to.
    static let cutoffKey = "snapshot_folds_hlc"
    static let positionKey = "snapshot_folds_pos"

    /// Advances every base to `cutoff` (never back: a lower cutoff leaves them as they are,
    /// and ``usable(_:cutoff:)`` then says so).
    static func advance(_ db: Database, cutoff: HLC, schedule: PointsExpiry.Schedule) throws {
        let last = HLC(rawValue: Int64(try Meta.get(db, cutoffKey) ?? "0") ?? 0)
        guard cutoff > last else { return }
        let from = Int64(try Meta.get(db, positionKey) ?? "0") ?? 0
        let to = try db.firstRow("SELECT COALESCE(MAX(pos), 0) FROM change_log", { _ in }) { $0.int64(0) } ?? 0
        var keys: [(member: String, account: String)] = []
        try db.eachRow(
            """
            SELECT DISTINCT json_extract(fields, '$.member'), json_extract(fields, '$.account') FROM change_log
            WHERE pos > ? AND pos <= ? AND kind = 'member_ledger' AND op <> 'void'
            UNION SELECT member, account FROM snapshot_member_bases WHERE upto < ?
            """,
            { bind in
                bind(from)
                bind(to)
                bind(last.wallMillis)
            }
        ) { keys.append((member: $0.text(0), account: $0.text(1))) }
        for key in keys {
            let old =
                try MemberLedgerFolding.base(
                    db, member: key.member, account: key.account, table: "snapshot_member_bases")
                ?? MemberLedgerFolding.Base()
            var digest = try storedDigest(db, key)
            var base = old
            if let plan = try MemberLedgerFolding.plan(
                db, member: key.member, account: key.account, cutoff: cutoff, schedule: schedule, old: old,
                storeSide: false)
            {
                try db.withTemporaryIDs(plan.folded.map(\.id)) { ids in
                    for (_, d) in try StateHash.digests(
                        db, table: "member_ledger", where: "id IN (\(ids))", arguments: [])
                    {
                        digest.add(d)
                    }
                }
                base = plan.base
            }
            try MemberLedgerFolding.store(
                db, member: key.member, account: key.account, base, table: "snapshot_member_bases", digest: digest)
        }
        try Meta.set(db, cutoffKey, String(cutoff.rawValue))
        try Meta.set(db, positionKey, String(to))
    }

    /// Whether the bases stand exactly at `cutoff` (they never move back: after a lower cutoff a
    /// snapshot copies the entries whole instead).
    static func usable(_ db: Database, schema: String, cutoff: HLC) throws -> Bool {
        guard cutoff > .zero else { return false }
        let stored = try db.firstRow("SELECT value FROM \(schema).node_meta WHERE key = ?", { $0(cutoffKey) }) {
            $0.text(0)
        }
        return stored == String(cutoff.rawValue)
    }

    static func storedDigest(_ db: Database, _ key: (member: String, account: String)) throws -> RowDigest {
        try db.firstRow(
            "SELECT d0, d1, d2, d3, rows FROM snapshot_member_bases WHERE member = ? AND account = ?",
            { bind in
                bind(key.member)
                bind(key.account)
            }
        ) { row in
            RowDigest(lanes: (0..<4).map { UInt64(bitPattern: row.int64(CInt($0))) }, rows: row.int64(4))
        } ?? RowDigest()
    }

    /// Copies the bases of `scopes` and the entries after them from `source` into `main`, and
    /// the folded entries' digests into `main.hash_folds`; returns the rows copied.
    static func copy(_ db: Database, from source: String, scopes: [Scope]) throws -> Int {
        let marks = scopes.map { _ in "?" }.joined(separator: ", ")
        let args = StatementArguments(scopes.map(\.description))
        let columns = try ScopeSnapshot.columns(db, "member_ledger")
        try db.execute(
            sql: """
                INSERT INTO main.member_ledger(\(columns)) SELECT \(columns) FROM \(source).member_ledger m
                WHERE m.scope IN (\(marks)) AND NOT EXISTS (
                    SELECT 1 FROM \(source).snapshot_member_bases b
                    WHERE b.member = m.member AND b.account = m.account AND m.hlc < b.upto * 65536)
                """, arguments: args)
        var rows = db.changesCount
        let baseColumns = try ScopeSnapshot.columns(db, "member_bases")
        try db.execute(
            sql: """
                INSERT INTO main.member_bases(\(baseColumns)) SELECT \(baseColumns) FROM \(source).snapshot_member_bases
                WHERE rows > 0 AND scope IN (\(marks))
                """, arguments: args)
        rows += db.changesCount
        var byScope: [String: RowDigest] = [:]
        try db.eachRow(
            "SELECT scope, d0, d1, d2, d3, rows FROM \(source).snapshot_member_bases WHERE rows > 0 AND scope IN (\(marks))",
            { bind in for scope in scopes { bind(scope.description) } }
        ) { row in
            byScope[row.text(0), default: RowDigest()].add(
                RowDigest(lanes: (1...4).map { UInt64(bitPattern: row.int64(CInt($0))) }, rows: row.int64(5)))
        }
        try StateHash.addFolded(db, table: "member_ledger", byScope)
        return rows
    }
}

extension NodeStore {
    /// Central's housekeeping: advances the folded member ledgers snapshots carry to the
    /// frontier over every store (``SnapshotLedgerFolds``), so a snapshot has only the last
    /// minutes to fold. Does nothing while an enrolled store has never synced.
    public func advanceSnapshotFolds() throws {
        guard identity.role == .central else { return }
        let frontier = try read { r in try r.stabilityFrontier(wallMillis: wallClock()) }
        try advanceSnapshotFolds(cutoff: HLC(rawValue: frontier.hlc))
    }

    /// Central: advances the folded member ledgers snapshots carry to `cutoff`
    /// (``SnapshotLedgerFolds``), in one write transaction.
    func advanceSnapshotFolds(cutoff: HLC) throws {
        guard identity.role == .central, cutoff > .zero else { return }
        _ = try writeLocal { db in
            try SnapshotLedgerFolds.advance(
                db, cutoff: cutoff, schedule: try StoreReader(db: db, identity: identity).pointsSchedule())
            return 0
        }
    }
}
