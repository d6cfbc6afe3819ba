import FenxiaoTesting
import Foundation
import PostgresCentral
import Replication
import Storage
import Testing

/// Every conformance vector in `sync/vectors/` on central servers sharing their log in a real
/// PostgreSQL: the batches applied alternately by two servers (each batch sent to the other one
/// too, as a retried push would be), a third server made afterwards from the log alone — all
/// three end with the state hash of a single SQLite central given the same changes (which
/// `VectorTests` checks against each vector's expectations).
@Suite(.serialized) struct SharedVectorTests {
    struct Vector: Decodable {
        let name: String
        let nodes: [String: [ChangeRecord]]
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sync/vectors")
    }

    @Test func everyVectorEndsTheSameOnServersSharingALog() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 30, "sync/vectors holds \(files.count) vectors")
        let pg = try PostgresCluster("vectors")
        defer { pg.remove() }
        let admin = try PGConnection(url: pg.url)
        let central = NodeIdentity(node: .central, role: .central)
        try withTempDirectory("pg-vectors") { dir in
            for (n, file) in files.enumerated() {
                let vector = try JSONDecoder().decode(
                    Vector.self, from: Data(contentsOf: Self.directory.appendingPathComponent(file)))
                try admin.query("CREATE DATABASE v\(n)")
                let url = pg.url(database: "v\(n)")
                let single = try NodeStore.create(directory: dir.sub("single\(n)"), identity: central)
                let servers = try ["a", "b"].map {
                    try NodeStore.createShared(directory: dir.sub("\($0)\(n)"), url: url, sharedLog: PGSharedLog.open)
                }
                for (i, name) in vector.nodes.keys.sorted().enumerated() {
                    let batch = vector.nodes[name] ?? []
                    _ = try single.applyRemote(batch)
                    _ = try servers[i % 2].applyRemote(batch)
                    let again = try servers[(i + 1) % 2].applyRemote(batch)
                    #expect(again.applied == 0, "\(vector.name): \(name)'s batch applied twice")
                }
                let late = try NodeStore.createShared(
                    directory: dir.sub("c\(n)"), url: url, sharedLog: PGSharedLog.open)
                for s in servers { try s.catchUpShared() }
                let expected = try single.read { try $0.stateHash() }
                for (label, s) in zip(["a", "b", "c"], servers + [late]) {
                    #expect(try s.read { try $0.stateHash() } == expected, "\(vector.name): server \(label)")
                    #expect(
                        try s.read { try $0.changeCount() } == single.read { try $0.changeCount() },
                        "\(vector.name): server \(label)'s log")
                }
            }
        }
    }
}
