import FenxiaoTesting
import Foundation
import PostgresCentral
import Replication
import Testing

/// Central's shared change log on a real PostgreSQL (a throwaway cluster on loopback): two
/// servers appending pushes of twenty stores at once — some pushes retried on both — lose,
/// duplicate and reorder nothing, and a store pulling while they write never skips a change.
@Suite(.serialized) struct PGChangeLogTests {
    static func change(_ store: String, _ seq: Int64, scope: Scope = .global) -> ChangeRecord {
        ChangeRecord(
            origin: Fixture.node(store), seq: seq, hlc: HLC(wallMillis: 1_800_000_000_000 + seq * 10, counter: 0),
            kind: .memberLedger, entity: "PT-\(store)-\(seq)", op: .upsert,
            fields: ["member": .string("M1"), "account": "points", "delta": .int(seq)], context: VersionVector(),
            scope: scope)
    }

    /// One server: a pool of connections, one per request in flight (here: per store).
    final class Server: @unchecked Sendable {
        let lock = NSLock()
        let url: String
        var pool: [String: PGChangeLog] = [:]
        init(url: String) { self.url = url }
        func append(_ origin: NodeID, _ changes: [ChangeRecord]) throws -> AppendResult {
            let log = try lock.withLock {
                if let log = pool[origin.rawValue] { return log }
                let log = PGChangeLog(connection: try PGConnection(url: url))
                pool[origin.rawValue] = log
                return log
            }
            return try log.append(from: origin, changes)
        }
    }

    @Test func twoServersAppendingAtOnceLoseNothingAndAPullingStoreSkipsNothing() throws {
        let cluster = try PostgresCluster("log")
        defer { cluster.remove() }
        // Both servers start at once: the migrations run once.
        let servers = [Server(url: cluster.url), Server(url: cluster.url)]
        let migrations = DispatchGroup()
        let migrationErrors = Locked<[String]>([])
        for _ in 0..<2 {
            DispatchQueue.global().async(group: migrations) {
                do { try PGSchema.migrate(try PGConnection(url: cluster.url)) } catch {
                    migrationErrors.mutate { $0.append("\(error)") }
                }
            }
        }
        #expect(migrations.wait(timeout: .now() + 60) == .success)
        #expect(migrationErrors.value == [])

        let stores = (1...20).map { "s\($0)" }
        let perStore: Int64 = 30
        let total = stores.count * Int(perStore)
        let failures = Locked<[String]>([])
        let retriedOnBoth = Locked(0)
        let writers = DispatchGroup()
        for (i, store) in stores.enumerated() {
            DispatchQueue.global().async(group: writers) {
                var rng = SplitMix64(seed: UInt64(i) &* 7 &+ 1)
                var seq: Int64 = 1
                while seq <= perStore {
                    let size = Int64(1 + rng.below(5))
                    let batch = (seq..<min(seq + size, perStore + 1)).map { Self.change(store, $0) }
                    let first = servers[rng.below(2)]
                    do {
                        let result = try first.append(Fixture.node(store), batch)
                        if rng.below(5) == 0 {  // the store's retry reaches the other server too
                            let again = try servers.first { $0 !== first }?.append(Fixture.node(store), batch)
                            if again?.applied != 0 { failures.mutate { $0.append("\(store): a retry applied") } }
                            retriedOnBoth.mutate { $0 += 1 }
                        }
                        if result.acked != batch.last?.seq {
                            failures.mutate { $0.append("\(store): acked \(result)") }
                        }
                    } catch {
                        failures.mutate { $0.append("\(store): \(error)") }
                        return
                    }
                    seq += size
                }
            }
        }
        // A store pulls while the servers write: every change once, each origin in seq order.
        let reader = PGChangeLog(connection: try PGConnection(url: cluster.url))
        var seen: [String: [Int64]] = [:]
        var cursor: Int64 = 0
        var received = 0
        let deadline = Date().addingTimeInterval(120)
        while received < total && Date() < deadline {
            let page = try reader.pull(for: Fixture.node("s99"), after: cursor, limit: 37)
            for c in page.changes { seen[c.origin.rawValue, default: []].append(c.seq) }
            received += page.changes.count
            cursor = page.cursor
        }
        #expect(writers.wait(timeout: .now() + 120) == .success)
        #expect(failures.value == [])
        #expect(retriedOnBoth.value > 5, "the retry path ran")
        #expect(received == total, "pulled \(received) of \(total)")
        for store in stores {
            #expect(seen[store] == Array(1...perStore), "\(store): \(seen[store] ?? [])")
        }
        let vector = try reader.versionVector()
        #expect(stores.allSatisfy { vector[Fixture.node($0)] == perStore })
        let positions = try PGConnection(url: cluster.url).query("SELECT min(pos), max(pos), count(*) FROM change_log")
        #expect(positions.first == ["1", String(total), String(total)], "positions without holes")
    }

    @Test func gapsForeignOriginsAndReusedSeqsAreRefusedWithNothingWritten() throws {
        let cluster = try PostgresCluster("refuse")
        defer { cluster.remove() }
        let connection = try PGConnection(url: cluster.url)
        try PGSchema.migrate(connection)
        try PGSchema.migrate(connection)  // twice: nothing to do the second time
        let log = PGChangeLog(connection: connection)
        let s1 = Fixture.node("s1")
        _ = try log.append(from: s1, [Self.change("s1", 1), Self.change("s1", 2)])
        func count() throws -> String? { try connection.query("SELECT count(*) FROM change_log").first?.first ?? nil }

        #expect(throws: PGError.self) { _ = try log.append(from: s1, [Self.change("s1", 4)]) }  // a gap
        #expect(throws: PGError.self) { _ = try log.append(from: s1, [Self.change("s1", 3), Self.change("s2", 1)]) }
        var reused = Self.change("s1", 2)
        reused.fields["delta"] = .int(999)
        #expect(throws: PGError.self) { _ = try log.append(from: s1, [Self.change("s1", 3), reused]) }
        #expect(try count() == "2")
        #expect(try log.versionVector() == [s1: 2])

        let again = try log.append(from: s1, [Self.change("s1", 2), Self.change("s1", 3)])
        #expect(again == AppendResult(acked: 3, applied: 1, duplicates: 1))
        // A store's own scope as another store wrote it never reaches it; central's does.
        _ = try log.append(from: .central, [Self.change("central", 1, scope: .node(s1))])
        let page = try log.pull(for: s1, after: 0, limit: 100)
        #expect(page.changes.map(\.origin) == [.central])
        #expect(try log.pull(for: Fixture.node("s2"), after: 0, limit: 100).changes.count == 3)
    }

    @Test func acknowledgedChangesSurviveARestartOfTheServer() throws {
        let cluster = try PostgresCluster("restart")
        defer { cluster.remove() }
        do {
            let connection = try PGConnection(url: cluster.url)
            try PGSchema.migrate(connection)
            let result = try PGChangeLog(connection: connection).append(
                from: Fixture.node("s1"), (1...10).map { Self.change("s1", $0) })
            #expect(result.acked == 10)
        }
        cluster.stop()
        #expect(throws: PGError.self) { _ = try PGConnection(url: cluster.url) }
        try cluster.start()
        let log = PGChangeLog(connection: try PGConnection(url: cluster.url))
        #expect(try log.versionVector() == [Fixture.node("s1"): 10])
        #expect(
            try log.pull(for: Fixture.node("s2"), after: 0, limit: 100).changes
                == (1...10).map { Self.change("s1", $0) })
        // The message names the server without a password.
        let refused = #expect(throws: PGError.self) {
            _ = try PGConnection(url: "postgres://fenxiao:secret@127.0.0.1:1/x")
        }
        #expect(refused?.description.contains("secret") == false)
    }
}

/// A value several threads update under a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
