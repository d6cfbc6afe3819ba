import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Real `fenxiao serve` processes on 127.0.0.1 and real libcurl clients.
@Suite(.serialized) struct SyncEndToEndTests {
    struct Cluster {
        let dir: TempDirectory
        let central: FenxiaoNode
        let server: ServerProcess
        var stores: [String: FenxiaoNode] = [:]
        var tokens: [String: String] = [:]

        init(stores names: [String], serverArgs: [String] = []) throws {
            dir = TempDirectory("e2e")
            central = try Fixtures.central(in: dir)
            _ = try central.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
            for n in names { tokens[n] = try central.sync.enroll(node: n, warehouses: []) }
            server = try ServerProcess(data: dir.sub("central"), extraArgs: serverArgs)
            for n in names {
                let node = try FenxiaoNode.initialize(directory: dir.sub(n), node: n, role: .store)
                try node.store.setMeta(["central_url": server.url, "token": tokens[n] ?? ""])
                stores[n] = node
            }
        }

        func sync(
            _ name: String, batch: Int = 1000, fullPull: Bool = false, progress: ((Int, Int, Int) -> Void)? = nil
        ) async throws -> SyncSession.Summary {
            let node = try #require(stores[name])
            let runner = try SyncRunner(
                node: node, link: try SyncRunner.link(of: node),
                configuration: .init(batchSize: batch, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
                timeoutMillis: 5000)
            runner.progress = progress
            runner.startFromSnapshot = !fullPull
            return try await runner.run()
        }

        func client() throws -> CurlHTTPClient {
            try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
        }

        func headers(_ token: String?, proto: Int = SyncWire.protocolVersion, schema: Int = NodeSchema.version)
            -> [String: String]
        {
            var h = [
                SyncWire.protocolHeader: String(proto), SyncWire.schemaHeader: String(schema),
                "Content-Type": "application/json",
            ]
            if let token { h["Authorization"] = "Bearer \(token)" }
            return h
        }

        func stop() {
            server.stop()
            dir.remove()
        }
    }

    @Test func threeStoresConvergeWithCentral() async throws {
        var cluster = try Cluster(stores: ["s1", "s2", "s3"])
        defer { cluster.stop() }
        for s in ["s1", "s2", "s3"] { _ = try await cluster.sync(s) }
        let s1 = try #require(cluster.stores["s1"]), s2 = try #require(cluster.stores["s2"])
        _ = try s1.inventory.move(sku: "BUN-01", quantity: 5, reason: .receive)
        _ = try s1.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        _ = try await cluster.sync("s1")
        _ = try await cluster.sync("s2")
        // Offline: both stores edit the member and sell.
        _ = try s1.members.upsert(id: "M1", name: "Li Wei", phone: nil, region: "east")
        _ = try s2.members.upsert(id: "M1", name: nil, phone: nil, region: "west")  // s2 may not rename s1's member
        _ = try s1.orders.create(OrderRequest(lines: [.line("BUN-01", 2)], member: "M1", pay: .cash))
        for _ in 0..<2 { for s in ["s1", "s2", "s3"] { _ = try await cluster.sync(s) } }
        for s in ["s1", "s2", "s3"] {
            let node = try #require(cluster.stores[s])
            #expect(
                try node.sync.status().state_hash == cluster.central.sync.status(scopeOf: s).state_hash, "\(s) diverged"
            )
        }
        #expect(try cluster.central.sync.conflicts().contains { $0.rule == "concurrent_edit" })
        #expect(try s2.members.find("M1").points == 7)
    }

    @Test func interruptedPushAndPullResumeWithoutLossOrDuplicates() async throws {
        var cluster = try Cluster(stores: ["s1"])
        defer { cluster.stop() }
        try cluster.central.catalog.upsert(
            (1...40).map { CatalogItem(sku: "P-\($0)", name: "p\($0)", price: Money(cents: 100)) })
        let s1 = try #require(cluster.stores["s1"])
        // Mid-pull: kill central after the first page.
        let server = cluster.server
        await #expect(throws: NodeError.self) {
            _ = try await cluster.sync("s1", batch: 10, fullPull: true) { _, _, pulled in
                if pulled >= 10 { server.kill() }
            }
        }
        let cursorAfterCrash = try s1.read { try $0.meta("pull_cursor") }
        #expect(cursorAfterCrash != nil)
        let restarted = try ServerProcess(data: cluster.dir.sub("central"))
        defer { restarted.stop() }
        try s1.store.setMeta(["central_url": restarted.url])
        _ = try await cluster.sync("s1", batch: 10)
        #expect(try s1.catalog.list().count == 43)
        // Mid-push: 30 movements pushed in batches of 10, central killed after the first ack.
        for i in 0..<30 { _ = try s1.inventory.move(sku: "P-\(i + 1)", quantity: 1, reason: .receive) }
        await #expect(throws: NodeError.self) {
            _ = try await cluster.sync("s1", batch: 10) { pushed, _, _ in if pushed >= 10 { restarted.kill() } }
        }
        let acked = Int64(try s1.read { try $0.meta("acked_seq") } ?? "0") ?? 0
        #expect(acked >= 10 && acked < 30)
        let third = try ServerProcess(data: cluster.dir.sub("central"))
        defer { third.stop() }
        try s1.store.setMeta(["central_url": third.url])
        let resumed = try await cluster.sync("s1", batch: 10)
        #expect(Int64(resumed.pushed) == 30 - acked, "acknowledged batches must not be re-sent")
        #expect(try cluster.central.sync.status(scopeOf: "s1").state_hash == s1.sync.status().state_hash)
        #expect(
            try s1.read { try $0.ownChangeCount(after: 0) }
                == Int(try cluster.central.store.heldSeq(of: s1.identity.node)))
    }

    @Test func replayedBatchChangesNothing() async throws {
        var cluster = try Cluster(stores: ["s1"])
        defer { cluster.stop() }
        let s1 = try #require(cluster.stores["s1"])
        _ = try await cluster.sync("s1")
        _ = try s1.inventory.move(sku: "TEA-01", quantity: 3, reason: .receive)
        _ = try await cluster.sync("s1")
        let hash = try cluster.central.sync.status().state_hash
        let changes = try s1.read { try $0.ownChanges(after: 0, limit: 100) }
        let http = try cluster.client()
        let r = try http.request(
            method: "POST", url: cluster.server.url + "/v1/sync/push", headers: cluster.headers(cluster.tokens["s1"]),
            body: Array(SyncWire.PushRequest.encode(changes).utf8))
        #expect(r.status == 200)
        #expect(r.text.contains("\"duplicates\":\(changes.count)"))
        #expect(try cluster.central.sync.status().state_hash == hash)
    }

    /// A push larger than central's body limit (`serve --max-body-mb 1`, below the 4 MiB a
    /// store sends at most) is halved until central takes it: nothing is refused for size.
    @Test func aPushOverCentralsBodyLimitIsSplitUntilItFits() async throws {
        var cluster = try Cluster(stores: ["s1"], serverArgs: ["--max-body-mb", "1"])
        defer { cluster.stop() }
        let s1 = try #require(cluster.stores["s1"])
        _ = try await cluster.sync("s1")
        let note = String(repeating: "备", count: 300)  // 900 bytes in every movement
        try s1.inventory.receive(
            Array(repeating: (sku: "TEA-01", warehouse: "s1", qty: Int64(1)), count: 1500), note: note)
        let pending = try s1.read { try $0.ownChangesBody(after: 0, limit: 5000) }
        #expect(pending.body.count > 1024 * 1024, "the push must not fit in central's limit")
        let summary = try await cluster.sync("s1", batch: 5000)
        #expect(summary.pushed == pending.count)
        #expect(
            try cluster.central.read { try $0.stockLevels(sku: "TEA-01") }.first { $0.warehouse == "s1" }?.on_hand
                == 1500)
        #expect(try s1.sync.status().state_hash == cluster.central.sync.status(scopeOf: "s1").state_hash)
    }

    @Test func badRequestsAreRefusedAndApplyNothing() async throws {
        var cluster = try Cluster(stores: ["s1", "s2"], serverArgs: ["--max-body-mb", "1"])
        defer { cluster.stop() }
        let s1 = try #require(cluster.stores["s1"])
        _ = try await cluster.sync("s1")
        _ = try s1.inventory.move(sku: "TEA-01", quantity: 3, reason: .receive)
        _ = try s1.inventory.move(sku: "BUN-01", quantity: 4, reason: .receive)
        let changes = try s1.read { try $0.ownChanges(after: 0, limit: 100) }
        #expect(changes.count == 2)
        let body = Array(SyncWire.PushRequest.encode(changes).utf8)
        let url = cluster.server.url + "/v1/sync/push"
        let http = try cluster.client()
        let before = try cluster.central.sync.status().state_hash

        // Wrong token.
        #expect(try http.request(method: "POST", url: url, headers: cluster.headers("nope"), body: body).status == 401)
        #expect(try http.request(method: "POST", url: url, headers: cluster.headers(nil), body: body).status == 401)
        // Forged origin: s2 pushes s1's changes.
        let forged = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s2"]), body: body)
        #expect(forged.status == 403)
        #expect(forged.text.contains("claims origin s1"))
        // A store authoring a price.
        var price = try #require(changes.first)
        price.kind = .sku
        price.entity = "TEA-01"
        price.fields = ["price_cents": 1]
        price.scope = .global
        let priced = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]),
            body: Array(SyncWire.PushRequest.encode([price]).utf8))
        #expect(priced.status == 403)
        // A gap.
        let gap = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]),
            body: Array(SyncWire.PushRequest.encode(Array(changes.dropFirst())).utf8))
        #expect(gap.status == 409)
        #expect(gap.text.contains("seq 1 is missing"))
        // Malformed JSON, wrong types, unknown kind, negative seq.
        for junk in [
            "{", "[]", "{\"changes\": 5}", "{\"changes\":[{\"origin\":\"s1\",\"seq\":1,\"kind\":\"bogus\"}]}",
            "{\"changes\":[{\"origin\":\"s1\",\"seq\":1.5e300}]}",
        ] {
            let r = try http.request(
                method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]), body: Array(junk.utf8))
            #expect(r.status == 400, "\(junk) → \(r.status)")
            #expect(r.text.contains("\"error\""))
        }
        // An oversized field value and a deeply nested one (within the body limit).
        var huge = try #require(changes.first)
        huge.fields["note"] = .string(String(repeating: "x", count: 5000))
        let hugeField = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]),
            body: Array(SyncWire.PushRequest.encode([huge]).utf8))
        #expect(hugeField.status == 400 && hugeField.text.contains("at most 4096"))
        var deep = try #require(changes.first)
        deep.fields["note"] = (0..<12).reduce(JSONValue.int(1)) { inner, _ in .array([inner]) }
        let deepField = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]),
            body: Array(SyncWire.PushRequest.encode([deep]).utf8))
        #expect(deepField.status == 400 && deepField.text.contains("nests too deeply"))
        // Oversized body (limit 1 MiB here).
        let big = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]),
            body: [UInt8](repeating: 32, count: 2 * 1024 * 1024))
        #expect(big.status == 413)
        // Schema/protocol version mismatch.
        let old = try http.request(
            method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"], schema: 0), body: body)
        #expect(old.status == 409)
        #expect(old.text.contains("upgrade the store"))
        let newer = try http.request(
            method: "GET", url: cluster.server.url + "/v1/sync/pull?after=0",
            headers: cluster.headers(cluster.tokens["s1"], proto: 99))
        #expect(newer.status == 409)
        #expect(newer.text.contains("upgrade central"))
        // Revoked store.
        try cluster.central.sync.revoke(node: "s2")
        let revoked = try http.request(
            method: "GET", url: cluster.server.url + "/v1/sync/pull?after=0",
            headers: cluster.headers(cluster.tokens["s2"]))
        #expect(revoked.status == 401)
        #expect(revoked.text.contains("revoked"))

        #expect(try cluster.central.sync.status().state_hash == before, "refused requests must change nothing")
        // The server is still up and the honest push works.
        #expect(
            try http.request(method: "POST", url: url, headers: cluster.headers(cluster.tokens["s1"]), body: body)
                .status == 200)
        #expect(try http.request(method: "GET", url: cluster.server.url + "/v1/health").status == 200)
    }
}
