import CoreMetrics
import Foundation
import Node
import Prometheus
import Replication
import Storage

/// Central's Prometheus metrics (`GET /metrics`, text format 0.0.4), through swift-metrics
/// with swift-prometheus behind it.
///
/// Each server holds its own registry and hands its factory to every metric explicitly
/// (`Counter(label:dimensions:factory:)`): `MetricsSystem.bootstrap` is process-global and
/// may run once, while tests start several centrals in one process. Counters and histograms
/// move as requests are served; the gauges about stores, conflicts, files and the outbox are
/// read from the database at each scrape (``scrape(_:now:)``).
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Bearer token `/metrics` asks for (nil: none, for the loopback-only metrics port).
    let token: String?
    /// Label sets a scrape has set: set to 0 when they vanish (a resolved kind, a revoked store).
    private let seen = ScrapeLabels()

    public init(token: String? = nil) {
        self.token = token
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        factory.defaultValueHistogramBuckets = [1, 10, 100, 500, 1000, 2500, 5000, 10_000, 25_000]
        self.factory = factory
    }

    /// One served request: `fenxiao_http_requests_total{route,method,status}` and
    /// `fenxiao_http_request_duration_seconds{route}`. `route` is the route's template
    /// (`/v1/sync/push`, `NotFound`), never the raw path.
    func request(route: String, method: String, status: Int, duration: Duration) {
        Counter(
            label: "fenxiao_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).increment()
        Timer(label: "fenxiao_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// One push central applied.
    func push(store: String, changes: Int, conflicts: Int, duration: Duration) {
        Counter(label: "fenxiao_push_changes_total", dimensions: [("store", store)], factory: factory)
            .increment(by: changes)
        Counter(label: "fenxiao_pushes_total", dimensions: [("store", store)], factory: factory).increment()
        Counter(label: "fenxiao_push_conflicts_total", dimensions: [("store", store)], factory: factory)
            .increment(by: conflicts)
        Timer(label: "fenxiao_push_duration_seconds", dimensions: [], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
        Recorder(label: "fenxiao_push_batch_changes", dimensions: [], factory: factory).record(changes)
    }

    /// One pull page central served.
    func pull(store: String, changes: Int, duration: Duration) {
        Counter(label: "fenxiao_pull_changes_total", dimensions: [("store", store)], factory: factory)
            .increment(by: changes)
        Counter(label: "fenxiao_pulls_total", dimensions: [("store", store)], factory: factory).increment()
        Timer(label: "fenxiao_pull_duration_seconds", dimensions: [], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Reads the gauges from `node` at `now` (ms) and returns the whole text exposition.
    func scrape(_ node: FenxiaoNode, now: Int64) throws(NodeError) -> String {
        let peers = try node.sync.peers().filter { $0.role == "store" && !$0.revoked }
        var stores: [String: (age: Double?, waiting: Int64, offset: Double?)] = [:]
        for p in peers {
            let last = [p.last_push, p.last_pull].compactMap { $0 }.max()
            stores[p.node] = (
                last.map { Double(max(0, now - $0)) / 1000 }, p.lag, p.clock_offset_ms.map { Double($0) / 1000 }
            )
        }
        for store in seen.update("store", Set(stores.keys)) {
            let s = stores[store]
            // A store that never synced reports its age as -1 (an alert rule tells "never" apart).
            gauge("fenxiao_store_last_sync_age_seconds", ("store", store), s.map { $0.age ?? -1 } ?? 0)
            gauge("fenxiao_store_changes_waiting", ("store", store), Double(s?.waiting ?? 0))
            gauge("fenxiao_store_clock_offset_seconds", ("store", store), s?.offset ?? 0)
        }
        let open = Dictionary(grouping: try node.sync.conflicts(status: .open), by: \.rule).mapValues(\.count)
        for kind in seen.update("kind", Set(open.keys)) {
            gauge("fenxiao_conflicts_open", ("kind", kind), Double(open[kind] ?? 0))
        }
        gauge("fenxiao_stores", nil, Double(peers.count))
        if node.identity.role == .central {
            // How far history lags behind now (docs/STABILITY.md); −1 while a store never promised.
            let frontier = try node.sync.frontier().hlc
            gauge(
                "fenxiao_stability_frontier_age_seconds", nil,
                frontier > 0 ? Double(max(0, now - HLC(rawValue: frontier).wallMillis)) / 1000 : -1)
        }
        let database = (node.store.directory as NSString).appendingPathComponent(NodeDatabase.fileName)
        gauge("fenxiao_database_bytes", nil, Double(Self.fileSize(database)))
        gauge("fenxiao_wal_bytes", nil, Double(Self.fileSize(database + "-wal")))
        let backlog = try node.read { try $0.outboxBacklog() }
        gauge("fenxiao_webhook_outbox_pending", nil, Double(backlog))
        return registry.emitToString()
    }

    func gauge(_ name: String, _ label: (String, String)?, _ value: Double) {
        Gauge(label: name, dimensions: label.map { [$0] } ?? [], factory: factory).record(value)
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
