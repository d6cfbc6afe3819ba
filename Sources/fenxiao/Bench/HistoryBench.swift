import Commerce
import Foundation
import Node
import Replication
import Storage
import SyncClient

/// `fenxiao bench history`: years, not days (issue 21). A central (a real `fenxiao serve`) and
/// two stores trade for `days` simulated days — each day the nodes' clocks move a day on:
/// head office takes online orders on five popular SKUs reserved in s1's warehouse (shipped the
/// next day), s2 sells to members (their points reach s1), s1 sells `orders` counter orders
/// (half of them touch a popular SKU), both sync, central is backed up, and s1 compacts its log.
/// Each day prints what a change cost at the store and at central, the size of both files, s1's
/// log and the memory of both processes. At the end a new store joins and pulls its scope.
struct HistoryBench {
    let root: String
    let days: Int
    let orders: Int
    let online: Int
    let keepDays: Int
    /// The after-sale period head office sets (`order after-sale --set-days`); nil: orders never close.
    let closeDays: Int?
    /// Every this many days (and on the last) two new stores join: by full pull and from a snapshot.
    let bootstrapEvery: Int
    let quiet: Bool

    struct Day: Encodable {
        let day: Int
        let store_ms_per_order: Double
        let store_us_per_change: Double
        let central_us_per_change: Double
        let pull_us_per_change: Double
        /// What s1's morning pull brought (reservations, shipments, s2's points) and its time.
        let pull_changes: Int
        let pull_ms: Double
        let compact_ms: Double
        let dropped: Int
        /// Closed orders s1 dropped that day, and the orders it holds after.
        let orders_dropped: Int
        let store_orders: Int
        /// Stock movements s1 folded that day, and the movements it holds after.
        let moves_folded: Int
        let store_moves: Int
        let store_log_rows: Int
        let store_db_mb: Double
        let central_db_mb: Double
        /// Central's hot log and its archive (`fenxiao archive`, run daily with the store's retention).
        let central_log_rows: Int
        let central_archived: Int
        let bench_rss_mb: Double
        let central_rss_mb: Double
    }

    struct Result: Encodable {
        let days: Int
        let orders_per_day: Int
        let online_per_day: Int
        let keep_days: Int
        let close_days: Int?
        let build: String
        let day_rows: [Day]
        /// The cost per change of the last days over the first days (median of five days each
        /// when there are ten or more; 1.2 is the target).
        let store_cost_ratio: Double
        let central_cost_ratio: Double
        /// The same for the time of s1's morning pull (about the same changes every day).
        let pull_cost_ratio: Double
        let bootstrap_s: Double
        let bootstrap_changes: Int
        /// New stores joining on the days measured: full pull against snapshot.
        let bootstraps: [Bootstrap]
        let converged: Bool

        var table: String {
            func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
            var lines = [
                "history: \(days) days × \(orders_per_day) counter orders at s1, \(online_per_day) online orders a day on popular SKUs, keep \(keep_days) days, orders close after \(close_days.map { "\($0) days" } ?? "never") (\(build) build)",
                "  day  ms/order  µs/change store  µs/change central  µs/change pull  log rows  dropped  orders  -orders   moves  -moves  compact ms  store MB  central MB  central log  archived  RSS bench  RSS central",
            ]
            for d in day_rows {
                lines.append(
                    [
                        String(d.day).leftPad(5), f(d.store_ms_per_order, 2).leftPad(9),
                        f(d.store_us_per_change).leftPad(17),
                        f(d.central_us_per_change).leftPad(19), f(d.pull_us_per_change).leftPad(16),
                        String(d.store_log_rows).leftPad(10), String(d.dropped).leftPad(8),
                        String(d.store_orders).leftPad(8), String(d.orders_dropped).leftPad(9),
                        String(d.store_moves).leftPad(8), String(d.moves_folded).leftPad(8),
                        f(d.compact_ms).leftPad(11),
                        f(d.store_db_mb).leftPad(9), f(d.central_db_mb).leftPad(11),
                        String(d.central_log_rows).leftPad(13), String(d.central_archived).leftPad(10),
                        f(d.bench_rss_mb).leftPad(11),
                        f(d.central_rss_mb).leftPad(12),
                    ].joined())
            }
            lines.append(
                "  last days / first days (medians of 5): store µs/change \(f(store_cost_ratio, 2))×, central µs/change \(f(central_cost_ratio, 2))×, s1's morning pull \(f(pull_cost_ratio, 2))×"
            )
            lines.append(
                "  a new store joins:  day  full pull s  changes  MB   snapshot s  (fetch  load)  rows  changes  pulled after  MB"
            )
            for b in bootstraps {
                lines.append(
                    [
                        "                 ", String(b.day).leftPad(5), f(b.full_pull_s, 2).leftPad(12),
                        String(b.full_pull_changes).leftPad(9), f(b.full_pull_mb).leftPad(6),
                        f(b.snapshot_s, 2).leftPad(12), f(b.snapshot_fetch_s, 2).leftPad(8),
                        f(b.snapshot_load_s, 2).leftPad(6), String(b.snapshot_rows).leftPad(7),
                        String(b.snapshot_changes).leftPad(9), String(b.snapshot_pulled_after).leftPad(14),
                        f(b.snapshot_mb).leftPad(6),
                    ].joined())
            }
            lines.append("  converged: \(converged)")
            return lines.joined(separator: "\n")
        }
    }

    /// The simulated days: every node of the bench reads its clock through this.
    final class SimulatedClock: @unchecked Sendable {
        private let lock = NSLock()
        private var offset: Int64 = 0
        static let day: Int64 = 86_400_000

        var skew: Int64 { lock.withLock { offset } }
        func setDay(_ d: Int) { lock.withLock { offset = Int64(d) * Self.day } }
        func now() -> Int64 { NodeStore.systemWallClock() + skew }
    }

    static let skuCount = 200
    static let memberCount = 2000
    static func sku(_ i: Int) -> String { "H-" + String(i).leftPad(3, "0") }
    static func member(_ i: Int) -> String { "HM" + String(i) }

    func say(_ s: String) { if !quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    func open(_ name: String, clock: SimulatedClock) throws -> FenxiaoNode {
        FenxiaoNode(store: try NodeStore.open(directory: root + "/" + name, wallClock: { clock.now() }))
    }

    static func megabytes(_ directory: String) -> Double {
        let base = directory + "/" + NodeDatabase.fileName
        let bytes = ["", "-wal"].reduce(0) { sum, suffix in
            sum + ((try? FileManager.default.attributesOfItem(atPath: base + suffix)[.size] as? Int) ?? 0)
        }
        return Double(bytes) / 1_048_576
    }

    func run() async throws -> Result {
        let clock = SimulatedClock()
        say("set-up: \(Self.skuCount) SKUs, \(Self.memberCount) members, stores s1 and s2…")
        _ = try FenxiaoNode.initialize(directory: root + "/central", node: "central", role: .central)
        let central = try open("central", clock: clock)
        try central.catalog.upsert(
            (0..<Self.skuCount).map {
                CatalogItem(
                    sku: Self.sku($0), name: "item \($0)", price: Money(cents: Int64(500 + 37 * $0)),
                    category: "C\($0 % 10)")
            })
        try central.members.bulkImport((0..<Self.memberCount).map { (Self.member($0), "member \($0)") })
        if let closeDays { _ = try central.orders.setAfterSaleDays(Int64(closeDays)) }
        var tokens: [String: String] = [:]
        for s in ["s1", "s2"] { tokens[s] = try central.sync.enroll(node: s, warehouses: []) }
        let opening = Int64(days) * Int64(orders + online) * 3 + 1000
        for s in ["s1", "s2"] {
            try central.inventory.receive((0..<Self.skuCount).map { (Self.sku($0), s, opening) }, note: "opening stock")
        }
        var stores: [String: FenxiaoNode] = [:]
        for s in ["s1", "s2"] {
            _ = try FenxiaoNode.initialize(directory: root + "/" + s, node: s, role: .store)
            let node = try open(s, clock: clock)
            try node.store.setMeta(["token": tokens[s] ?? "", LogCompaction.Keys.keepDays: String(keepDays)])
            stores[s] = node
        }
        guard let s1 = stores["s1"], let s2 = stores["s2"] else { throw BenchError("stores missing") }

        var rng = SplitMix64(seed: 2026_12_03)
        var rows: [Day] = []
        var bootstraps: [Bootstrap] = []
        var unshipped: [String] = []
        for day in 1...days {
            clock.setDay(day)
            let (server, port) = try ChildProcess.serve(
                data: root + "/central", portFile: root + "/port",
                environment: ["FENXIAO_CLOCK_SKEW_MS": String(clock.skew)], extraArgs: ["--log-level", "warning"])
            defer { server.stop() }
            for node in [s1, s2] { try node.store.setMeta(["central_url": "http://127.0.0.1:\(port)"]) }
            // Head office: yesterday's online orders ship, today's are reserved in s1's warehouse.
            for id in unshipped {
                _ = try central.orders.transition(order: id, to: .shipped, carrier: "SF", tracking: "SF\(day)")
            }
            unshipped = []
            for i in 0..<online {
                let order = try central.orders.create(
                    OrderRequest(lines: [.line(Self.sku(i % 5), 1)], channel: .online, warehouse: "s1"))
                _ = try central.orders.transition(order: order.id, to: .paid, pay: .qrpay)
                unshipped.append(order.id)
            }
            // s2 sells to members: points entries every store receives.
            _ = try await sync(s2, phase: .pull)
            for _ in 0..<max(1, orders / 10) {
                var request = OrderRequest(lines: [.line(Self.sku(rng.below(Self.skuCount)), 1)], pay: .cash)
                request.member = Self.member(rng.below(Self.memberCount))
                _ = try s2.orders.create(request)
            }
            _ = try await sync(s2, phase: .both)
            // The reservations and s2's points reach s1 before it sells: the pull figure.
            let (pulled, pullMicros) = try await sync(s1, phase: .pull)
            // s1's counter: timed.
            let seqBefore = try s1.read { try $0.heldSeq(of: s1.identity.node) }
            let started = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<orders {
                var lines: [LineRequest] = (0..<(1 + rng.below(3))).map { _ in
                    .line(Self.sku(5 + rng.below(Self.skuCount - 5)), 1)
                }
                if rng.below(2) == 0 { lines[0] = .line(Self.sku(rng.below(5)), 1) }
                var request = OrderRequest(lines: lines, pay: rng.below(2) == 0 ? .cash : .card)
                if rng.below(10) < 3 { request.member = Self.member(rng.below(Self.memberCount)) }
                _ = try s1.orders.create(request)
            }
            let selling = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e3
            let written = try s1.read { try $0.heldSeq(of: s1.identity.node) } - seqBefore
            let (pushed, pushMicros) = try await sync(s1, phase: .push)
            _ = try central.store.backup(to: root + "/backup-\(day).sqlite")
            // What `serve`'s housekeeping does every 10 minutes (its process lives a few
            // seconds of each simulated day here): fold the member ledgers snapshots carry.
            try central.store.advanceSnapshotFolds()
            // … and move the stores' settled changes out of its hot log (`fenxiao archive`).
            let archive = try central.store.archiveLog(keepDays: keepDays)
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: root + "/backup-\(day - 1).sqlite" + suffix)
            }
            _ = try await sync(s1, phase: .both)  // hears the backup's durable seq; compacts
            let compactStart = DispatchTime.now().uptimeNanoseconds
            let report = try s1.sync.compactLog()
            let compactMs = Double(DispatchTime.now().uptimeNanoseconds - compactStart) / 1e6
            let centralRSS = PeakRSS.mb(pid: server.pid)
            try s1.store.checkpoint()
            try central.store.checkpoint()
            let row = Day(
                day: day, store_ms_per_order: selling / 1000 / Double(max(1, orders)),
                store_us_per_change: selling / Double(max(1, written)),
                central_us_per_change: pushMicros / Double(max(1, pushed)),
                pull_us_per_change: pulled > 0 ? pullMicros / Double(pulled) : 0, pull_changes: pulled,
                pull_ms: pullMicros / 1000, compact_ms: compactMs,
                dropped: report.dropped, orders_dropped: report.orders_dropped,
                store_orders: try s1.read { try $0.orderCount() }, moves_folded: report.moves_folded,
                store_moves: try s1.read { try $0.stockMoveCount() },
                store_log_rows: try s1.read { try $0.changeCount() },
                store_db_mb: Self.megabytes(root + "/s1"), central_db_mb: Self.megabytes(root + "/central"),
                central_log_rows: archive.remaining, central_archived: archive.in_archive,
                bench_rss_mb: PeakRSS.selfMB(), central_rss_mb: centralRSS)
            rows.append(row)
            if bootstrapEvery > 0 && day % bootstrapEvery == 0 && day != days {
                bootstraps.append(try await bootstrap(day: day, port: port, central: central, clock: clock))
            }
            say(
                "day \(day): \(String(format: "%.2f", row.store_ms_per_order)) ms/order, central \(String(format: "%.1f", row.central_us_per_change)) µs/change, log \(row.store_log_rows) rows (dropped \(row.dropped)), s1 \(String(format: "%.1f", row.store_db_mb)) MB"
            )
        }

        // Two stores join the chain on the last day: by full pull and from a snapshot.
        let (server, port) = try ChildProcess.serve(
            data: root + "/central", portFile: root + "/port",
            environment: ["FENXIAO_CLOCK_SKEW_MS": String(clock.skew)], extraArgs: ["--log-level", "warning"])
        defer { server.stop() }
        let last = try await bootstrap(day: days, port: port, central: central, clock: clock)
        bootstraps.append(last)
        for node in [s1, s2] { try node.store.setMeta(["central_url": "http://127.0.0.1:\(port)"]) }
        _ = try await sync(s1, phase: .both)
        let converged =
            try s1.sync.status().state_hash == central.sync.status(scopeOf: "s1").state_hash
            && bootstraps.allSatisfy(\.converged)
        // Single days are noisy on a shared machine: the median of the last five days over the
        // median of the first five (the first and last day when fewer than ten).
        let window = rows.count >= 10 ? 5 : 1
        func ratio(_ value: (Day) -> Double) -> Double {
            let first = SellStreamBench.median(rows.prefix(window).map(value))
            return SellStreamBench.median(rows.suffix(window).map(value)) / max(first, 1e-9)
        }
        return Result(
            days: days, orders_per_day: orders, online_per_day: online, keep_days: keepDays, close_days: closeDays,
            build: SellStreamBench.build, day_rows: rows, store_cost_ratio: ratio(\.store_us_per_change),
            central_cost_ratio: ratio(\.central_us_per_change), pull_cost_ratio: ratio(\.pull_ms),
            bootstrap_s: last.full_pull_s, bootstrap_changes: last.full_pull_changes, bootstraps: bootstraps,
            converged: converged)
    }

    /// One sync of `node` (push, pull or both): the changes it moved and the wall time (µs).
    func sync(_ node: FenxiaoNode, phase: SyncPhase) async throws -> (changes: Int, micros: Double) {
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node), configuration: .init(batchSize: 2000))
        runner.phase = phase
        runner.compactAfterSync = false
        let started = DispatchTime.now().uptimeNanoseconds
        let summary = try await runner.run()
        let micros = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e3
        switch phase {
        case .push: return (summary.pushed, micros)
        case .pull: return (summary.pulled, micros)
        case .both: return (summary.pushed + summary.pulled, micros)
        }
    }
}

extension String {
    /// Right-aligned in `width` columns.
    fileprivate func leftPad(_ width: Int, _ pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
