import FenxiaoTesting
import Foundation
import GRDB
import Replication
import Storage
import Testing

/// A snapshot is loaded whole or not at all: for another store, into a store that holds
/// changes, altered on the way, or not a snapshot — refused with nothing written.
@Suite struct SnapshotRefusalTests {
    static func central(_ dir: TempDirectory) throws -> NodeStore {
        let central = try NodeStore.create(
            directory: dir.sub("central"), identity: NodeIdentity(node: .central, role: .central))
        var gen = CheckpointEquivalenceTests.LedgerHistory(seed: 42)
        _ = try central.applyRemote(gen.generate(steps: 80).filter { $0.scope == .global })
        for n in ["s5", "s6"] { try central.enrollPeer(node: n, role: "store", token: "t-\(n)") }
        return central
    }

    static func store(_ dir: TempDirectory, _ name: String) throws -> NodeStore {
        try NodeStore.create(directory: dir.sub(name), identity: NodeIdentity(node: Fixture.node(name), role: .store))
    }

    static func blankState(_ store: NodeStore) throws -> (Bool, Int, String?) {
        try (store.canLoadSnapshot(), store.read { try $0.changeCount() }, store.read { try $0.meta("pull_cursor") })
    }

    @Test func aSnapshotIsLoadedWholeOrNotAtAll() throws {
        try withTempDirectory("snapshot-refusals") { dir in
            let central = try Self.central(dir)
            let made = try central.writeSnapshot(for: Fixture.node("s5"), into: dir.sub("snap"))
            #expect(made.manifest.rows > 0 && made.manifest.changes > 0)

            // For another store.
            let s6 = try Self.store(dir, "s6")
            let before = try Self.blankState(s6)
            #expect(throws: StorageError.self) { _ = try s6.loadSnapshot(from: made.file) }
            #expect(try Self.blankState(s6) == before)

            // Altered on the way: one balance changed; the hash check refuses it.
            let altered = dir.sub("altered.db")
            try FileManager.default.copyItem(atPath: made.file, toPath: altered)
            let queue = try DatabaseQueue(path: altered)
            try queue.write { db in try db.execute(sql: "UPDATE member_balances SET balance = balance + 1") }
            try queue.close()
            let s5 = try Self.store(dir, "s5")
            let blank = try Self.blankState(s5)
            #expect(throws: StorageError.self) { _ = try s5.loadSnapshot(from: altered) }
            #expect(try Self.blankState(s5) == blank)
            #expect(try s5.read { try $0.rows("SELECT COUNT(*) FROM member_balances") }.first?[0] == 0)

            // Not a snapshot at all.
            let garbage = dir.sub("garbage.db")
            try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: garbage))
            #expect(throws: StorageError.self) { _ = try s5.loadSnapshot(from: garbage) }
            #expect(try Self.blankState(s5) == blank)

            // The real one loads once; a second load into the now non-blank store is refused.
            let loaded = try s5.loadSnapshot(from: made.file)
            #expect(loaded == made.manifest)
            #expect(
                try s5.read { try $0.stateHash() } == central.read { try $0.stateHash(scopeOf: Fixture.node("s5")) })
            let after = try s5.read { try $0.changeCount() }
            #expect(throws: StorageError.self) { _ = try s5.loadSnapshot(from: made.file) }
            #expect(try s5.read { try $0.changeCount() } == after)
        }
    }

    @Test func centralRefusesASnapshotForAStoreWithHistory() throws {
        try withTempDirectory("snapshot-history") { dir in
            let central = try Self.central(dir)
            // The generator's s1 wrote changes central holds: s1 recovers, it does not start over.
            #expect(throws: StorageError.self) {
                _ = try central.writeSnapshot(for: Fixture.node("s1"), into: dir.sub("snap-s1"))
            }
            let store = try Self.store(dir, "s5")
            #expect(throws: StorageError.self) {
                _ = try store.writeSnapshot(for: Fixture.node("s5"), into: dir.sub("x"))
            }
        }
    }
}
