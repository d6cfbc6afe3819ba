import FenxiaoTesting
import Foundation
import PostgresCentral
import Replication
import Storage
import Testing

/// The merge's promise on central servers sharing a log in a real PostgreSQL: random
/// multi-store histories, delivered with duplicates in random batches to two servers picked at
/// random, end with the state hash (and table digests) of one SQLite central given every change
/// at once — on both servers and on a third made afterwards from the log alone.
@Suite(.serialized) struct SharedConvergencePropertyTests {
    static func digest(_ store: NodeStore) throws -> String {
        try store.read { r in
            try r.stateHash() + " "
                + r.tableDigests().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }

    @Test func randomHistoriesOnTwoServersEndAsOneCentral() throws {
        let pg = try PostgresCluster("convergence")
        defer { pg.remove() }
        let admin = try PGConnection(url: pg.url)
        let central = NodeIdentity(node: .central, role: .central)
        try withTempDirectory("pg-convergence") { dir in
            for (n, seed) in propertySeeds.prefix(12).enumerated() {
                var generator = HistoryGenerator(seed: seed)
                let changes = generator.generate(steps: 120)
                var rng = SplitMix64(seed: seed ^ 0x5EED)
                let reference = try NodeStore.create(directory: dir.sub("reference\(n)"), identity: central)
                _ = try reference.applyRemote(changes)

                try admin.query("CREATE DATABASE c\(n)")
                let url = pg.url(database: "c\(n)")
                let servers = try (0..<2).map {
                    try NodeStore.createShared(directory: dir.sub("s\(n)-\($0)"), url: url, sharedLog: PGSharedLog.open)
                }
                var rest = withDuplicates(changes, using: &rng)[...]
                while !rest.isEmpty {
                    let size = rng.int(1...min(40, rest.count))
                    _ = try servers[rng.below(2)].applyRemote(Array(rest.prefix(size)))
                    rest = rest.dropFirst(size)
                }
                let late = try NodeStore.createShared(
                    directory: dir.sub("s\(n)-late"), url: url, sharedLog: PGSharedLog.open)
                for s in servers { try s.catchUpShared() }

                let expected = try Self.digest(reference)
                for (label, s) in zip(["first", "second", "late"], servers + [late]) {
                    #expect(try Self.digest(s) == expected, "seed \(seed): the \(label) server diverged")
                    #expect(try s.read { try $0.changeCount() } == changes.count, "seed \(seed): \(label)'s log")
                }
            }
        }
    }
}
