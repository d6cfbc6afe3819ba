import Foundation
import Replication

/// What one append did.
public struct AppendResult: Sendable, Equatable {
    /// The highest seq of the origin held after the append.
    public var acked: Int64
    public var applied: Int
    public var duplicates: Int

    public init(acked: Int64, applied: Int, duplicates: Int) {
        self.acked = acked
        self.applied = applied
        self.duplicates = duplicates
    }
}

/// The change log central's servers share on PostgreSQL (docs/POSTGRES.md): the record every
/// server appends pushes to and serves pulls from, with the same guarantees as the SQLite
/// log — each origin's changes held without gaps, a reused seq refused, a duplicate
/// recognized — and positions that become visible in commit order, so that two servers
/// appending at once never make a pulling store skip a change.
public struct PGChangeLog {
    let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    static let columns = "origin, seq, hlc, kind, entity, op, fields, ctx, scope"

    /// Appends `changes` pushed by `origin` in one transaction (all or nothing). Refused: a
    /// change of another origin, a gap in the origin's seqs, a seq held with other content.
    public func append(from origin: NodeID, _ changes: [ChangeRecord]) throws -> AppendResult {
        try connection.transaction {
            // The head row's lock orders appends: positions are handed out in commit order.
            guard let head = try connection.query("SELECT pos FROM log_head WHERE id = 1 FOR UPDATE").first?.first,
                var pos = head.flatMap({ Int64($0) })
            else { throw PGError(message: "the change log has no head row; run the migrations") }
            var held =
                try connection.query("SELECT seq FROM version_vector WHERE origin = $1", [origin.rawValue])
                .first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
            var result = AppendResult(acked: held, applied: 0, duplicates: 0)
            for c in changes.sorted(by: { $0.seq < $1.seq }) {
                guard c.origin == origin else {
                    throw PGError(
                        message: "change \(c.stamp.changeID) is not \(origin)'s: a store pushes only its own changes")
                }
                if c.seq <= held {
                    try checkSame(c)
                    result.duplicates += 1
                    continue
                }
                guard c.seq == held + 1 else {
                    throw PGError(
                        message:
                            "change \(c.stamp.changeID) leaves a gap: central holds \(origin)'s changes up to seq \(held); push from seq \(held + 1)"
                    )
                }
                pos += 1
                held = c.seq
                try connection.query(
                    "INSERT INTO change_log (pos, \(Self.columns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    [
                        String(pos), c.origin.rawValue, String(c.seq), String(c.hlc.rawValue), c.kind.rawValue,
                        c.entity,
                        c.op.rawValue, c.fields.canonicalText, c.context.canonicalJSON, c.scope.description,
                    ])
                result.applied += 1
            }
            if result.applied > 0 {
                try connection.query("UPDATE log_head SET pos = $1 WHERE id = 1", [String(pos)])
                try connection.query(
                    """
                    INSERT INTO version_vector (origin, seq) VALUES ($1, $2)
                    ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq
                    """, [origin.rawValue, String(held)])
            }
            result.acked = held
            return result
        }
    }

    /// A held seq arriving again must be the same change, or the store reused its seqs.
    func checkSame(_ c: ChangeRecord) throws {
        let row = try connection.query(
            "SELECT \(Self.columns) FROM change_log WHERE origin = $1 AND seq = $2", [c.origin.rawValue, String(c.seq)])
        guard let row = row.first, try Self.decode(row) == c else {
            throw PGError(
                message:
                    "change \(c.stamp.changeID) differs from the change already held under that id: node \(c.origin) reused sequence numbers; run `fenxiao recover` on that store",
                sqlState: nil)
        }
    }

    /// What a pull gives `node` after `cursor`: global changes of other origins and its own
    /// scope as central wrote it, in log order; the position of the last one and whether more follow.
    public func pull(for node: NodeID, after cursor: Int64, limit: Int) throws -> (
        changes: [ChangeRecord], cursor: Int64, more: Bool
    ) {
        let rows = try connection.query(
            """
            SELECT pos, \(Self.columns) FROM change_log
            WHERE pos > $1 AND ((scope = 'global' AND origin <> $2) OR (scope = $3 AND origin = 'central'))
            ORDER BY pos LIMIT $4
            """, [String(cursor), node.rawValue, Scope.node(node).description, String(limit + 1)])
        let page = rows.prefix(limit)
        let last = page.last.flatMap { $0.first.flatMap { $0.flatMap { Int64($0) } } } ?? cursor
        return (try page.map { try Self.decode(Array($0.dropFirst())) }, last, rows.count > limit)
    }

    /// The highest seq held per origin.
    public func versionVector() throws -> [NodeID: Int64] {
        var out: [NodeID: Int64] = [:]
        for row in try connection.query("SELECT origin, seq FROM version_vector") {
            if let o = row[0].flatMap(NodeID.init), let s = row[1].flatMap({ Int64($0) }) { out[o] = s }
        }
        return out
    }

    static func decode(_ row: [String?]) throws -> ChangeRecord {
        guard row.count == 9, let origin = row[0].flatMap(NodeID.init), let seq = row[1].flatMap({ Int64($0) }),
            let hlc = row[2].flatMap({ Int64($0) }), let kind = row[3].flatMap({ EntityKind($0) }),
            let entity = row[4], let op = row[5].flatMap(ChangeOp.init(rawValue:)), let fields = row[6],
            let ctx = row[7], let scope = row[8].flatMap(Scope.init)
        else { throw PGError(message: "a change_log row is unreadable") }
        return ChangeRecord(
            origin: origin, seq: seq, hlc: HLC(rawValue: hlc), kind: kind, entity: entity, op: op,
            fields: try JSONParser.fields(fields), context: try JSONParser.versionVector(ctx), scope: scope)
    }
}
