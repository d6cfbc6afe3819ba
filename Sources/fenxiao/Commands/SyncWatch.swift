import Foundation
import Logging
import Node
import Replication
import SyncClient

/// `fenxiao sync --watch`: a sync every `every` seconds until stopped, each round one log line
/// on standard error (`synced` with its counts, or `sync failed` with the reason) carrying a
/// timestamp; a failed round does not stop the loop.
struct SyncWatch {
    let node: FenxiaoNode
    let every: Int
    let batch: Int?
    let phase: SyncPhase
    let logger: Logger

    func run() async throws {
        logger.notice("watching", metadata: ["every_s": .stringConvertible(every), "version": .string(fenxiaoVersion)])
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                // The link is read every round: a `fenxiao join` made meanwhile takes effect.
                let runner = try SyncRunner(
                    node: node, link: try SyncRunner.link(of: node), configuration: .init(batchSize: batch))
                runner.phase = phase
                let s = try await runner.run()
                let elapsed = ContinuousClock.now - started
                var metadata: Logger.Metadata = [
                    "pushed": .stringConvertible(s.pushed), "pulled": .stringConvertible(s.pulled),
                    "conflicts_new": .stringConvertible(s.conflicts_new), "retries": .stringConvertible(s.retries),
                    "bytes": .stringConvertible(runner.bytesOnWire),
                    "duration_ms": .stringConvertible(
                        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                ]
                if let offset = try? node.read({ try $0.offsetFromCentral() }) {
                    metadata["clock_offset_ms"] = .stringConvertible(offset.offsetMillis)
                }
                logger.info("synced", metadata: metadata)
                if let warning = runner.clockReading?.warning { logger.warning("\(warning)") }
            } catch {
                logger.warning("sync failed", metadata: ["reason": .string(NodeError.wrap(error).message)])
            }
            try await Task.sleep(for: .seconds(every))
        }
    }
}
