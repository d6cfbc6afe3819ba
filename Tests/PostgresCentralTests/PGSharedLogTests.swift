import FenxiaoTesting
import Foundation
import PostgresCentral
import Replication
import Storage
import Testing

/// The shared change log on a real PostgreSQL (a throwaway cluster on loopback), below the
/// replica layer: two servers publishing pushes of twenty stores at once under the head's lock
/// lose, duplicate and reorder nothing, and a reader following the log while they write never
/// skips a position; a publish at the wrong position is refused with nothing written; what was
/// published survives a restart of the database and the same connection object reconnects.
@Suite(.serialized) struct PGSharedLogTests {
    static func change(_ store: String, _ seq: Int64, scope: Scope = .global) -> ChangeRecord {
        ChangeRecord(
            origin: Fixture.node(store), seq: seq, hlc: HLC(wallMillis: 1_800_000_000_000 + seq * 10, counter: 0),
            kind: .memberLedger, entity: "PT-\(store)-\(seq)", op: .upsert,
            fields: ["member": .string("M1"), "account": "points", "delta": .int(seq)], context: VersionVector(),
            scope: scope)
    }

    /// Publishes `changes` after the head, under the head's lock (what a server's write does).
    static func append(_ log: PGSharedLog, _ changes: [ChangeRecord]) throws {
        try log.locked { head in
            try log.publish(changes.enumerated().map { PositionedChange(position: head + 1 + Int64($0), change: $1) })
        }
    }

    @Test func twoServersPublishingAtOnceLoseNothingAndAReaderSkipsNothing() throws {
        let cluster = try PostgresCluster("shared-race")
        defer { cluster.remove() }
        // Both servers start at once: the migrations run once.
        let opened = Locked<[PGSharedLog]>([])
        let failures = Locked<[String]>([])
        let starting = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: starting) {
                do {
                    let log = try PGSharedLog(url: cluster.url)
                    opened.mutate { $0.append(log) }
                } catch { failures.mutate { $0.append("\(error)") } }
            }
        }
        #expect(starting.wait(timeout: .now() + 60) == .success)
        #expect(failures.value == [])
        let servers = opened.value
        try #require(servers.count == 2)

        let stores = (1...20).map { "s\($0)" }
        let perStore: Int64 = 30
        let total = stores.count * Int(perStore)
        let writers = DispatchGroup()
        for (i, store) in stores.enumerated() {
            DispatchQueue.global().async(group: writers) {
                var rng = SplitMix64(seed: UInt64(i) &* 7 &+ 1)
                var seq: Int64 = 1
                while seq <= perStore {
                    let size = Int64(1 + rng.below(5))
                    let batch = (seq..<min(seq + size, perStore + 1)).map { Self.change(store, $0) }
                    do { try Self.append(servers[rng.below(2)], batch) } catch {
                        failures.mutate { $0.append("\(store): \(error)") }
                        return
                    }
                    seq += size
                }
            }
        }
        // A reader follows the log while the servers write: every position once, in order.
        let reader = try PGSharedLog(url: cluster.url)
        var seen: [String: [Int64]] = [:]
        var position: Int64 = 0
        var received = 0
        let deadline = Date().addingTimeInterval(120)
        while received < total && Date() < deadline {
            for p in try reader.changes(after: position, limit: 37) {
                #expect(p.position == position + 1, "position \(p.position) after \(position)")
                position = p.position
                seen[p.change.origin.rawValue, default: []].append(p.change.seq)
                received += 1
            }
        }
        #expect(writers.wait(timeout: .now() + 120) == .success)
        #expect(failures.value == [])
        #expect(received == total, "read \(received) of \(total)")
        for store in stores {
            #expect(seen[store] == Array(1...perStore), "\(store): \(seen[store] ?? [])")
        }
        #expect(try reader.head() == Int64(total))
        let positions = try PGConnection(url: cluster.url).query("SELECT min(pos), max(pos), count(*) FROM change_log")
        #expect(positions.first == ["1", String(total), String(total)], "positions without holes")
    }

    @Test func aPublishAtTheWrongPositionIsRefusedWithNothingWritten() throws {
        let cluster = try PostgresCluster("shared-refuse")
        defer { cluster.remove() }
        let log = try PGSharedLog(url: cluster.url)
        _ = try PGSharedLog(url: cluster.url)  // the migrations again: nothing to do
        try Self.append(log, [Self.change("s1", 1), Self.change("s1", 2)])
        func count() throws -> String? {
            try PGConnection(url: cluster.url).query("SELECT count(*) FROM change_log").first?.first ?? nil
        }
        // Past the head (a server that wrote without the lock), and at a position already taken.
        for position: Int64 in [5, 3] {
            let refused = #expect(throws: StorageError.self) {
                try log.locked { _ in
                    try log.publish([
                        PositionedChange(position: 3, change: Self.change("s1", 3)),
                        PositionedChange(position: position, change: Self.change("s1", 4)),
                    ])
                }
            }
            #expect(refused?.message.contains("another server wrote without the head's lock") == true)
        }
        #expect(try count() == "2")
        #expect(try log.head() == 2)
        #expect(try log.changes(after: 0, limit: 10).map(\.change) == [Self.change("s1", 1), Self.change("s1", 2)])
    }

    @Test func publishedChangesSurviveARestartAndTheLogReconnects() throws {
        let cluster = try PostgresCluster("shared-restart")
        defer { cluster.remove() }
        let log = try PGSharedLog(url: cluster.url)
        try Self.append(log, (1...10).map { Self.change("s1", $0) })
        cluster.stop()
        #expect(throws: StorageError.self) { _ = try log.head() }
        try cluster.start()
        // The same object reconnects on its next call.
        #expect(try log.head() == 10)
        #expect(try log.changes(after: 0, limit: 100).map(\.change) == (1...10).map { Self.change("s1", $0) })
        try Self.append(log, [Self.change("s1", 11)])
        #expect(try PGSharedLog(url: cluster.url).head() == 11)
        // The message names the server without a password.
        let refused = #expect(throws: StorageError.self) {
            _ = try PGSharedLog(url: "postgres://fenxiao:secret@127.0.0.1:1/x")
        }
        #expect(refused?.message.contains("secret") == false)
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
