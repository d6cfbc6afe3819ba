import Commerce
import FenxiaoTesting
import Foundation
import Node
import PostgresCentral
import Replication
import Storage
import SyncClient
import Testing

/// A central server on a PostgreSQL primary with a synchronous standby (docs/POSTGRES.md), both
/// started by the test on loopback: a push is acknowledged only once the standby has it, and
/// after the primary is killed with SIGKILL mid-load and the standby promoted, every change a
/// store saw acknowledged is on the standby; the server reaches it through the same multi-host
/// URL and the stores converge.
@Suite(.serialized) struct SharedCentralStandbyTests {
    static func sync(_ node: FenxiaoNode, url: String, timeoutMillis: Int = 20_000, attempts: Int = 4) async throws
        -> SyncSession.Summary
    {
        try node.store.setMeta(["central_url": url])
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node),
            configuration: .init(batchSize: 20, maxAttempts: attempts, baseDelayMillis: 20, maxDelayMillis: 200),
            timeoutMillis: timeoutMillis)
        return try await runner.run()
    }

    static func acked(_ node: FenxiaoNode) throws -> Int64 {
        Int64(try node.read { try $0.meta("acked_seq") } ?? "0") ?? 0
    }

    @Test func aKilledPrimaryLosesNoAcknowledgedPush() async throws {
        let primary = try PostgresCluster("primary")
        defer { primary.remove() }
        let standby = try PostgresCluster(standbyOf: primary)
        defer { standby.remove() }
        try primary.makeStandbysSynchronous()
        // libpq tries the hosts in turn and keeps the one that takes writes.
        let url =
            "postgres://fenxiao@127.0.0.1:\(primary.port),127.0.0.1:\(standby.port)/fenxiao?target_session_attrs=read-write&connect_timeout=2"
        try await withTempDirectory("standby") { dir in
            let a = try SharedCentralEndToEndTests.seededCentral(dir, url: url)
            let server = try ServerProcess(data: dir.sub("a"))
            defer { server.stop() }
            let stores = try SharedCentralEndToEndTests.enrolledStores(8, in: dir) { _ in a }
            for s in stores { _ = try await Self.sync(s, url: server.url) }

            // The standby is down: the push is not acknowledged (it waits for the standby).
            let first = try #require(stores.first)
            var rng = SplitMix64(seed: 7)
            try SharedCentralEndToEndTests.trade(first, round: 0, rng: &rng)
            let ackedBefore = try Self.acked(first)
            standby.stop()
            await #expect(throws: NodeError.self) {
                _ = try await Self.sync(first, url: server.url, timeoutMillis: 2_000, attempts: 1)
            }
            #expect(try Self.acked(first) == ackedBefore, "acknowledged while the standby was down")
            try standby.start()
            _ = try await Self.sync(first, url: server.url)
            #expect(try Self.acked(first) > ackedBefore)

            // Load from every store; the primary dies (SIGKILL, the whole server) once a few
            // rounds were acknowledged, while the stores go on pushing.
            let all = stores
            let baseline = try all.map(Self.acked).reduce(0, +)
            let killed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (i, s) in all.enumerated() {
                    group.addTask {
                        var rng = SplitMix64(seed: UInt64(100 + i))
                        for round in 0..<6 {
                            try SharedCentralEndToEndTests.trade(s, round: round, rng: &rng)
                            _ = try? await Self.sync(s, url: server.url, timeoutMillis: 5_000, attempts: 1)
                        }
                        return false
                    }
                }
                group.addTask {
                    for _ in 0..<3_000 {  // bounded: until the load has made progress
                        if try all.map(Self.acked).reduce(0, +) > baseline + 60 { break }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    try primary.kill9()
                    return true
                }
                return try await group.reduce(false) { $0 || $1 }
            }
            #expect(killed)

            // Promoted, the standby holds every change a store saw acknowledged.
            try standby.promote()
            let held = try PGConnection(url: standby.url).query("SELECT origin, seq FROM version_vector")
            let vector = Dictionary(
                uniqueKeysWithValues: held.compactMap { row in
                    row[0].flatMap { o in row[1].flatMap { Int64($0) }.map { (o, $0) } }
                })
            for s in stores {
                let name = s.identity.node.rawValue
                #expect(vector[name, default: 0] >= (try Self.acked(s)), "\(name): acknowledged but lost")
            }

            // The server reconnects through the same URL; the stores push the rest and converge.
            for _ in 0..<2 { for s in stores { _ = try await Self.sync(s, url: server.url) } }
            for s in stores {
                let name = s.identity.node.rawValue
                #expect(try Self.acked(s) == s.read { try $0.heldSeq(of: s.identity.node) }, "\(name) pushed all")
                #expect(
                    try s.sync.status().state_hash == a.sync.status(scopeOf: name).state_hash, "\(name) converged")
            }
        }
    }
}
