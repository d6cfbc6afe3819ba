import Hummingbird
import NIOCore
import Node
import Replication

extension FenxiaoServer {
    /// `GET /v1/sync/hello` and `POST /v1/sync/return?own_seq=N` (sync/PROTOCOL.md §8.6).
    func addRestoreRoutes(_ router: Router<BasicRequestContext>) {
        let node = self.node
        router.get("/v1/sync/hello") { request, _ in
            let origin = try await authenticateStore(request)
            let params = request.uri.queryParameters
            var report: (acked: Int64, cursor: Int64, epoch: Int64)?
            if let a = params.get("acked"), let c = params.get("cursor"), let e = params.get("epoch") {
                guard let acked = Int64(a), let cursor = Int64(c), let epoch = Int64(e), acked >= 0, cursor >= 0,
                    epoch >= 1
                else {
                    throw NodeError(
                        .invalidInput, "acked, cursor and epoch must be whole numbers (acked, cursor ≥ 0; epoch ≥ 1)")
                }
                report = (acked, cursor, epoch)
            }
            let reported = report
            return json(.ok, encodeJSON(try await blocking { try node.sync.hello(for: origin, report: reported) }))
        }
        router.post("/v1/sync/return") { request, _ in
            let origin = try await authenticateStore(request)
            let ownText = request.uri.queryParameters.get("own_seq") ?? ""
            guard let ownSeq = Int64(ownText), ownSeq >= 0 else {
                throw NodeError(.invalidInput, "own_seq '\(ownText)' must be the store's highest own seq (≥ 0)")
            }
            let changes = try await collectChanges(request, what: "return")
            return json(
                .ok,
                encodeJSON(
                    try await blocking { try node.sync.acceptReturn(from: origin, changes: changes, ownSeq: ownSeq) }))
        }
    }
}
