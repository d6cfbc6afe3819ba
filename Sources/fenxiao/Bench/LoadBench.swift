import Commerce
import Foundation
import Node
import Storage
import SyncClient

/// `fenxiao bench load`: many stores selling and syncing against one central at the same
/// time, for a bounded time; reports sync latency percentiles, errors and central memory.
struct LoadBench {
    let root: String
    let stores: Int
    let seconds: Double

    struct Result: Encodable {
        let stores: Int
        let seconds: Double
        let syncs: Int
        let errors: Int
        let orders: Int
        let p50_ms: Double
        let p99_ms: Double
        let max_ms: Double
        let central_peak_rss_mb: Double
        let converged: Bool
    }

    /// One store's loop, on its own thread: sell an order, sync, record the latency.
    final class Worker: @unchecked Sendable {
        // @unchecked: each worker's fields are written by its own thread, read after join.
        let node: FenxiaoNode
        var latencies: [Double] = []
        var errors = 0
        var orders = 0
        let done = DispatchSemaphore(value: 0)
        init(node: FenxiaoNode) { self.node = node }
    }

    func run() throws -> Result {
        let central = try FenxiaoNode.initialize(directory: root + "/central", node: "central", role: .central)
        try central.catalog.upsert([CatalogItem(sku: "TEA-01", name: "Tea", price: Money(cents: 1250))])
        var tokens: [String] = []
        for i in 1...stores { tokens.append(try central.sync.enroll(node: "L\(i)", warehouses: [])) }
        let server = try ChildProcess([
            "serve", "--data", root + "/central", "--port", "0", "--port-file", root + "/port",
        ])
        defer { server.stop() }
        var port: Int?
        for _ in 0..<500 where port == nil {
            port = (try? String(contentsOfFile: root + "/port", encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if port == nil { usleep(20_000) }
        }
        guard let port else { throw BenchError("central did not start") }
        var workers: [Worker] = []
        for i in 1...stores {
            let node = try FenxiaoNode.initialize(directory: root + "/L\(i)", node: "L\(i)", role: .store)
            try node.store.setMeta(["central_url": "http://127.0.0.1:\(port)", "token": tokens[i - 1]])
            workers.append(Worker(node: node))
        }
        let deadline = Date().addingTimeInterval(seconds)
        for w in workers {
            Thread.detachNewThread {
                defer { w.done.signal() }
                guard
                    let runner = try? SyncRunner(
                        node: w.node, link: (try? SyncRunner.link(of: w.node)) ?? CentralLink(url: "", token: ""))
                else {
                    w.errors += 1
                    return
                }
                var first = true
                while Date() < deadline {
                    if !first, (try? w.node.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))) != nil
                    {
                        w.orders += 1
                    }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let semaphore = DispatchSemaphore(value: 0)
                    let box = ResultBox()
                    Task {
                        do { _ = try await runner.run() } catch { box.failed = true }
                        semaphore.signal()
                    }
                    semaphore.wait()
                    if box.failed {
                        w.errors += 1
                    } else {
                        w.latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    }
                    if first {
                        // Opening stock once the catalog has arrived.
                        _ = try? w.node.inventory.move(sku: "TEA-01", quantity: 100_000, reason: .receive)
                        first = false
                    }
                }
            }
        }
        for w in workers { w.done.wait() }
        let rss = PeakRSS.mb(pid: server.pid)
        // Final round: everyone catches up, then hashes must match.
        var converged = true
        for w in workers {
            _ = try? awaitSync(w.node)
        }
        for w in workers
        where try w.node.sync.status().state_hash
            != central.sync.status(scopeOf: w.node.identity.node.rawValue).state_hash
        {
            converged = false
        }
        let all = workers.flatMap(\.latencies).sorted()
        func pct(_ p: Double) -> Double { all.isEmpty ? 0 : all[min(all.count - 1, Int(Double(all.count) * p))] }
        return Result(
            stores: stores, seconds: seconds, syncs: all.count, errors: workers.reduce(0) { $0 + $1.errors },
            orders: workers.reduce(0) { $0 + $1.orders }, p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: all.last ?? 0,
            central_peak_rss_mb: rss, converged: converged)
    }

    final class ResultBox: @unchecked Sendable {
        // @unchecked: written by one task before the semaphore is signalled, read after.
        var failed = false
    }

    func awaitSync(_ node: FenxiaoNode) throws {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Task {
            do { _ = try await SyncRunner(node: node, link: try SyncRunner.link(of: node)).run() } catch {
                box.failed = true
            }
            semaphore.signal()
        }
        semaphore.wait()
        if box.failed { throw BenchError("final sync of \(node.identity.node) failed") }
    }
}
