import ArgumentParser
import Commerce
import Foundation
import Node
import Storage

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (see ../shared/bench/README.md).",
        subcommands: [RetailDay.self, Load.self, SellStream.self, History.self, StorePhase.self, CentralApply.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Many stores selling and syncing concurrently against one central for a bounded time.")
        @Option var stores = 50
        @Option var seconds = 20.0
        @Flag var json = false
        func run() throws {
            guard (1...500).contains(stores), seconds > 0, seconds <= 3600 else {
                throw ValidationError("--stores 1…500, --seconds up to 3600")
            }
            let root = NSTemporaryDirectory() + "fenxiao-load-\(ProcessInfo.processInfo.processIdentifier)"
            try? FileManager.default.removeItem(atPath: root)
            defer { try? FileManager.default.removeItem(atPath: root) }
            let r: LoadBench.Result
            do { r = try LoadBench(root: root, stores: stores, seconds: seconds).run() } catch { throw fail(error) }
            if json {
                print(CommonOptions.encode(r))
            } else {
                print(
                    "\(r.stores) stores for \(r.seconds) s: \(r.syncs) syncs, \(r.orders) orders, errors \(r.errors); sync latency p50 \(Int(r.p50_ms)) ms, p99 \(Int(r.p99_ms)) ms, max \(Int(r.max_ms)) ms; central peak RSS \(String(format: "%.1f", r.central_peak_rss_mb)) MB; converged \(r.converged)"
                )
            }
            if r.errors > 0 || !r.converged { throw ExitCode(1) }
        }
    }

    struct SellStream: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sell-stream",
            abstract:
                "Counter sales of one SKU after an online reservation: median ms per order per window (flat = apply cost independent of history)."
        )
        @Option(help: "Counter orders (3 units each).") var orders = 6000
        @Option(help: "Orders per window.") var window = 500
        @Option(help: "Online orders after the stream (order create on a long ledger).") var online = 50
        @Flag var json = false
        func run() throws {
            guard (1...1_000_000).contains(orders), (1...orders).contains(window), (0...10_000).contains(online) else {
                throw ValidationError("--orders must be 1…1,000,000, --window 1…orders, --online 0…10,000")
            }
            let root = NSTemporaryDirectory() + "fenxiao-sell-stream-\(ProcessInfo.processInfo.processIdentifier)"
            try? FileManager.default.removeItem(atPath: root)
            defer { try? FileManager.default.removeItem(atPath: root) }
            let r: SellStreamBench.Result
            do { r = try SellStreamBench(root: root, orders: orders, window: window, online: online).run() } catch {
                throw fail(error)
            }
            print(json ? CommonOptions.encode(r) : r.table)
        }
    }

    struct RetailDay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retail-day",
            abstract:
                "One day of a chain: N stores sell offline through the real use case, then sync to a real central.")
        @Option var stores = 10
        @Option var orders = 10_000
        @Flag var json = false
        @Option(help: "Keep the nodes in this directory.") var keep: String?
        @Option(
            help:
                "Store processes recording at the same time (default 1: each store alone on the machine, as a shop's node runs and as the C limit's one store runs; more measure stores competing for the cores)."
        ) var parallel = 1
        @Flag(help: "Stop after set-up (with --keep: nodes ready for profiling `bench store-phase`).") var setupOnly =
            false
        @Option(
            name: .customLong("central"),
            help: "Run central on PostgreSQL: an empty database's URL (postgres://user@host:port/db; docs/POSTGRES.md)."
        )
        var database: String?
        @Option(help: "Central servers sharing the --central database; the stores are spread over them (1…8).")
        var servers = 1

        func run() async throws {
            guard (1...99).contains(stores), (1...1_000_000).contains(orders), parallel >= 1 else {
                throw ValidationError("--stores must be 1…99, --orders 1…1,000,000")
            }
            guard (1...8).contains(servers), servers == 1 || database != nil else {
                throw ValidationError("--servers must be 1…8, and more than one needs --central postgres://…")
            }
            let root = keep ?? (NSTemporaryDirectory() + "fenxiao-bench-\(ProcessInfo.processInfo.processIdentifier)")
            try? FileManager.default.removeItem(atPath: root)
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: root) } }
            let bench = RetailDayBench(
                root: root, stores: stores, orders: orders, parallel: parallel, quiet: json, setupOnly: setupOnly,
                database: database, servers: servers)
            let result: RetailDayBench.Result
            do { result = try await bench.run() } catch { throw fail(error) }
            if json {
                print(CommonOptions.encode(result))
            } else {
                print(result.table)
            }
            if !result.converged { throw ExitCode(1) }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract:
                "Days of a chain with compaction on: per day the cost of a change at the store and at central, file sizes, the log, memory.",
            discussion: """
                A real `fenxiao serve` and two stores trade for --days simulated days (the nodes' clocks \
                move a day on each day): online orders on popular SKUs reserved in s1's warehouse, member \
                sales at s2, --orders counter orders at s1, sync, a daily backup of central, compaction \
                at s1. Ends with two new stores joining — one by full pull, one from central's snapshot \
                (also every --bootstrap-every days). Exits 1 if the nodes do not converge.
                """)
        @Option(help: "Simulated days (1…365).") var days = 30
        @Option(help: "Counter orders at s1 a day.") var orders = 2000
        @Option(help: "Online orders a day at head office on five popular SKUs.") var online = 20
        @Option(name: .customLong("keep-days"), help: "The stores' log retention (1…3650).") var keepDays = 30
        @Option(
            name: .customLong("bootstrap-every"),
            help: "Also measure new stores joining every this many days (0: only on the last day).")
        var bootstrapEvery = 0
        @Option(
            name: .customLong("close-days"),
            help: "Head office's after-sale period (1…3650 days): s1 drops orders closed below the frontier.")
        var closeDays: Int?
        @Flag var json = false
        @Option(help: "Keep the nodes in this directory.") var keep: String?

        func run() async throws {
            guard (1...365).contains(days), (1...100_000).contains(orders), (0...10_000).contains(online),
                LogCompaction.keepDaysRange.contains(keepDays), (0...365).contains(bootstrapEvery),
                closeDays.map({ OrderClosing.daysRange.contains(Int64($0)) }) ?? true
            else {
                throw ValidationError(
                    "--days must be 1…365, --orders 1…100,000, --online 0…10,000, --keep-days 1…3650, --bootstrap-every 0…365, --close-days 1…3650"
                )
            }
            let root = keep ?? (NSTemporaryDirectory() + "fenxiao-history-\(ProcessInfo.processInfo.processIdentifier)")
            try? FileManager.default.removeItem(atPath: root)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: root) } }
            let bench = HistoryBench(
                root: root, days: days, orders: orders, online: online, keepDays: keepDays, closeDays: closeDays,
                bootstrapEvery: bootstrapEvery, quiet: json)
            let result: HistoryBench.Result
            do { result = try await bench.run() } catch { throw fail(error) }
            print(json ? CommonOptions.encode(result) : result.table)
            if !result.converged { throw ExitCode(1) }
        }
    }

    /// One store's offline day, run as its own process by `retail-day`.
    struct StorePhase: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "store-phase", shouldDisplay: false)
        @OptionGroup var common: CommonOptions
        @Option var store: Int
        @Option var orders: Int
        @Flag(help: "Print the statements the sales ran, by total time.") var sqlProfile = false

        func run() throws {
            let node = try common.openNode()
            let profile = StatementProfile()
            if sqlProfile { try node.store.profileStatements { profile.add($0, $1) } }
            let prices = RetailDayWorkload.prices()
            let day = RetailDayWorkload.orders(store: store, count: orders, prices: prices)
            let requests = day.map { o in
                OrderRequest(
                    lines: o.lines.map { .line(RetailDayWorkload.skuCode($0.sku), Int64($0.qty)) },
                    member: o.memberCode,
                    pay: PaymentMethod(rawValue: o.methodName))
            }
            let started = DispatchTime.now().uptimeNanoseconds
            var total: Int64 = 0
            for r in requests {
                let order = try attempt { try node.orders.create(r) }
                total += order.total_cents
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if sqlProfile {
                print(profile.table(changes: orders).replacingOccurrences(of: "a change", with: "an order"))
                return
            }
            struct Out: Encodable {
                let orders: Int; let seconds: Double; let orders_per_s: Double; let revenue_cents: Int64;
                let peak_rss_mb: Double
            }
            print(
                CommonOptions.encode(
                    Out(
                        orders: orders, seconds: seconds, orders_per_s: Double(orders) / seconds, revenue_cents: total,
                        peak_rss_mb: PeakRSS.selfMB())))
        }
    }
}

/// Peak resident memory (VmHWM) of a process, from /proc.
enum PeakRSS {
    static func mb(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    static func selfMB() -> Double { mb(pid: getpid()) }
}
