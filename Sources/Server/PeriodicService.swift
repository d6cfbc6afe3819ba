import Logging
import Node
import ServiceLifecycle

/// Background work that runs beside the HTTP server in one service group (housekeeping,
/// webhook delivery): `work` runs off the cooperative pool every `interval` until the group
/// shuts down gracefully. A failing round is logged with its error and the next round runs.
public struct PeriodicService: Service {
    public let name: String
    public let interval: Duration
    let logger: Logger
    let work: @Sendable (_ round: Int) throws -> Void

    /// - Parameters:
    ///   - name: How the service is named in logs (`housekeeping`, `webhook`).
    ///   - work: Blocking work for one round; `round` counts from 0.
    public init(
        name: String, every interval: Duration, logger: Logger, work: @escaping @Sendable (_ round: Int) throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        var round = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let current = round
            do {
                try await blocking { try work(current) }
            } catch {
                logger.error(
                    "background round failed",
                    metadata: [
                        "service": .string(name), "round": .stringConvertible(current),
                        "reason": .string(NodeError.wrap(error).message),
                    ])
            }
            round += 1
            // Ends early when the group shuts down; the loop condition then stops the service.
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}
