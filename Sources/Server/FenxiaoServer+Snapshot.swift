import Hummingbird
import NIOCore
import Node

extension FenxiaoServer {
    /// `GET /v1/sync/snapshot` (sync/PROTOCOL.md §8.9): the calling store's scopes as an
    /// SQLite file, for a new store to start from instead of pulling the whole history.
    func addSnapshotRoute(_ router: Router<BasicRequestContext>) {
        let node = self.node
        router.get("/v1/sync/snapshot") { request, context in
            let origin = try await authenticateStore(request)
            let ownText = request.uri.queryParameters.get("own") ?? "0"
            guard ownText == "0" || ownText == "1" else {
                throw NodeError(.invalidInput, "own '\(ownText)' must be 0 or 1 (1: a store that lost its file)")
            }
            let started = ContinuousClock.now
            let made = try await blocking { try node.sync.snapshot(for: origin, withOwnChanges: ownText == "1") }
            context.logger.info(
                "snapshot",
                metadata: [
                    "store": "\(origin.rawValue)", "bytes": "\(made.bytes.count)", "rows": "\(made.manifest.rows)",
                    "changes": "\(made.manifest.changes)", "took": "\(ContinuousClock.now - started)",
                ])
            return Response(
                status: .ok,
                headers: [.contentType: "application/vnd.sqlite3", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: made.bytes)))
        }
    }
}
