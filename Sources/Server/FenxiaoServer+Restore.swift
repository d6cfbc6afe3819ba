import Hummingbird
import NIOCore
import Node
import Replication

extension FenxiaoServer {
    /// `GET /v1/sync/hello` and `POST /v1/sync/return?own_seq=N` (sync/PROTOCOL.md §8.6).
    func addRestoreRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/sync/hello") { request, _ in
            try await handle {
                try checkVersions(request)
                let origin = try node.authenticate(token: bearer(request))
                let params = request.uri.queryParameters
                var report: (acked: Int64, cursor: Int64, epoch: Int64)?
                if let a = params.get("acked"), let c = params.get("cursor"), let e = params.get("epoch") {
                    guard let acked = Int64(a), let cursor = Int64(c), let epoch = Int64(e), acked >= 0, cursor >= 0, epoch >= 1 else {
                        throw NodeError(.invalidInput, "acked, cursor and epoch must be whole numbers (acked, cursor ≥ 0; epoch ≥ 1)")
                    }
                    report = (acked, cursor, epoch)
                }
                return json(.ok, encodeJSON(try node.hello(for: origin, report: report)))
            }
        }
        router.post("/v1/sync/return") { request, _ in
            try await handle {
                try checkVersions(request)
                let origin = try node.authenticate(token: bearer(request))
                let ownText = request.uri.queryParameters.get("own_seq") ?? ""
                guard let ownSeq = Int64(ownText), ownSeq >= 0 else {
                    throw NodeError(.invalidInput, "own_seq '\(ownText)' must be the store's highest own seq (≥ 0)")
                }
                var request = request
                let body: ByteBuffer
                do {
                    body = try await request.collectBody(upTo: limits.maxBodyBytes)
                } catch {
                    throw NodeError(.tooLarge, "request body exceeds \(limits.maxBodyBytes) bytes; return smaller batches")
                }
                let changes: [ChangeRecord]
                do {
                    changes = try body.withUnsafeReadableBytes { try ChangeRecord.decodeBatch($0) }
                } catch {
                    throw NodeError(.invalidInput, "malformed return body: \(error); nothing applied")
                }
                return json(.ok, encodeJSON(try node.acceptReturn(from: origin, changes: changes, ownSeq: ownSeq)))
            }
        }
    }
}
