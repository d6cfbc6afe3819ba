import Foundation
import Hummingbird
import Logging
import SyncClient

/// An HTTP proxy for tests between store clients and central on 127.0.0.1 that injects
/// faults, driven by a seed so every failure can be replayed: dropped requests (the client
/// sees a 503), delays, duplicated requests (forwarded twice), lost responses (forwarded, but
/// the client gets a 502), truncated response bodies, 500s, and hangs past the client's
/// timeout. `enabled = false` makes it a plain proxy.
public final class FaultProxy: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`.
    public enum Fault: String, CaseIterable, Sendable {
        case none, drop, delay, duplicate, loseResponse, truncate, error500, hang
    }

    var upstreamURL: String
    let lock = NSLock()
    var rng: SeededRandom
    var enabledFlag = true
    public private(set) var counts: [Fault: Int] = [:]
    /// Percent of requests that get a fault.
    public let faultPercent: Int

    public init(upstream: String, seed: UInt64, faultPercent: Int = 30) {
        self.upstreamURL = upstream
        self.rng = SeededRandom(seed: seed)
        self.faultPercent = faultPercent
    }

    /// Where requests go (changes when central restarts on another port).
    public var upstream: String {
        get { lock.withLock { upstreamURL } }
        set { lock.withLock { upstreamURL = newValue } }
    }

    public var enabled: Bool {
        get { lock.withLock { enabledFlag } }
        set { lock.withLock { enabledFlag = newValue } }
    }

    func nextFault() -> Fault {
        lock.withLock {
            guard enabledFlag, rng.chance(faultPercent) else {
                counts[.none, default: 0] += 1
                return .none
            }
            let f = Fault.allCases[1 + rng.below(Fault.allCases.count - 1)]
            counts[f, default: 0] += 1
            return f
        }
    }

    func forward(method: String, uri: String, headers: [String: String], body: [UInt8]?) throws -> HTTPResult {
        let client = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 20_000)
        return try client.request(method: method, url: upstream + uri, headers: headers, body: body)
    }

    /// Serves until the task is cancelled; `onRunning` receives the bound port.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router()
        router.get("**") { request, _ in try await self.handle(request) }
        router.post("**") { request, _ in try await self.handle(request) }
        var logger = Logger(label: "fault-proxy")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        let bytes = body.readableBytes > 0 ? Array(buffer: body) : nil
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.rawName] = field.value }
        headers["Host"] = nil
        headers["Content-Length"] = nil
        let method = request.method.rawValue
        let uri = request.uri.description
        let fault = nextFault()
        switch fault {
        case .drop:
            return Response(status: .serviceUnavailable)
        case .error500:
            return Response(status: .internalServerError)
        case .hang:
            try await Task.sleep(nanoseconds: 2_500_000_000)  // beyond the simulation clients' 2 s timeout
            return Response(status: .gatewayTimeout)
        case .delay:
            try await Task.sleep(nanoseconds: 300_000_000)
        default:
            break
        }
        let sent = headers
        let result = try await offload { try self.forward(method: method, uri: uri, headers: sent, body: bytes) }
        switch fault {
        case .duplicate:
            _ = try? await offload { try self.forward(method: method, uri: uri, headers: sent, body: bytes) }
        case .loseResponse:
            return Response(status: .badGateway)
        case .truncate:
            let cut = Array(result.body.prefix(result.body.count / 2))
            return Response(
                status: .init(code: result.status), headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: cut)))
        default:
            break
        }
        return Response(
            status: .init(code: result.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.body)))
    }
}
