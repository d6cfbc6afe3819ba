import Foundation
import GRDB
import Replication

extension StoreReader {
    /// A push's body (`SyncWire.PushRequest`) of this node's own changes after `seq`, in seq
    /// order, written straight from the log's rows (``ChangeLogCodec/write(_:from:into:)``): nothing
    /// is parsed and re-serialized, and the bytes are those of
    /// `PushRequest.encode(ownChanges(after:limit:))` (`PushBodyTests`). At most `limit`
    /// changes; no change is added once the body holds `maxBytes` (it carries at least one).
    public func ownChangesBody(after seq: Int64, limit: Int, maxBytes: Int = .max) throws -> (
        body: [UInt8], count: Int
    ) {
        var body = SyncWire.PushRequest.Body(capacity: min(limit, 5000))
        try db.scanRows(
            Self.ownRowsSQL,
            { bind in
                bind(identity.node.rawValue)
                bind(seq)
                bind(Int64(limit))
            },
            until: { row in
                // A row refused as corrupt throws before writing: the body is not used then.
                try body.append { try ChangeLogCodec.write(row, into: &$0) }
                return body.byteCount < maxBytes
            })
        return (body.finish(), body.count)
    }

    /// A pull page for `node` (``changesForPull(node:after:limit:)``) as the body of the pull's
    /// answer, written straight from the log's rows like a push's: the bytes of
    /// `PullResponse.encode` of the decoded page, with the cursor and `more` it returns. Each
    /// stream's rows are written into one buffer as they are read and put in log order after.
    public func pullBody(node: NodeID, after cursor: Int64, limit: Int) throws -> (
        body: SyncWire.PushRequest.Body, last: Int64, more: Bool
    ) {
        var written: [UInt8] = []
        var rows: [(pos: Int64, start: Int, end: Int)] = []
        try pullScan(node: node, after: cursor, limit: limit) { row in
            let start = written.count
            try ChangeLogCodec.write(row, from: 1, into: &written)
            rows.append((row.int64(0), start, written.count))
        }
        rows.sort { $0.pos < $1.pos }
        let page = rows.prefix(limit)
        var body = SyncWire.PushRequest.Body(capacity: page.count)
        for row in page { body.append { $0.append(contentsOf: written[row.start..<row.end]) } }
        return (body, page.last?.pos ?? cursor, rows.count > limit)
    }
}
