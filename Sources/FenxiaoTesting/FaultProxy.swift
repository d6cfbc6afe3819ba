import Foundation
import Hummingbird
import Logging
import NIOCore
import Node
import SyncClient

/// An HTTP proxy for tests between store clients and central on 127.0.0.1 that injects
/// faults, driven by a seed so every failure can be replayed: dropped requests (the client
/// sees a 503), delays, duplicated requests (forwarded twice), reordered requests (a copy
/// delivered again after the next request), lost responses (forwarded, but
/// the client gets a 502), truncated response bodies, 500s, hangs past the client's timeout,
/// connections torn down in the middle of the response body (forwarded first, so central may
/// have applied the request), and connections reset (TCP RST) before the request is
/// forwarded. `enabled = false` makes it a plain proxy.
public final class FaultProxy: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`.
    public enum Fault: String, CaseIterable, Sendable {
        case none, drop, delay, duplicate, loseResponse, truncate, error500, hang
        /// Forwarded; the client gets the status line, the headers (with the full
        /// Content-Length) and the first half of the body, then the connection is closed.
        case reset
        /// Not forwarded; the connection is reset (SO_LINGER 0, so the client sees an RST)
        /// without any answer.
        case resetRequest
        /// Forwarded and answered; a copy is held back and delivered to central again after
        /// the next request, out of order (a stale push or pull arriving late).
        case reorder
    }

    /// A request held back by `reorder`, delivered after the next one.
    struct HeldRequest: Sendable {
        var method: String
        var uri: String
        var headers: [String: String]
        var body: [UInt8]?
    }
    var heldBack: HeldRequest?

    var upstreamURL: String
    let lock = NSLock()
    var rng: SeededRandom
    var enabledFlag = true
    let kindList: [Fault]
    var tally: [Fault: Int] = [:]
    /// Percent of requests that get a fault.
    public let faultPercent: Int
    /// Only requests whose path starts with this get faults (nil: every request).
    let pathPrefix: String?

    /// - Parameter kinds: the faults drawn from (every kind unless narrowed, e.g. `[.reset]`
    ///   with `faultPercent: 100` for a proxy that always resets).
    /// - Parameter pathPrefix: only requests to paths starting with it get faults
    ///   (e.g. `/v1/sync/hello`); the others are forwarded untouched.
    public init(
        upstream: String, seed: UInt64, faultPercent: Int = 30, kinds: [Fault] = Array(Fault.allCases.dropFirst()),
        pathPrefix: String? = nil
    ) {
        self.upstreamURL = upstream
        self.rng = SeededRandom(seed: seed)
        self.faultPercent = faultPercent
        self.kindList = kinds.filter { $0 != .none }
        self.pathPrefix = pathPrefix
    }

    /// How many requests got each fault so far (`.none`: forwarded untouched).
    public var counts: [Fault: Int] { lock.withLock { tally } }

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
            guard enabledFlag, !kindList.isEmpty, rng.chance(faultPercent) else {
                tally[.none, default: 0] += 1
                return .none
            }
            let f = kindList[rng.below(kindList.count)]
            tally[f, default: 0] += 1
            return f
        }
    }

    func forward(method: String, uri: String, headers: [String: String], body: [UInt8]?) throws -> HTTPResult {
        let client = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 20_000)
        return try client.request(method: method, url: upstream + uri, headers: headers, body: body)
    }

    /// Serves until the task is cancelled; `onRunning` receives the bound port.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router(context: ProxyContext.self)
        router.get("**") { request, context in try await self.handle(request, channel: context.channel) }
        router.post("**") { request, context in try await self.handle(request, channel: context.channel) }
        var logger = Logger(label: "fault-proxy")
        // The proxy tears connections down on purpose and is stopped by cancellation with
        // connections open; Hummingbird's error lines about that are noise here.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    /// Where this proxy's server tasks run (``QueueTaskExecutor``).
    let executor = QueueTaskExecutor(label: "fenxiao.fault-proxy")

    /// Starts serving in a task; returns the task (cancel it to stop) and the bound port.
    public func start() async throws -> (task: Task<Void, any Error>, port: Int) {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // Its own executor: under the whole suite's load the cooperative pool can be held for
        // seconds, and a client then timed out with 0 bytes instead of seeing the fault.
        let task = Task(executorPreference: executor) { try await self.run { continuation.yield($0) } }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next(), port > 0 else {
            task.cancel()
            throw NodeError(.storage, "the fault proxy did not start")
        }
        return (task, port)
    }

    func handle(_ request: Request, channel: any Channel) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        let bytes = body.readableBytes > 0 ? Array(buffer: body) : nil
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.rawName] = field.value }
        headers["Host"] = nil
        headers["Content-Length"] = nil
        let method = request.method.rawValue
        let uri = request.uri.description
        let fault = pathPrefix.map { uri.hasPrefix($0) } ?? true ? nextFault() : .none
        switch fault {
        case .drop:
            return Response(status: .serviceUnavailable)
        case .error500:
            return Response(status: .internalServerError)
        case .hang:
            try await Task.sleep(nanoseconds: 2_500_000_000)  // beyond the simulation clients' 2 s timeout
            return Response(status: .gatewayTimeout)
        case .resetRequest:
            await Self.reset(channel)
            return Response(status: .badGateway)  // never reaches the client: the connection is gone
        case .delay:
            try await Task.sleep(nanoseconds: 300_000_000)
        default:
            break
        }
        let sent = headers
        let result = try await offload { try self.forward(method: method, uri: uri, headers: sent, body: bytes) }
        // A request held back earlier now arrives after this one; its answer goes nowhere.
        let stale: HeldRequest? = lock.withLock {
            defer {
                heldBack = fault == .reorder ? HeldRequest(method: method, uri: uri, headers: sent, body: bytes) : nil
            }
            return heldBack
        }
        if let stale {
            _ = try? await offload {
                try self.forward(method: stale.method, uri: stale.uri, headers: stale.headers, body: stale.body)
            }
        }
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
        case .reset:
            return Self.cutMidBody(result)
        default:
            break
        }
        return Response(
            status: .init(code: result.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.body)))
    }

    /// An answer that announces the whole upstream body but sends only its first half and
    /// then fails, so Hummingbird tears the connection down: the client sees a transfer closed
    /// with bytes remaining (libcurl: "transfer closed with N bytes remaining to read").
    static func cutMidBody(_ result: HTTPResult) -> Response {
        let half = ByteBuffer(bytes: result.body.prefix(result.body.count / 2))
        return Response(
            status: .init(code: result.status), headers: [.contentType: "application/json"],
            body: ResponseBody(contentLength: max(1, result.body.count)) { writer in
                try await writer.write(half)
                throw ConnectionCut()
            })
    }

    /// Resets the client's connection: SO_LINGER 0 turns the close into a TCP RST.
    static func reset(_ channel: any Channel) async {
        if let socket = channel as? any SocketOptionProvider {
            try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }

    /// Thrown by a response body to make the server drop the connection mid-body.
    struct ConnectionCut: Error {}
}

/// Hummingbird's basic request context plus the client's connection, so a fault can reset it.
struct ProxyContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
