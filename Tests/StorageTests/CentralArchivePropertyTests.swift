import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// Central's archive changes where the stores' settled changes live, never what anyone sees: a
/// central that archives at any point of any delivery ends with the rows and state hash of one
/// that never archived, every store's full pull (page by page from position 0) and every
/// origin's changes (`recover`) are the same changes, everything delivered again is a
/// duplicate, and a reused seq with other content under an archived change is still refused.
@Suite struct CentralArchivePropertyTests {
    static let stores = ["s1", "s2", "s3"].compactMap(NodeID.init)

    static func central(_ dir: TempDirectory, _ name: String) throws -> NodeStore {
        let central = try NodeStore.create(
            directory: dir.sub(name), identity: NodeIdentity(node: .central, role: .central))
        for s in stores { try central.enrollPeer(node: s.rawValue, role: "store", token: "token-\(s)") }
        return central
    }

    /// Every change a store's pulls give it from position 0, in pages of `limit`.
    static func fullPull(_ central: NodeStore, for store: NodeID, limit: Int) throws -> [ChangeRecord] {
        var cursor: Int64 = 0
        var pulled: [ChangeRecord] = []
        while true {
            let page = try central.read { try $0.changesForPull(node: store, after: cursor, limit: limit) }
            // The answer written from the rows (`pullBody`) reads the archive the same way.
            let fromRows = try central.read { try $0.pullBody(node: store, after: cursor, limit: limit) }
            #expect(
                String(
                    decoding: SyncWire.PullResponse.encode(
                        fromRows.body, cursor: String(fromRows.last), more: fromRows.more), as: UTF8.self)
                    == SyncWire.PullResponse.encode(page.changes, cursor: String(page.last), more: page.more))
            pulled += page.changes
            cursor = page.last
            if !page.more { return pulled }
        }
    }

    static func byID(_ changes: [ChangeRecord]) -> [ChangeRecord] {
        changes.sorted { ($0.origin.rawValue, $0.seq) < ($1.origin.rawValue, $1.seq) }
    }

    @Test func archivingAnywhereChangesNothingAnyoneSees() async throws {
        let moved = Counter()
        await propertyCheck(count: 15, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("archive-prop") { dir in
                var gen = CheckpointEquivalenceTests.LedgerHistory(seed: UInt64(seed))
                let changes = gen.generate(steps: 240)
                var rng = SeededRandom(seed: UInt64(seed) &* 131 &+ 7)
                do {
                    let reference = try Self.central(dir, "reference")
                    _ = try reference.applyRemote(changes)
                    let central = try Self.central(dir, "archiving")
                    let batches = LogCompactionPropertyTests.pulls(changes, rng: &rng)
                    let cut = rng.below(batches.count + 1)
                    for b in batches[..<cut] { _ = try central.applyRemote(b) }
                    // The stores promised somewhere in the history and pulled somewhere in the log
                    // (the generated history is a year old: a day's retention lets it all go).
                    let stamps = changes.map(\.hlc).sorted()
                    let end = try central.read { try $0.logEnd() }
                    for s in Self.stores {
                        try central.recordPull(
                            node: s, cursor: Int64(rng.below(Int(end) + 1)), stable: stamps[rng.below(stamps.count)])
                    }
                    moved.add(try central.archiveLog(keepDays: 1, chunk: 1 + rng.below(50)).archived)
                    for b in batches[cut...] { _ = try central.applyRemote(b) }
                    let last = try central.read { try $0.logEnd() }
                    for s in Self.stores { try central.recordPull(node: s, cursor: last, stable: stamps.last) }
                    let report = try central.archiveLog(keepDays: 1)
                    moved.add(report.archived)
                    #expect(report.remaining + report.in_archive == changes.count, "seed \(seed): \(report)")

                    #expect(try central.checkpointedState() == reference.checkpointedState(), "seed \(seed)")
                    #expect(try central.read { try $0.stateHash() } == reference.read { try $0.stateHash() })
                    #expect(try central.read { try $0.consistencyProblems() } == [], "seed \(seed)")
                    for s in Self.stores {
                        let limit = 1 + rng.below(12)
                        #expect(
                            try Self.byID(Self.fullPull(central, for: s, limit: limit))
                                == Self.byID(Self.fullPull(reference, for: s, limit: 1000)), "seed \(seed): \(s)")
                    }
                    for origin in Self.stores + [.central] {
                        #expect(
                            try central.read { try $0.changes(of: origin, after: 0, limit: 100_000) }
                                == reference.read { try $0.changes(of: origin, after: 0, limit: 100_000) },
                            "seed \(seed): \(origin)")
                    }
                    let again = try LogCompactionPropertyTests.deliverAgain(changes, to: central, rng: &rng)
                    #expect(again.applied == 0 && again.duplicates == changes.count, "seed \(seed): re-push applied")
                    // A store that reuses the seq of an archived change with other content.
                    let hot = Set(try central.read { try $0.changes() }.map(\.stamp.changeID))
                    if var forged = changes.first(where: { $0.origin != .central && !hot.contains($0.stamp.changeID) })
                    {
                        forged.entity += "-forged"
                        #expect(throws: StorageError.self, "seed \(seed)") { _ = try central.applyRemote([forged]) }
                    }
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        // Guards the generator: the property means something only if changes moved.
        #expect(moved.value > 300)
    }

    @Test func nothingMovesBeforeEveryStorePulledIt() throws {
        try withTempDirectory("archive-none") { dir in
            var gen = CheckpointEquivalenceTests.LedgerHistory(seed: 11)
            let changes = gen.generate(steps: 120)
            let central = try Self.central(dir, "c")
            _ = try central.applyRemote(changes)
            let end = try central.read { try $0.logEnd() }
            let stamps = changes.map(\.hlc).sorted()
            #expect(try central.archiveLog(keepDays: 1).archived == 0, "no store promised yet")
            for s in Self.stores.dropLast() { try central.recordPull(node: s, cursor: end, stable: stamps.last) }
            try central.recordPull(node: Self.stores[2], cursor: 0, stable: stamps.last)
            #expect(try central.archiveLog(keepDays: 1).archived == 0, "s3 pulled nothing yet")
            try central.recordPull(node: Self.stores[2], cursor: end, stable: stamps.last)
            #expect(try central.archiveLog(keepDays: 3650).archived == 0, "everything is within ten years")
            #expect(try central.archiveLog(keepDays: 1).archived > 0)
            #expect(throws: StorageError.self) { _ = try central.archiveLog(keepDays: 0) }
        }
    }
}
