import Foundation
import Replication

/// A `change_log` row of the shared log on PostgreSQL (docs/POSTGRES.md): its columns, in the
/// order ``PGSharedLog`` writes and reads them, and the change a row holds.
enum PGChangeRow {
    static let columns = "origin, seq, hlc, kind, entity, op, fields, ctx, scope"

    /// The change in `row` (the columns above, as text).
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
