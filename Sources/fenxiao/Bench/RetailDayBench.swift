import Commerce
import Foundation
import Node
import Storage
import SyncClient

/// `fenxiao bench retail-day`: set-up (not timed), store phase (one process per store, real
/// order use case), sync phase (a real `fenxiao serve` and concurrent `fenxiao sync`
/// processes over libcurl), then convergence checks.
struct RetailDayBench {
    let root: String
    let stores: Int
    let orders: Int
    let parallel: Int
    let quiet: Bool
    var setupOnly = false
    /// Central on PostgreSQL at this URL (an empty database), instead of one SQLite file.
    var database: String? = nil
    /// Central servers sharing the database (stores are spread over them); 1 without one.
    var servers = 1

    struct Result: Encodable {
        let stores: Int
        let orders_per_store: Int
        let member_orders: Int
        let changes: Int
        let store_orders_per_s: Double
        /// Store processes that recorded at the same time (`--parallel`).
        let stores_at_once: Int
        /// Pushed changes over the time from the first store's sync start to the last one's end
        /// (their process start-up and file check excluded, as the C limit times its apply only).
        let central_changes_per_s: Double
        let pull_changes_per_s: Double
        /// The same over the time from starting the sync processes to the last one's exit.
        let central_changes_per_s_with_start_up: Double
        let pull_changes_per_s_with_start_up: Double
        let store_peak_rss_mb: Double
        let central_peak_rss_mb: Double
        let bytes_per_change: Double
        let converged: Bool
        let central_orders: Int
        let stock_matches: Bool
        let build: String
        /// `sqlite`, or `postgresql × N servers`.
        let central: String
        let setup_s: Double
        let store_phase_s: Double
        let push_s: Double
        let pull_s: Double
        /// First sync start to last sync end, in the push and the pull phase.
        let push_sync_s: Double
        let pull_sync_s: Double

        var table: String {
            func f(_ v: Double) -> String { String(Int(v.rounded())) }
            return """
                retail day: \(stores) stores × \(orders_per_store) orders, \(changes) changes, member orders \(member_orders) (\(build) build, central: \(central))
                  store orders/s (per store, with change capture)  \(f(store_orders_per_s)) (\(stores_at_once) store\(stores_at_once == 1 ? "" : "s") at a time)
                  central changes/s (push over HTTP, merged)       \(f(central_changes_per_s)) (\(f(central_changes_per_s_with_start_up)) with the sync processes' start-up)
                  pull changes/s                                   \(f(pull_changes_per_s)) (\(f(pull_changes_per_s_with_start_up)) with start-up)
                  store peak RSS                                   \(String(format: "%.1f", store_peak_rss_mb)) MB
                  central peak RSS                                 \(String(format: "%.1f", central_peak_rss_mb)) MB
                  bytes per change on the wire                     \(String(format: "%.0f", bytes_per_change))
                  converged                                        \(converged) (central orders \(central_orders), stock \(stock_matches ? "as expected" : "WRONG"))
                """
        }
    }

    struct StoreOut: Decodable {
        let orders: Int; let seconds: Double; let orders_per_s: Double; let peak_rss_mb: Double
    }
    struct SyncOut: Decodable {
        let pushed: Int; let pulled: Int; let bytes: Int; let duration_ms: Int; let peak_rss_mb: Double
        let started_at_ms: Double; let ended_at_ms: Double

        /// Seconds from the first of `syncs` to start to the last to end.
        static func window(_ syncs: [SyncOut]) -> Double {
            guard let first = syncs.map(\.started_at_ms).min(), let last = syncs.map(\.ended_at_ms).max() else {
                return 0
            }
            return max(last - first, 1e-3) / 1000
        }
    }

    func say(_ s: String) { if !quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    func name(_ i: Int) -> String { i < 10 ? "s0\(i)" : "s\(i)" }

    func run() async throws -> Result {
        let t0 = Date()
        let prices = RetailDayWorkload.prices()
        let days = (1...stores).map { RetailDayWorkload.orders(store: $0, count: orders, prices: prices) }
        let memberOrders = days.reduce(0) { $0 + $1.filter { $0.member != nil }.count }
        say("set-up: catalog of \(RetailDayWorkload.skuCount) SKUs, members, opening stock at \(stores) stores…")
        let central: FenxiaoNode
        if let database {
            central = try FenxiaoNode.initializeShared(directory: root + "/central", url: database)
            guard try central.read({ try $0.changeCount() }) == 0 else {
                throw BenchError("the database at --central already holds a chain; give the bench an empty database")
            }
        } else {
            central = try FenxiaoNode.initialize(directory: root + "/central", node: "central", role: .central)
        }
        try central.catalog.upsert(
            (0..<RetailDayWorkload.skuCount).map {
                CatalogItem(
                    sku: RetailDayWorkload.skuCode($0), name: RetailDayWorkload.skuName($0),
                    price: Money(cents: Int64(prices[$0])),
                    category: "C\($0 % RetailDayWorkload.categoryCount)")
            })
        let members = Set(days.flatMap { $0.compactMap(\.memberCode) }).sorted()
        try central.members.bulkImport(members.map { ($0, "member \($0)") })
        var tokens: [String] = []
        for i in 1...stores { tokens.append(try central.sync.enroll(node: name(i), warehouses: [])) }
        let opening: Int64 = 1000
        for i in 1...stores {
            try central.inventory.receive(
                (0..<RetailDayWorkload.skuCount).map { (RetailDayWorkload.skuCode($0), name(i), opening) },
                note: "opening stock")
        }
        // Further servers of a PostgreSQL central take the set-up from the shared log.
        var directories = [root + "/central"]
        if let database {
            for k in stride(from: 2, through: servers, by: 1) {
                _ = try FenxiaoNode.initializeShared(directory: root + "/central-\(k)", url: database)
                directories.append(root + "/central-\(k)")
            }
        }
        var running: [(ChildProcess, Int)] = []
        defer { for (server, _) in running { server.stop() } }
        for (k, directory) in directories.enumerated() {
            running.append(try ChildProcess.serve(data: directory, portFile: root + "/port-\(k)"))
        }
        for i in 1...stores {
            let port = running[i % running.count].1
            let node = try FenxiaoNode.initialize(directory: root + "/" + name(i), node: name(i), role: .store)
            try node.store.setMeta(["central_url": "http://127.0.0.1:\(port)", "token": tokens[i - 1]])
            _ = try await SyncRunner(
                node: node, link: try SyncRunner.link(of: node), configuration: .init(batchSize: 5000)
            ).run()
        }
        let setup = Date().timeIntervalSince(t0)
        if setupOnly {
            throw BenchError("stopped after set-up (\(String(format: "%.1f", setup)) s) as asked; nodes are in \(root)")
        }

        say("store phase: \(stores) stores × \(orders) orders, \(parallel) at a time…")
        let t1 = Date()
        var storeResults: [StoreOut] = []
        var next = 1
        while next <= stores {
            let batch = (next...min(stores, next + parallel - 1)).map { i in
                (
                    i,
                    try? ChildProcess([
                        "bench", "store-phase", "--data", root + "/" + name(i), "--store", "\(i)", "--orders",
                        "\(orders)",
                    ])
                )
            }
            for (i, child) in batch {
                guard let child else { throw BenchError("could not start store \(i)") }
                storeResults.append(try child.result(StoreOut.self))
            }
            next += parallel
        }
        let storePhase = Date().timeIntervalSince(t1)

        say("sync phase: \(stores) stores push concurrently…")
        let t2 = Date()
        let pushers = try (1...stores).map {
            try ChildProcess(["sync", "--data", root + "/" + name($0), "--phase", "push", "--json"])
        }
        let pushes = try pushers.map { try $0.result(SyncOut.self) }
        let pushTime = Date().timeIntervalSince(t2)
        // The pull phase starts from a checkpointed central and written-back files (not timed):
        // whether the WAL's automatic checkpoint or the kernel's writeback of the earlier phases
        // fell inside the short pull phase moved its figure by ±10 % between otherwise equal
        // runs (README, Performance).
        if database == nil { try central.store.checkpoint() }
        sync()
        say("sync phase: \(stores) stores pull concurrently…")
        let t3 = Date()
        let pullers = try (1...stores).map {
            try ChildProcess(["sync", "--data", root + "/" + name($0), "--phase", "pull", "--json"])
        }
        let pulls = try pullers.map { try $0.result(SyncOut.self) }
        let pullTime = Date().timeIntervalSince(t3)
        let centralRSS = running.map { PeakRSS.mb(pid: $0.0.pid) }.max() ?? 0
        for (server, _) in running { server.stop() }
        try central.store.catchUpShared()

        say("verifying convergence…")
        var converged = true
        for i in 1...stores {
            let node = try FenxiaoNode.open(directory: root + "/" + name(i))
            if try node.sync.status().state_hash != central.sync.status(scopeOf: name(i)).state_hash {
                converged = false
            }
        }
        let centralOrders = try central.read { try $0.orderIDs(limit: 10_000_000).count }
        var stockOK = true
        for (i, day) in days.enumerated() {
            var sold: [Int: Int64] = [:]
            for o in day { for l in o.lines { sold[l.sku, default: 0] += Int64(l.qty) } }
            let levels = try central.read { r in
                try r.rows("SELECT sku, on_hand FROM stock_levels WHERE warehouse = ?", [name(i + 1)])
            }
            for row in levels {
                let sku: String = row["sku"]
                let onHand: Int64 = row["on_hand"]
                let index = Int(sku.dropFirst(4)) ?? -1
                if onHand != opening - (sold[index] ?? 0) { stockOK = false }
            }
            if levels.count != RetailDayWorkload.skuCount { stockOK = false }
        }
        let pushed = pushes.reduce(0) { $0 + $1.pushed }
        let pulled = pulls.reduce(0) { $0 + $1.pulled }
        let bytes = pushes.reduce(0) { $0 + $1.bytes } + pulls.reduce(0) { $0 + $1.bytes }
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        let (pushWindow, pullWindow) = (SyncOut.window(pushes), SyncOut.window(pulls))
        return Result(
            stores: stores, orders_per_store: orders, member_orders: memberOrders, changes: pushed,
            store_orders_per_s: storeResults.map(\.orders_per_s).reduce(0, +) / Double(storeResults.count),
            stores_at_once: min(parallel, stores),
            central_changes_per_s: Double(pushed) / pushWindow, pull_changes_per_s: Double(pulled) / pullWindow,
            central_changes_per_s_with_start_up: Double(pushed) / pushTime,
            pull_changes_per_s_with_start_up: Double(pulled) / max(pullTime, 1e-9),
            store_peak_rss_mb: (storeResults.map(\.peak_rss_mb) + pushes.map(\.peak_rss_mb) + pulls.map(\.peak_rss_mb))
                .max() ?? 0,
            central_peak_rss_mb: centralRSS, bytes_per_change: Double(bytes) / Double(max(1, pushed + pulled)),
            converged: converged && centralOrders == stores * orders && stockOK, central_orders: centralOrders,
            stock_matches: stockOK, build: build,
            central: database == nil
                ? "sqlite" : "postgresql × \(running.count) server\(running.count == 1 ? "" : "s")",
            setup_s: setup, store_phase_s: storePhase, push_s: pushTime,
            pull_s: pullTime, push_sync_s: pushWindow, pull_sync_s: pullWindow)
    }
}
