import Logging
import Node
import Server
import ServiceLifecycle
import SyncClient

/// A store's `serve --sync-every`: the same sync as `fenxiao sync --watch`, in the serving
/// process, beside the till. Network and database work run off the event loop (libcurl on a
/// Dispatch thread, see `offload`); each outcome sets the till's status light.
struct StoreSyncLoop: Service {
    let node: FenxiaoNode
    let every: Duration
    let health: SyncHealth
    let logger: Logger

    func run() async throws {
        health.startLooping()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // The link is read every round: a `fenxiao join` made while serving takes effect.
                let runner = try SyncRunner(node: node, link: try SyncRunner.link(of: node), timeoutMillis: 30_000)
                let summary = try await runner.run()
                health.succeeded(at: node.store.wallNow())
                if summary.pushed + summary.pulled > 0 {
                    logger.info(
                        "synced",
                        metadata: [
                            "pushed": .stringConvertible(summary.pushed), "pulled": .stringConvertible(summary.pulled),
                            "conflicts_new": .stringConvertible(summary.conflicts_new),
                        ])
                }
            } catch {
                health.failed(at: node.store.wallNow(), error: "\(NodeError.wrap(error).message)")
                logger.warning(
                    "sync failed, the till keeps selling", metadata: ["reason": .string(NodeError.wrap(error).message)])
            }
            try? await cancelWhenGracefulShutdown { [every] in try await Task.sleep(for: every) }
        }
    }
}
