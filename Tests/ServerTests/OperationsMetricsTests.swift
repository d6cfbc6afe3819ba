import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Replication
import Server
import Testing

/// `GET /metrics` (issue 20): counters moved by a real push by the right amounts, gauges read
/// at scrape time, the token asked for, and one registry per server.
@Suite struct OperationsMetricsTests {
    static let token = "metrics-token-0123456789abcdef"

    func scrape(_ client: some TestClientProtocol, token: String? = Self.token) async throws -> (
        HTTPResponse.Status, PromText
    ) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/metrics", method: .get, headers: headers) { r in
            (r.status, PromText(String(buffer: r.body)))
        }
    }

    @Test func aRealPushMovesTheCountersByItsChanges() async throws {
        let shop = try OpsShop("ops-metrics")
        defer { shop.dir.remove() }
        let server = FenxiaoServer(node: shop.central, metrics: ServerMetrics(token: Self.token))
        try await Application(router: server.router(), logger: shop.logger).test(.live) { client in
            let port = try #require(client.port)
            let first = try await shop.sync(port: port, fullPull: true)  // the first pull of central's catalog
            let (status, before) = try await scrape(client)
            #expect(status == .ok)
            _ = try shop.store.members.upsert(id: "M1", name: "Li", phone: "13900000001")
            _ = try shop.store.members.upsert(id: "M2", name: "Wang", phone: "13900000002")
            let summary = try await shop.sync(port: port)
            #expect(summary.pushed >= 2)
            let (_, after) = try await scrape(client)

            let s1 = ["store": "s1"]
            #expect(
                after["fenxiao_push_changes_total", s1] - before["fenxiao_push_changes_total", s1]
                    == Double(summary.pushed))
            #expect(after["fenxiao_pushes_total", s1] - before["fenxiao_pushes_total", s1] == 1)
            #expect(after["fenxiao_push_conflicts_total", s1] == 0)
            let push = ["route": "/v1/sync/push", "method": "POST", "status": "200"]
            #expect(after["fenxiao_http_requests_total", push] - before["fenxiao_http_requests_total", push] == 1)
            #expect(
                after["fenxiao_push_duration_seconds_count", [:]] - before["fenxiao_push_duration_seconds_count", [:]]
                    == 1)
            #expect(
                after["fenxiao_pull_changes_total", s1] - before["fenxiao_pull_changes_total", s1]
                    == Double(summary.pulled))
            #expect(
                before["fenxiao_pull_changes_total", s1] > 0,
                "the catalog came down in the first sync (\(first.pulled) pulled); scraped: \(before.samples.filter { $0.name.contains("pull") })"
            )
            // Scrape-time gauges.
            #expect((0..<60).contains(after["fenxiao_store_last_sync_age_seconds", s1]))
            #expect(after["fenxiao_store_changes_waiting", s1] == 0)
            #expect(after["fenxiao_stores", [:]] == 1)
            #expect(after["fenxiao_database_bytes", [:]] > 0)
            #expect(after.has("fenxiao_wal_bytes") && after.has("fenxiao_webhook_outbox_pending"))
            #expect(after.has("fenxiao_store_clock_offset_seconds"))
            #expect(after["fenxiao_http_requests_total", ["route": "/metrics", "status": "200"]] >= 1)
        }
    }

    @Test func metricsAskForTheTokenOnTheMainPort() async throws {
        let shop = try OpsShop("ops-metrics-token")
        defer { shop.dir.remove() }
        let server = FenxiaoServer(node: shop.central, metrics: ServerMetrics(token: Self.token))
        try await Application(router: server.router()).test(.router) { client in
            let missing = try await scrape(client, token: nil).0
            let wrong = try await scrape(client, token: "wrong-token-0123456789abcdef").0
            let right = try await scrape(client).0
            #expect(missing == .unauthorized && wrong == .unauthorized && right == .ok)
        }
        // Without a token, the main port has no /metrics; the loopback metrics router serves it.
        let open = FenxiaoServer(node: shop.central, metrics: ServerMetrics())
        try await Application(router: open.router()).test(.router) { client in
            let status = try await scrape(client, token: nil).0
            #expect(status == .notFound)
        }
        try await Application(router: open.metricsRouter()).test(.router) { client in
            let (status, text) = try await scrape(client, token: nil)
            #expect(status == .ok)
            #expect(text["fenxiao_stores", [:]] == 1)
        }
    }

    @Test func theOutboxBacklogAndOpenStoresAreReadAtScrapeTime() async throws {
        let shop = try OpsShop("ops-metrics-backlog")
        defer { shop.dir.remove() }
        _ = try shop.central.members.upsert(id: "M1", name: "Li", phone: "13900000001")
        _ = try shop.central.members.upsert(id: "M2", name: "Wang", phone: "13900000002")
        let server = FenxiaoServer(node: shop.central, metrics: ServerMetrics())
        try await Application(router: server.metricsRouter()).test(.router) { client in
            let before = try await scrape(client, token: nil).1
            #expect(
                try shop.central.marketing.sendCampaign(kind: .recall, message: "hi", members: ["M1", "M2"]).sent == 2)
            let after = try await scrape(client, token: nil).1
            #expect(after["fenxiao_webhook_outbox_pending", [:]] - before["fenxiao_webhook_outbox_pending", [:]] == 2)
            #expect(after["fenxiao_store_last_sync_age_seconds", ["store": "s1"]] == -1, "s1 never synced")
            #expect(after["fenxiao_stability_frontier_age_seconds", [:]] == -1, "s1 never promised: no frontier")
            // Once every store has promised (with a pull), the frontier's age is measured.
            for store in try shop.central.sync.peers() where store.role == "store" {
                _ = try shop.central.sync.servePull(
                    to: try #require(NodeID(store.node)), after: 0, limit: 1,
                    stable: HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0))
            }
            let age = try await scrape(client, token: nil).1["fenxiao_stability_frontier_age_seconds", [:]]
            #expect(age >= 0 && age < 600, "\(age)")
        }
    }

    @Test func twoServersInOneProcessCountApart() async throws {
        let shop = try OpsShop("ops-metrics-two")
        defer { shop.dir.remove() }
        let a = FenxiaoServer(node: shop.central, metrics: ServerMetrics())
        let b = FenxiaoServer(node: shop.central, metrics: ServerMetrics())
        try await Application(router: a.router()).test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/v1/health", method: .get) { _ in } }
        }
        let health = ["route": "/v1/health", "status": "200"]
        try await Application(router: a.metricsRouter()).test(.router) { client in
            let text = try await scrape(client, token: nil).1
            #expect(text["fenxiao_http_requests_total", health] == 3)
        }
        try await Application(router: b.metricsRouter()).test(.router) { client in
            let text = try await scrape(client, token: nil).1
            #expect(text["fenxiao_http_requests_total", health] == 0)
        }
    }
}

/// The Prometheus text format, read back: the sum of the samples of `name` whose labels
/// include `labels` (0 when none).
struct PromText {
    let samples: [(name: String, labels: [String: String], value: Double)]

    init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                let value = Double(line[line.index(after: space)...])
            else { return nil }
            let key = line[..<space]
            guard let brace = key.firstIndex(of: "{") else { return (String(key), [:], value) }
            var labels: [String: String] = [:]
            for pair in key[key.index(after: brace)..<(key.lastIndex(of: "}") ?? key.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { labels[String(parts[0])] = parts[1].trimmingCharacters(in: ["\""]) }
            }
            return (String(key[..<brace]), labels, value)
        }
    }

    subscript(_ name: String, _ labels: [String: String]) -> Double {
        samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }.reduce(0) {
            $0 + $1.value
        }
    }

    func has(_ name: String) -> Bool { samples.contains { $0.name == name } }
}
