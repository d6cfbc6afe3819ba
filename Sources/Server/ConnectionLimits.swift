import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import Node
import Replication

/// How many connections each client address holds, shared by every connection's handler.
final class ClientConnectionCounts: Sendable {
    private let counts = NIOLockedValueBox<[String: Int]>([:])
    let maxPerClient: Int

    init(maxPerClient: Int) { self.maxPerClient = maxPerClient }

    /// Counts a new connection from `client`; false (not counted) when it already holds the maximum.
    func open(_ client: String) -> Bool {
        counts.withLockedValue { counts in
            let held = counts[client, default: 0]
            guard held < maxPerClient else { return false }
            counts[client] = held + 1
            return true
        }
    }

    func close(_ client: String) {
        counts.withLockedValue { counts in
            let held = counts[client, default: 0]
            if held <= 1 { counts[client] = nil } else { counts[client] = held - 1 }
        }
    }

    /// Open connections per client (for tests and logs).
    var snapshot: [String: Int] { counts.withLockedValue { $0 } }
}

/// Closes a connection at once when its client address already holds `maxPerClient`
/// connections, so one client (a script opening sockets and leaving them idle) cannot use up
/// central's file descriptors while real stores wait.
final class PerClientConnectionLimit: ChannelInboundHandler, RemovableChannelHandler {
    // Request parts pass through untouched (never unwrapped), so their type does not matter.
    typealias InboundIn = Any
    typealias InboundOut = Any

    let counts: ClientConnectionCounts
    var client: String?

    init(counts: ClientConnectionCounts) { self.counts = counts }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if client == nil { admit(context) }
        context.fireChannelActive()
    }

    func admit(_ context: ChannelHandlerContext) {
        guard client == nil else { return }
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if counts.open(address) {
            client = address
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func release() {
        if let client { counts.close(client) }
        client = nil
    }
}

/// Adds central's wall clock and maximum clock offset to every answer, so a store measures
/// its offset at each sync (sync/PROTOCOL.md §3.1).
struct ClockHeaders: RouterMiddleware {
    typealias Context = BasicRequestContext
    let node: FenxiaoNode
    let maxOffsetMillis: Int64
    static let wallName = HTTPField.Name(SyncWire.wallClockHeader)
    static let boundName = HTTPField.Name(SyncWire.maxOffsetHeader)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        if let wall = Self.wallName, let bound = Self.boundName {
            response.headers[wall] = String(node.store.wallNow())
            response.headers[bound] = String(maxOffsetMillis)
        }
        return response
    }
}

/// The descriptor limit of this process (`ulimit -n`), or nil when unknown.
func openFileLimit() -> Int? {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
    return limit.rlim_cur >= rlim_t(Int32.max) ? nil : Int(limit.rlim_cur)
}
