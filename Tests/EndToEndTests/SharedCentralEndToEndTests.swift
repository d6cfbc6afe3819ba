import Commerce
import FenxiaoTesting
import Foundation
import Node
import PostgresCentral
import Replication
import Storage
import SyncClient
import Testing

/// Central on PostgreSQL with several servers (docs/POSTGRES.md): two real `fenxiao serve`
/// processes, each with its own file, share one change log in a real PostgreSQL started by the
/// test. Twenty stores sync with either server at random, at once, some pushes sent to both:
/// nothing is lost, duplicated or reordered, every store's state hash equals both servers' view
/// of its scope, and the two servers hold the same state.
@Suite(.serialized) struct SharedCentralEndToEndTests {
    @discardableResult
    static func sync(_ node: FenxiaoNode, url: String) async throws -> SyncRunner {
        try node.store.setMeta(["central_url": url])
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node),
            configuration: .init(batchSize: 7, maxAttempts: 4, baseDelayMillis: 20, maxDelayMillis: 200),
            timeoutMillis: 20_000)
        _ = try await runner.run()
        return runner
    }

    /// Sends the store's own changes after `after` to `url` as a push (a retry that reached
    /// another server): returns central's answer.
    static func push(_ node: FenxiaoNode, after: Int64, to url: String) throws -> SyncWire.PushResponse {
        let token = try #require(try node.read { try $0.meta("token") })
        let changes = try node.read { try $0.ownChanges(after: after, limit: 1_000) }
        let result = try CurlHTTPClient().request(
            method: "POST", url: url + "/v1/sync/push",
            headers: [
                "Authorization": "Bearer \(token)", "Content-Type": "application/json",
                SyncWire.protocolHeader: String(SyncWire.protocolVersion),
                SyncWire.schemaHeader: String(NodeSchema.version),
            ], body: Array(SyncWire.PushRequest.encode(changes).utf8))
        #expect(result.status == 200, "\(String(decoding: result.body, as: UTF8.self))")
        return try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(result.body))
    }

    /// A store's trading for one round: stock in, sales (with a member's points every other
    /// one), now and then a refund.
    static func trade(_ s: FenxiaoNode, round: Int, rng: inout SplitMix64) throws {
        if round == 0 { _ = try s.inventory.move(sku: "TEA-01", quantity: 500, reason: .receive) }
        var sold: [String] = []
        for i in 0..<(2 + rng.below(4)) {
            var request = OrderRequest(lines: [.line("TEA-01", Int64(1 + i % 3))], pay: i % 2 == 0 ? .cash : .card)
            if rng.below(2) == 0 { request.member = "M1" }
            sold.append(try s.orders.create(request).id)
        }
        if rng.below(3) == 0, let first = sold.first {
            _ = try s.orders.refund(order: first, amount: nil, reason: "broken", restock: true)
        }
    }

    /// Server "a" of a central on PostgreSQL at `url`, made in `dir`: TEA-01 and member M1.
    static func seededCentral(_ dir: TempDirectory, url: String) throws -> FenxiaoNode {
        let a = try FenxiaoNode.initializeShared(directory: dir.sub("a"), url: url)
        try a.catalog.upsert([
            CatalogItem(sku: "TEA-01", name: "Green tea", price: Money(cents: 1250), category: "Drinks/Tea")
        ])
        _ = try a.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        return a
    }

    /// Stores s1…sN made in `dir`, the i-th (from 0) enrolled through `server(i)`; not synced.
    static func enrolledStores(_ count: Int, in dir: TempDirectory, through server: (Int) -> FenxiaoNode) throws
        -> [FenxiaoNode]
    {
        try (1...count).map { i in
            let name = "s\(i)"
            let token = try server(i - 1).sync.enroll(node: name, warehouses: [])
            let node = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
            try node.store.setMeta(["token": token])
            return node
        }
    }

    @Test func twoServersOnOnePostgreSQLServeTwentyStoresAndAgree() async throws {
        let pg = try PostgresCluster("shared")
        defer { pg.remove() }
        try await withTempDirectory("shared-central") { dir in
            // Server a is made here and writes the catalog; server b by the command, after it.
            let a = try Self.seededCentral(dir, url: pg.url)
            let initB = try FenxiaoBinary.run([
                "init", "--role", "central", "--node", "central", "--database", pg.url, "--data", dir.sub("b"),
            ])
            #expect(initB.status == 0, "\(initB.stderr)")
            let b = try FenxiaoNode.open(directory: dir.sub("b"))
            #expect(try b.read { try $0.register(.product, "TEA-01") } != nil, "b starts with what a wrote")

            let serverA = try ServerProcess(data: dir.sub("a"))
            defer { serverA.stop() }
            let serverB = try ServerProcess(data: dir.sub("b"))
            defer { serverB.stop() }
            let urls = [serverA.url, serverB.url]

            // Half the stores are enrolled through a, half through b: a token works on both.
            let stores = try Self.enrolledStores(20, in: dir) { $0 % 2 == 0 ? a : b }

            // Each store's first sync (the catalog, its warehouse) with either server: a blank
            // store starts from the server's snapshot of its scopes (PROTOCOL §8.9).
            for (i, s) in stores.enumerated() {
                let first = try await Self.sync(s, url: urls[i % 2])
                #expect(first.snapshot != nil, "\(s.identity.node) pulled everything instead")
            }

            let rounds = 4
            var retried = 0
            for round in 0..<rounds {
                var rngs = stores.indices.map { SplitMix64(seed: UInt64(round * 100 + $0 + 1)) }
                for (i, s) in stores.enumerated() { try Self.trade(s, round: round, rng: &rngs[i]) }
                // Every store syncs at once, each with a server picked at random.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (i, s) in stores.enumerated() {
                        let url = urls[rngs[i].below(2)]
                        group.addTask { _ = try await Self.sync(s, url: url) }
                    }
                    try await group.waitForAll()
                }
                // A push retried on the other server: all duplicates, nothing applied again.
                for (i, s) in stores.enumerated() where (i + round) % 5 == 0 {
                    let answer = try Self.push(s, after: 0, to: urls[(i + round) % 2])
                    #expect(answer.applied == 0 && answer.duplicates > 0, "\(answer)")
                    retried += 1
                }
            }
            #expect(retried > 0)
            // Quiescence: every store syncs with both servers once more.
            for url in urls { for s in stores { _ = try await Self.sync(s, url: url) } }
            for url in urls.reversed() { for s in stores { _ = try await Self.sync(s, url: url) } }

            // The shared log: positions 1…N without holes, each store's seqs held once, all of them.
            let pgc = try PGConnection(url: pg.url)
            let log = try pgc.query("SELECT COUNT(*), MIN(pos), MAX(pos), COUNT(DISTINCT pos) FROM change_log")
            let row = try #require(log.first)
            #expect(row[0] == row[2] && row[1] == "1" && row[0] == row[3], "\(row)")
            for s in stores {
                let held = try s.read { try $0.heldSeq(of: s.identity.node) }
                let shared = try pgc.query(
                    "SELECT COUNT(*), MAX(seq) FROM change_log WHERE origin = $1", [s.identity.node.rawValue]
                ).first
                #expect(shared?[0] == String(held) && shared?[1] == String(held), "\(s.identity.node): \(held)")
            }

            // Both servers caught up hold the same state; every store equals their view of its scope.
            try a.store.catchUpShared()
            try b.store.catchUpShared()
            let total = Int(row[0] ?? "") ?? -1
            #expect(try a.read { try $0.changeCount() } == total)
            #expect(try b.read { try $0.changeCount() } == total)
            #expect(try a.sync.status().state_hash == b.sync.status().state_hash)
            for s in stores {
                let name = s.identity.node.rawValue
                let hash = try s.sync.status().state_hash
                #expect(hash == (try a.sync.status(scopeOf: name).state_hash), "\(name) against a")
                #expect(hash == (try b.sync.status(scopeOf: name).state_hash), "\(name) against b")
            }
            // Across backends: a single SQLite central given the shared log's changes computes
            // the same scope hashes (`fenxiao status --scope-of`).
            let sqlite = try NodeStore.create(
                directory: dir.sub("sqlite-central"), identity: NodeIdentity(node: .central, role: .central))
            let shared = try PGSharedLog(url: pg.url)
            _ = try sqlite.applyRemote(try shared.changes(after: 0, limit: 1_000_000).map(\.change))
            for s in stores {
                let name = s.identity.node.rawValue
                #expect(
                    try sqlite.read { try $0.stateHash(scopeOf: s.identity.node) }
                        == a.sync.status(scopeOf: name).state_hash, "\(name): the backends disagree")
            }
            // Housekeeping runs on one server: the one holding the advisory lock; when it dies,
            // the other takes over at its next round.
            let holder = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 1180194114 AND granted"
            let first = try pgc.query(holder)
            #expect(first.count == 1, "\(first)")
            serverA.kill()
            var next: [[String?]] = []
            for _ in 0..<200 {  // bounded: 20 s (a round every 5 s)
                next = try pgc.query(holder)
                if next.count == 1 && next != first { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(next.count == 1 && next != first, "no server took housekeeping over: \(next)")
            // The member's points: every store's sales to M1 counted once, the same everywhere.
            let points = try a.read { try $0.balance(member: "M1", account: "points") }
            #expect(points > 0)
            #expect(try b.read { try $0.balance(member: "M1", account: "points") } == points)
        }
    }
}
