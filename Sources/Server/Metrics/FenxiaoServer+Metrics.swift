import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import Node
import ServiceLifecycle

extension FenxiaoServer {
    /// `GET /metrics` on central's own port: only with a metrics token (`--metrics-token-file`),
    /// which Prometheus sends as a bearer token; without one the route does not exist there.
    func addMetricsRoute(to router: Router<BasicRequestContext>) {
        guard let metrics, metrics.token != nil else { return }
        router.get("/metrics") { request, _ in try await scrape(request, metrics) }
    }

    /// The router of the separate metrics listener (`--metrics-port`, bound to 127.0.0.1 unless
    /// `--metrics-host` says otherwise): `/metrics` only, with the token too when one is set.
    public func metricsRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: NodeErrorMiddleware())
        if let metrics { router.get("/metrics") { request, _ in try await scrape(request, metrics) } }
        return router
    }

    /// The separate metrics listener as a service beside the main server (same service group).
    public func metricsListener(host: String, port: Int, logger: Logger) -> some Service {
        Application(
            router: metricsRouter(), configuration: .init(address: .hostname(host, port: port), serverName: "fenxiao"),
            logger: logger)
    }

    func scrape(_ request: Request, _ metrics: ServerMetrics) async throws -> Response {
        if let expected = metrics.token {
            guard let given = bearer(request), Self.sameSecret(given, expected) else {
                throw NodeError(.unauthorized, "metrics need the metrics token as a bearer token")
            }
        }
        let node = self.node
        let text = try await blocking { try metrics.scrape(node, now: node.store.wallNow()) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Compares secrets in time independent of where they differ (SHA-256 first: equal lengths).
    static func sameSecret(_ a: String, _ b: String) -> Bool {
        let x = Array(SHA256.hash(data: Data(a.utf8))), y = Array(SHA256.hash(data: Data(b.utf8)))
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
