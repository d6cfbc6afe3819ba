import Foundation
import GRDB
import Replication

extension StoreReader {
    /// A push's body (`SyncWire.PushRequest`) of this node's own changes after `seq`, in seq
    /// order, written straight from the log's rows (``ChangeLogCodec/append(_:to:)``): nothing
    /// is parsed and re-serialized, and the bytes are those of
    /// `PushRequest.encode(ownChanges(after:limit:))` (`PushBodyTests`). At most `limit`
    /// changes; no change is added once the body holds `maxBytes` (it carries at least one).
    public func ownChangesBody(after seq: Int64, limit: Int, maxBytes: Int = .max) throws -> (
        body: [UInt8], count: Int
    ) {
        var body = SyncWire.PushRequest.Body(capacity: min(limit, 5000))
        try db.scanRows(
            "SELECT \(ChangeLogCodec.columns) FROM change_log WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?",
            { bind in
                bind(identity.node.rawValue)
                bind(seq)
                bind(Int64(limit))
            },
            until: { row in
                try ChangeLogCodec.append(row, to: &body)
                return body.byteCount < maxBytes
            })
        return (body.finish(), body.count)
    }

    /// A pull page for `node` (``changesForPull(node:after:limit:)``) as the body of the pull's
    /// answer, written straight from the log's rows like a push's: the bytes of
    /// `PullResponse.encode` of the decoded page, with the cursor and `more` it returns.
    public func pullBody(node: NodeID, after cursor: Int64, limit: Int) throws -> (
        body: SyncWire.PushRequest.Body, last: Int64, more: Bool
    ) {
        let page = try pullRows(node: node, after: cursor, limit: limit)
        var body = SyncWire.PushRequest.Body(capacity: page.rows.count)
        for row in page.rows { try ChangeLogCodec.append(row, to: &body) }
        return (body, page.last, page.more)
    }
}
