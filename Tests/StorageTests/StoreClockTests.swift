import FenxiaoTesting
import Foundation
import Replication
import Testing

@testable import Storage

/// A store's sale does not write its clock to `node_meta` (one page fewer per commit): its own
/// latest change carries the stamp. The clock must still never go back — across a restart with
/// the wall clock behind, and when an id was minted after the transaction's last change.
@Suite struct StoreClockTests {
    static let node = Fixture.node("s1")

    static func write(_ store: NodeStore, _ entity: String, mintAfter: Bool = false) throws -> ChangeRecord {
        try store.write { tx in
            let change = try tx.emit(.member, entity: entity, fields: ["name": .string(entity)], scope: .global)
            if mintAfter { _ = tx.newID("X") }
            return change
        }
    }

    static func keptClock(_ store: NodeStore) throws -> Int64 {
        Int64(try store.read { try $0.meta("hlc") } ?? "0") ?? 0
    }

    @Test func theClockNeverGoesBackThoughASaleDoesNotWriteIt() throws {
        let dir = TempDirectory("store-clock")
        defer { dir.remove() }
        let start: Int64 = 1_800_000_000_000
        let clock = ManualClock(start)
        let path = dir.sub("s1")
        var store = try NodeStore.create(
            directory: path, identity: NodeIdentity(node: Self.node, role: .store), wallClock: { clock.now() })
        var last = try Self.write(store, "M1")
        for i in 2...4 { last = try Self.write(store, "M\(i)") }
        #expect(try Self.keptClock(store) < last.hlc.rawValue, "a plain write leaves node_meta alone")
        #expect(try store.read { try Meta.hlc($0.db) } == last.hlc)

        // Reopened with its wall clock an hour behind: the next stamp still follows the last.
        let behind = ManualClock(start - 3_600_000)
        store = try NodeStore.open(directory: path, wallClock: { behind.now() })
        let after = try Self.write(store, "M5")
        #expect(after.hlc > last.hlc)
        #expect(after.seq == last.seq + 1)

        // An id minted after the last change moved the clock past that change: it is kept.
        let minted = try Self.write(store, "M6", mintAfter: true)
        let kept = try Self.keptClock(store)
        #expect(kept > minted.hlc.rawValue)
        store = try NodeStore.open(directory: path, wallClock: { behind.now() })
        #expect(try Self.write(store, "M7").hlc.rawValue > kept)
    }
}
