import Foundation
import Node
import Replication
import Storage
import SyncClient

extension HistoryBench {
    /// Two new stores join on `day`: one pulls every change of its scope, one starts from
    /// central's snapshot (then pulls what came after it).
    struct Bootstrap: Encodable {
        let day: Int
        let full_pull_s: Double
        let full_pull_changes: Int
        let full_pull_mb: Double
        let snapshot_s: Double
        /// Of it: central making the snapshot with the transfer, and the store loading it.
        let snapshot_fetch_s: Double
        let snapshot_load_s: Double
        let snapshot_rows: Int
        let snapshot_changes: Int
        let snapshot_pulled_after: Int
        let snapshot_mb: Double
        /// Both stores' state hashes equal central's view of their scopes.
        let converged: Bool
    }

    /// Measures both ways of joining on `day` against the central served at `port`, then
    /// retires both stores (they would hold the frontier back) and removes their files.
    func bootstrap(day: Int, port: Int, central: FenxiaoNode, clock: SimulatedClock) async throws -> Bootstrap {
        var timing: [Bool: (seconds: Double, runner: SyncRunner, node: FenxiaoNode)] = [:]
        var converged = true
        for fromSnapshot in [false, true] {
            let name = (fromSnapshot ? "n" : "f") + String(day)
            let token = try central.sync.enroll(node: name, warehouses: [])
            _ = try FenxiaoNode.initialize(directory: root + "/" + name, node: name, role: .store)
            let node = try open(name, clock: clock)
            try node.store.setMeta(["token": token, "central_url": "http://127.0.0.1:\(port)"])
            let runner = try SyncRunner(
                node: node, link: try SyncRunner.link(of: node), configuration: .init(batchSize: 2000))
            runner.startFromSnapshot = fromSnapshot
            runner.compactAfterSync = false
            let started = DispatchTime.now().uptimeNanoseconds
            _ = try await runner.run()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            try node.store.checkpoint()
            let equal = try node.sync.status().state_hash == central.sync.status(scopeOf: name).state_hash
            converged = converged && equal
            timing[fromSnapshot] = (seconds, runner, node)
        }
        guard let full = timing[false], let snap = timing[true], let manifest = snap.runner.snapshot else {
            throw BenchError("the snapshot store did not start from a snapshot")
        }
        let result = Bootstrap(
            day: day, full_pull_s: full.seconds, full_pull_changes: try full.node.read { try $0.changeCount() },
            full_pull_mb: Self.megabytes(full.node.store.directory), snapshot_s: snap.seconds,
            snapshot_fetch_s: snap.runner.snapshotSeconds?.fetch ?? 0,
            snapshot_load_s: snap.runner.snapshotSeconds?.load ?? 0,
            snapshot_rows: manifest.rows, snapshot_changes: manifest.changes,
            snapshot_pulled_after: try snap.node.read { try $0.changeCount() } - manifest.changes,
            snapshot_mb: Self.megabytes(snap.node.store.directory), converged: converged)
        for node in [full.node, snap.node] {
            try central.sync.retire(node: node.identity.node.rawValue)
            try? FileManager.default.removeItem(atPath: node.store.directory)
        }
        say(
            "day \(day): a new store joins by full pull in \(String(format: "%.2f", full.seconds)) s (\(result.full_pull_changes) changes), from a snapshot in \(String(format: "%.2f", snap.seconds)) s (\(manifest.rows) rows, \(manifest.changes) changes)"
        )
        return result
    }
}
