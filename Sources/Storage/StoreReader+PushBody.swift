import Foundation
import GRDB
import Replication

extension StoreReader {
    /// A push's body (`SyncWire.PushRequest`) of this node's own changes after `seq`, in seq
    /// order, written straight from the log's rows: the `fields` and `ctx` columns already hold
    /// the canonical JSON the wire carries, so nothing is parsed and re-serialized (the same
    /// bytes as `PushRequest.encode(ownChanges(after:limit:))`; `PushBodyTests`). A row whose
    /// kind, operation or scope does not read back is refused as corrupt, as
    /// ``ownChanges(after:limit:)`` refuses it.
    public func ownChangesBody(after seq: Int64, limit: Int) throws -> (body: [UInt8], count: Int) {
        let me = identity.node.rawValue
        var body = SyncWire.PushRequest.Body(capacity: limit)
        try db.eachRow(
            "SELECT seq, hlc, kind, entity, op, fields, ctx, scope FROM change_log WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?",
            {
                $0(me)
                $0(seq)
                $0(Int64(limit))
            }
        ) { row in
            let (kind, scope) = (row.text(2), row.text(7))
            guard EntityKind(kind) != nil, let op = ChangeOp(rawValue: row.text(4)), Scope(scope) != nil else {
                throw StorageError(.corrupt, "change_log row \(me)/\(row.int64(0)) is unreadable")
            }
            body.append { out in
                ChangeRecord.writeCanonicalJSON(
                    into: &out, context: { row.appendText(6, to: &$0) }, entity: row.text(3),
                    fields: { row.appendText(5, to: &$0) }, hlc: row.int64(1), kind: kind, op: op, origin: me,
                    scope: scope, seq: row.int64(0))
            }
        }
        return (body.finish(), body.count)
    }
}
