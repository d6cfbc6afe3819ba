import FenxiaoTesting
import Foundation
import Hummingbird
import Logging
import Node
import Replication
import Server
import SyncClient

/// Central and one enrolled store (`s1`) in a temporary folder, for the operations tests:
/// central serves on 127.0.0.1 with its log lines kept in memory (JSON), the store syncs with
/// it over real HTTP.
struct OpsShop {
    let dir: TempDirectory
    let central: FenxiaoNode
    let store: FenxiaoNode
    let sink = LogSink.memory()

    init(_ label: String) throws {
        dir = TempDirectory(label)
        central = try Fixtures.central(in: dir)
        let token = try central.sync.enroll(node: "s1", warehouses: [])
        store = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
        try store.store.setMeta(["token": token])
    }

    var logger: Logger { LineLogHandler.logger(format: .json, level: .debug, sink: sink) }

    /// The JSON log lines so far, parsed.
    var lines: [[String: Any]] {
        sink.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// One sync of the store with central at `port` (`fullPull`: a blank store pulls every
    /// change instead of starting from central's snapshot).
    func sync(port: Int, fullPull: Bool = false) async throws -> SyncSession.Summary {
        try store.store.setMeta(["central_url": "http://127.0.0.1:\(port)"])
        let runner = try SyncRunner(
            node: store, link: try SyncRunner.link(of: store),
            configuration: .init(batchSize: 1000, maxAttempts: 1, baseDelayMillis: 20, maxDelayMillis: 100),
            // A bound, not a wait: generous because CI's two cores also run PostgreSQL clusters
            // and `serve` processes of other tests while this in-process server answers.
            timeoutMillis: 30_000)
        runner.startFromSnapshot = !fullPull
        return try await runner.run()
    }
}
