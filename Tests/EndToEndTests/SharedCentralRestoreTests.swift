import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Central on PostgreSQL restored from its backup (docs/POSTGRES.md, sync/PROTOCOL.md §8.6): the
/// database is put back as a `pg_dump` left it, `fenxiao restore --database` makes a server from
/// the restored log and opens a new epoch, and the stores give back what the backup lacks —
/// their acknowledged sales and a head-office change they had pulled. Nothing is lost overall;
/// a server's file from before the restore is refused.
@Suite(.serialized) struct SharedCentralRestoreTests {
    @Test func aRestoredDatabaseGetsBackEverythingFromTheStores() async throws {
        let pg = try PostgresCluster("restore")
        defer { pg.remove() }
        try await withTempDirectory("pg-restore") { dir in
            let a = try SharedCentralEndToEndTests.seededCentral(dir, url: pg.url)
            let server = try ServerProcess(data: dir.sub("a"))
            let stores = try SharedCentralEndToEndTests.enrolledStores(4, in: dir) { _ in a }
            for s in stores { _ = try await SharedCentralStandbyTests.sync(s, url: server.url) }
            var rngs = stores.indices.map { SplitMix64(seed: UInt64($0 + 1)) }
            for (i, s) in stores.enumerated() {
                try SharedCentralEndToEndTests.trade(s, round: 0, rng: &rngs[i])
                _ = try await SharedCentralStandbyTests.sync(s, url: server.url)
            }
            let dump = pg.root + "/central.dump"
            try pg.dump(to: dump)

            // After the backup: sales acknowledged, and a head-office price the stores pulled.
            for round in 1...2 {
                for (i, s) in stores.enumerated() {
                    try SharedCentralEndToEndTests.trade(s, round: round, rng: &rngs[i])
                    _ = try await SharedCentralStandbyTests.sync(s, url: server.url)
                }
            }
            _ = try a.catalog.setPrice(sku: "TEA-01", price: Money(cents: 1350))
            for s in stores { _ = try await SharedCentralStandbyTests.sync(s, url: server.url) }
            let acked = try stores.map(SharedCentralStandbyTests.acked)
            server.stop()

            try pg.restore(from: dump)
            let ahead = #expect(throws: NodeError.self) { try FenxiaoNode.open(directory: dir.sub("a")) }
            #expect(ahead?.message.contains("move") == true, "\(ahead?.message ?? "")")
            let restored = try FenxiaoBinary.run(["restore", "--database", pg.url, "--data", dir.sub("a2"), "--json"])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.json?["epoch"] as? Int == 2, "\(restored.stdout)")
            let initB = try FenxiaoBinary.run([
                "init", "--role", "central", "--node", "central", "--database", pg.url, "--data", dir.sub("b"),
            ])
            #expect(initB.status == 0, "\(initB.stderr)")
            // A server made after the restore is in the new epoch too.
            #expect(try FenxiaoNode.open(directory: dir.sub("b")).read { try $0.centralEpoch().epoch } == 2)
            let serverA2 = try ServerProcess(data: dir.sub("a2"))
            defer { serverA2.stop() }
            let serverB = try ServerProcess(data: dir.sub("b"))
            defer { serverB.stop() }
            let urls = [serverA2.url, serverB.url]
            // The first round gives back; a store that finishes before the others hears that
            // central still waits for them. The second round must succeed everywhere.
            for (i, s) in stores.enumerated() { _ = try? await SharedCentralStandbyTests.sync(s, url: urls[i % 2]) }
            for (i, s) in stores.enumerated() {
                _ = try await SharedCentralStandbyTests.sync(s, url: urls[(i + 1) % 2])
            }

            let central = try FenxiaoNode.open(directory: dir.sub("a2"))
            for (s, before) in zip(stores, acked) {
                let name = s.identity.node.rawValue
                let held = try central.store.heldSeq(of: s.identity.node)
                #expect(held == (try s.read { try $0.heldSeq(of: s.identity.node) }) && held >= before, "\(name) lost")
                #expect(
                    try s.sync.status().state_hash == central.sync.status(scopeOf: name).state_hash, "\(name) diverged")
            }
            // The head-office price change the backup lacked came back from the stores.
            let sku = try #require(try central.read { try $0.register(.sku, "TEA-01") })
            #expect(sku.canonicalText.contains("1350"), "\(sku.canonicalText)")
            #expect(try stores[0].read { try $0.register(.sku, "TEA-01") } == sku)
            #expect(try central.sync.status().restore == nil, "central still waits for a store")
            // The old server's file stays refused now that the log has grown past it.
            let old = #expect(throws: NodeError.self) { try FenxiaoNode.open(directory: dir.sub("a")) }
            #expect(old?.message.contains("restored") == true, "\(old?.message ?? "")")
        }
    }
}
