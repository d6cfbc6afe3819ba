import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Node
import Replication
import ServiceLifecycle
import Storage

/// The central node's HTTP API: sync endpoints, health and the node list.
///
/// Handlers are thin: they authenticate, decode, call a ``FenxiaoNode`` use case and map its
/// ``NodeError`` to a status with a JSON `{"error", "code"}` body.
public struct FenxiaoServer: Sendable {
    public struct Limits: Sendable {
        /// Largest accepted request body (413 above it).
        public var maxBodyBytes: Int
        /// Largest pull page.
        public var maxPullLimit: Int
        /// A connection that sends no complete request head (or stays idle between requests)
        /// this long is closed: idle and slow-header clients cannot hold descriptors.
        public var idleTimeoutSeconds: Int
        /// A request body must arrive in full this long after its head, or central answers 408
        /// and closes the connection (a client trickling its body cannot hold a descriptor).
        public var bodyTimeoutSeconds: Int
        /// Connections one client address may hold at once; more are closed at once.
        public var maxConnectionsPerClient: Int
        /// Connections central holds at once (nil: the descriptor limit minus 64 kept for the
        /// database and logs); beyond it, new connections wait in the kernel's queue.
        public var maxConnections: Int?

        public init(
            maxBodyBytes: Int = 8 * 1024 * 1024, maxPullLimit: Int = 5000, idleTimeoutSeconds: Int = 15,
            maxConnectionsPerClient: Int = 256, maxConnections: Int? = nil, bodyTimeoutSeconds: Int = 30
        ) {
            self.bodyTimeoutSeconds = bodyTimeoutSeconds
            self.maxBodyBytes = maxBodyBytes
            self.maxPullLimit = maxPullLimit
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.maxConnectionsPerClient = maxConnectionsPerClient
            self.maxConnections = maxConnections
        }

        /// The connection cap in effect.
        public var effectiveMaxConnections: Int {
            maxConnections ?? max(16, (openFileLimit() ?? 1024) - 64)
        }
    }

    public let node: FenxiaoNode
    public let limits: Limits
    /// Counters, histograms and scrape-time gauges (`GET /metrics`); nil: no metrics.
    public let metrics: ServerMetrics?

    public init(node: FenxiaoNode, limits: Limits = Limits(), metrics: ServerMetrics? = nil) {
        self.node = node
        self.limits = limits
        self.metrics = metrics
    }

    /// The router with every route. Handlers authenticate, decode, and call one use case on
    /// NIO's thread pool (``blocking(_:)``); a thrown ``NodeError`` is the answer.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLogMiddleware(metrics: metrics))
        router.add(
            middleware: ClockHeaders(
                node: node, maxOffsetMillis: ((try? node.store.clockBound()) ?? .standard).maxOffsetMillis))
        router.add(middleware: NodeErrorMiddleware())
        let node = self.node
        let limits = self.limits
        let metrics = self.metrics
        router.get("/v1/health") { _, _ in
            json(
                .ok,
                #"{"status":"ok","node":"\#(node.identity.node.rawValue)","role":"\#(node.identity.role.rawValue)"}"#)
        }
        router.get("/v1/openapi.json") { _, _ in json(.ok, OpenAPIDocument.json) }
        router.get("/v1/nodes") { request, _ in
            let token = bearer(request)
            let peers = try await blocking {
                _ = try node.sync.authenticate(token: token, admin: true)
                return try node.sync.peers()
            }
            return json(.ok, encodeJSON(["nodes": peers]))
        }
        router.post("/v1/sync/push") { request, context in
            let origin = try await authenticateStore(request)
            let changes = try await collectChanges(request, what: "push")
            let started = ContinuousClock.now
            let response = try await blocking { try node.sync.acceptPush(from: origin, changes: changes) }
            let took = ContinuousClock.now - started
            SyncEventLog.push(origin, received: changes.count, response, took: took, context.logger)
            metrics?.push(
                store: origin.rawValue, changes: changes.count, conflicts: response.conflicts_new, duration: took)
            return json(.ok, encodeJSON(response))
        }
        router.get("/v1/sync/pull") { request, context in
            let origin = try await authenticateStore(request)
            let params = request.uri.queryParameters
            let afterText = params.get("after") ?? "0"
            guard let after = Int64(afterText), after >= 0 else {
                throw NodeError(.invalidInput, "cursor '\(afterText)' is not one this server issued")
            }
            let limitText = params.get("limit") ?? "1000"
            guard let limit = Int(limitText), (1...limits.maxPullLimit).contains(limit) else {
                throw NodeError(.invalidInput, "limit must be between 1 and \(limits.maxPullLimit)")
            }
            // The store's promise (§8.8); optional: older stores still pull.
            let promise = try params.get("stable").map { text -> HLC in
                guard let raw = Int64(text), raw >= 0 else {
                    throw NodeError(.invalidInput, "stable '\(text)' must be a stamp: a whole number ≥ 0")
                }
                return HLC(rawValue: raw)
            }
            let started = ContinuousClock.now
            let page = try await blocking {
                try node.sync.servePullAnswer(to: origin, after: after, limit: limit, stable: promise)
            }
            let took = ContinuousClock.now - started
            SyncEventLog.pull(origin, changes: page.changes, more: page.more, took: took, context.logger)
            metrics?.pull(store: origin.rawValue, changes: page.changes, duration: took)
            return json(.ok, page.body)
        }
        router.get("/v1/sync/own") { request, _ in
            let origin = try await authenticateStore(request)
            let params = request.uri.queryParameters
            guard let after = Int64(params.get("after") ?? "0"), after >= 0,
                let limit = Int(params.get("limit") ?? "1000"), (1...limits.maxPullLimit).contains(limit)
            else { throw NodeError(.invalidInput, "after must be a seq ≥ 0 and limit 1…\(limits.maxPullLimit)") }
            let changes = try await blocking {
                try node.read { try $0.changes(of: origin, after: after, limit: limit + 1) }
            }
            let page = Array(changes.prefix(limit))
            return json(
                .ok,
                SyncWire.PullResponse.encode(page, cursor: String(page.last?.seq ?? after), more: changes.count > limit)
            )
        }
        addRestoreRoutes(router)
        addSnapshotRoute(router)
        addMetricsRoute(to: router)
        return router
    }

    /// Checks the protocol and schema headers and the store's token (and notes its clock).
    func authenticateStore(_ request: Request) async throws -> NodeID {
        try checkVersions(request)
        let token = bearer(request), wall = header(request, SyncWire.wallClockHeader)
        let node = self.node
        let origin = try await blocking {
            let origin = try node.sync.authenticate(token: token)
            node.sync.recordClockOffset(of: origin, storeWallHeader: wall)
            return origin
        }
        RequestScope.authenticated(origin)
        return origin
    }

    /// Reads a request body of changes (at most `maxBodyBytes`).
    func collectChanges(_ request: Request, what: String) async throws -> [ChangeRecord] {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limits.maxBodyBytes)
        } catch {
            throw NodeError(.tooLarge, "request body exceeds \(limits.maxBodyBytes) bytes; \(what) smaller batches")
        }
        do {
            return try body.withUnsafeReadableBytes { try PreparedPayloads.decodeBatch($0) }
        } catch {
            throw NodeError(.invalidInput, "malformed \(what) body: \(error); nothing applied")
        }
    }

    /// Serves on `host:port` until SIGINT/SIGTERM, with `services` (housekeeping, webhook
    /// delivery, a store's sync loop) beside the HTTP server in one service group; on a signal,
    /// in-flight requests finish and every service stops. `onRunning` receives the bound port
    /// (useful with port 0). `router` replaces central's routes (a store serves its till).
    /// `logger` receives the request lines, refusals and the services' failures.
    public func run(
        router: Router<BasicRequestContext>? = nil, host: String, port: Int, logger: Logger = Logger(label: "fenxiao"),
        services: [any Service] = [],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let counts = ClientConnectionCounts(maxPerClient: limits.maxConnectionsPerClient)
        let app = Application(
            router: router ?? self.router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        PerClientConnectionLimit(counts: counts),
                        RequestBodyDeadline(timeout: .seconds(Int64(limits.bodyTimeoutSeconds))),
                    ],
                    idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "fenxiao",
                availableConnectionsDelegate: MaximumAvailableConnections(
                    limits.effectiveMaxConnections, logger: logger)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: ([app] + services).map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    func checkVersions(_ request: Request) throws(NodeError) {
        let proto = header(request, SyncWire.protocolHeader).flatMap { Int($0) }
        let schema = header(request, SyncWire.schemaHeader).flatMap { Int($0) }
        guard let proto, let schema else {
            throw NodeError(
                .invalidInput,
                "missing \(SyncWire.protocolHeader) and \(SyncWire.schemaHeader) headers; use a fenxiao client")
        }
        if proto != SyncWire.protocolVersion || schema != schemaVersion {
            let upgrade = (proto, schema) < (SyncWire.protocolVersion, schemaVersion) ? "the store" : "central"
            throw NodeError(
                .versionMismatch,
                "version mismatch: client speaks protocol \(proto) schema \(schema), central protocol \(SyncWire.protocolVersion) schema \(schemaVersion); upgrade \(upgrade)"
            )
        }
    }

    var schemaVersion: Int { NodeSchema.version }
}

/// The value of a header by case-insensitive name.
func header(_ request: Request, _ name: String) -> String? {
    let lower = name.lowercased()
    return request.headers.first { $0.name.canonicalName == lower }?.value
}

func bearer(_ request: Request) -> String? {
    guard let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return nil }
    return String(value.dropFirst(7))
}

func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
}

/// A JSON answer already written as UTF-8 bytes.
func json(_ status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
}

func encodeJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
