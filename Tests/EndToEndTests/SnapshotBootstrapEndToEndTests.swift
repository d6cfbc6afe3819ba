import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Snapshot bootstrap between real nodes: a real `fenxiao serve` on 127.0.0.1, real libcurl, the
/// `fenxiao join` command. A store joining a chain with history starts from central's snapshot
/// of its scopes and ends equal to a store that pulled every change, through late sales of a
/// store that was offline when the snapshot was made.
@Suite(.serialized) struct SnapshotBootstrapEndToEndTests {
    static func sync(_ node: FenxiaoNode, snapshot: Bool = true) async throws -> SyncRunner {
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node),
            configuration: .init(batchSize: 200, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
            timeoutMillis: 30_000)
        runner.startFromSnapshot = snapshot
        _ = try await runner.run()
        return runner
    }

    static func hash(_ node: FenxiaoNode) throws -> String { try node.sync.status().state_hash }

    static func sell(_ node: FenxiaoNode, _ sku: String, times: Int, member: String?) throws -> [String] {
        try (0..<times).map { i in
            var request = OrderRequest(lines: [.line(sku, Int64(1 + i % 2))], pay: i % 2 == 0 ? .cash : .card)
            request.member = member
            return try node.orders.create(request).id
        }
    }

    /// s1 and s2 joined to the central served at `url` and a day of trading, synced: sales with
    /// points, a refund, global points entries at two stores. Returns s1's sales.
    static func tradedDay(central: FenxiaoNode, dir: TempDirectory, url: String) async throws -> (
        FenxiaoNode, FenxiaoNode, [String]
    ) {
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        let stores = try Fixtures.joinedStores(["s1", "s2"], central: central, in: dir, url: url)
        let s1 = try #require(stores["s1"]), s2 = try #require(stores["s2"])
        for s in [s1, s2] { _ = try await Self.sync(s) }
        _ = try s1.inventory.move(sku: "TEA-01", quantity: 200, reason: .receive)
        _ = try s2.inventory.move(sku: "MUG-01", quantity: 20, reason: .receive)
        let sold = try Self.sell(s1, "TEA-01", times: 12, member: "M1")
        _ = try s1.orders.refund(order: sold[1], amount: nil, reason: "broken", restock: true)
        _ = try Self.sell(s2, "MUG-01", times: 3, member: "M1")
        for s in [s1, s2, s1] { _ = try await Self.sync(s) }
        return (s1, s2, sold)
    }

    @Test func aNewStoreJoinsFromASnapshotAndEqualsOneThatPulledEverything() async throws {
        try await withCentral("snapshot-e2e") { central, dir in
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let (s1, s2, _) = try await Self.tradedDay(central: central, dir: dir, url: server.url)
            // s1 goes on selling offline (its promise stays where it was); s2 syncs more.
            _ = try Self.sell(s1, "TEA-01", times: 3, member: "M1")
            _ = try Self.sell(s2, "MUG-01", times: 2, member: "M1")
            _ = try await Self.sync(s2)

            // s3 joins by the command (a snapshot); s4 pulls every change.
            let t3 = try central.sync.enroll(node: "s3", warehouses: [])
            let t4 = try central.sync.enroll(node: "s4", warehouses: [])
            let s3Dir = dir.sub("s3")
            #expect(try FenxiaoBinary.run(["init", "--role", "store", "--node", "s3", "--data", s3Dir]).status == 0)
            let tokenFile = dir.sub("t3.txt")
            try Data(t3.utf8).write(to: URL(fileURLWithPath: tokenFile))
            let joined = try FenxiaoBinary.run(
                ["join", "--url", server.url, "--token-file", tokenFile, "--data", s3Dir, "--json"])
            #expect(joined.status == 0, "\(joined.stderr)")
            let manifest = try #require(joined.json?["snapshot"] as? [String: Any], "\(joined.stdout)")
            #expect((manifest["rows"] as? Int ?? 0) > 0 && (manifest["cursor"] as? Int ?? 0) > 0, "\(manifest)")
            let s4 = try FenxiaoNode.initialize(directory: dir.sub("s4"), node: "s4", role: .store)
            try s4.store.setMeta(["central_url": server.url, "token": t4])
            let full = try await Self.sync(s4, snapshot: false)
            #expect(full.snapshot == nil)
            let s3 = try FenxiaoNode.open(directory: s3Dir)
            #expect(try Self.hash(s3) == central.sync.status(scopeOf: "s3").state_hash)
            #expect(try Self.hash(s3) == Self.hash(s4), "no rows in either store's own scope: same state")
            let logs = (s3: try s3.read { try $0.changeCount() }, s4: try s4.read { try $0.changeCount() })
            #expect(logs.s3 < logs.s4, "settled records are rows only: \(logs)")
            #expect(try s3.members.points(of: "M1") == central.members.points(of: "M1"))

            // s1's offline sales — stamped before the snapshot — reach central, then s3 and s4.
            _ = try await Self.sync(s1)
            for s in [s3, s4] { _ = try await Self.sync(s) }
            #expect(try Self.hash(s3) == central.sync.status(scopeOf: "s3").state_hash)
            #expect(try Self.hash(s3) == Self.hash(s4))
            #expect(try s3.members.points(of: "M1") == central.members.points(of: "M1"))
            #expect(try s3.read { try $0.consistencyProblems() } == [])

            // s3 trades: its own changes push and converge; a second sync is no new snapshot.
            _ = try s3.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            _ = try Self.sell(s3, "TEA-01", times: 2, member: "M1")
            let again = try await Self.sync(s3)
            #expect(again.snapshot == nil)
            #expect(try Self.hash(s3) == central.sync.status(scopeOf: "s3").state_hash)
            #expect(try s3.members.points(of: "M1") == central.members.points(of: "M1"))

            // A re-pull from the start (what `recover` does) applies nothing twice.
            try s3.store.setMeta(["pull_cursor": "0"])
            _ = try await Self.sync(s3)
            #expect(try Self.hash(s3) == central.sync.status(scopeOf: "s3").state_hash)
            #expect(try s3.read { try $0.consistencyProblems() } == [])
            let check = try FenxiaoBinary.run(["debug", "check", "--data", s3Dir])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

            // A store central holds changes of gets no snapshot: it recovers instead.
            #expect(throws: NodeError.self) { _ = try central.sync.snapshot(for: Fixture.node("s1")) }
        }
    }

    @Test func aStoreThatLostItsFileRejoinsFromASnapshotWithItsOwnChanges() async throws {
        try await withCentral("snapshot-rejoin") { central, dir in
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let (s1, _, sold) = try await Self.tradedDay(central: central, dir: dir, url: server.url)
            let held = try central.read { try $0.heldSeq(of: Fixture.node("s1")) }
            let stock = try s1.inventory.levels(sku: "TEA-01")
            let order = try s1.orders.find(sold[2])

            // The shop's PC dies: no file, no backup. Head office issues a new token; the new
            // PC starts an empty node with the same name and joins.
            try FileManager.default.removeItem(atPath: dir.sub("s1"))
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let s1Dir = dir.sub("s1")
            #expect(try FenxiaoBinary.run(["init", "--role", "store", "--node", "s1", "--data", s1Dir]).status == 0)
            let tokenFile = dir.sub("t1.txt")
            try Data(token.utf8).write(to: URL(fileURLWithPath: tokenFile))
            let joined = try FenxiaoBinary.run([
                "join", "--url", server.url, "--token-file", tokenFile, "--data", s1Dir,
            ])
            #expect(joined.status == 0, "\(joined.stdout)\(joined.stderr)")
            #expect(joined.stdout.contains("started from central's snapshot"), "\(joined.stdout)")

            let back = try FenxiaoNode.open(directory: s1Dir)
            #expect(try Self.hash(back) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try back.inventory.levels(sku: "TEA-01") == stock)
            #expect(try back.orders.find(sold[2]) == order, "its orders, lines and payments are back")
            #expect(try back.read { try $0.heldSeq(of: Fixture.node("s1")) } == held, "its own changes are back")
            #expect(try back.read { try $0.meta("acked_seq") } == String(held))
            #expect(try back.read { try $0.consistencyProblems() } == [])

            // It sells on: new seqs continue after what central holds, and converge.
            _ = try Self.sell(back, "TEA-01", times: 2, member: "M1")
            let next = try await Self.sync(back)
            #expect(next.snapshot == nil)
            let now = try back.read { try $0.heldSeq(of: Fixture.node("s1")) }
            let atCentral = try central.read { try $0.heldSeq(of: Fixture.node("s1")) }
            #expect(now > held && atCentral == now)
            #expect(try Self.hash(back) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try back.members.points(of: "M1") == central.members.points(of: "M1"))
        }
    }
}
