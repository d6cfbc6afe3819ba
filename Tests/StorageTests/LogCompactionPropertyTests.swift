import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// Log compaction changes the log, never the state: a store that drops settled changes at any
/// point of any delivery, then receives the rest and everything again (a re-pull from 0), ends
/// with exactly the rows and state hash of a store that never compacted, its full re-fold from
/// the tables agrees, and every re-delivered change counts as a duplicate (none is applied
/// twice — a dropped stock movement or points entry arriving again must not count again).
@Suite struct LogCompactionPropertyTests {
    /// Each origin's changes in seq order (as central's log serves them), origins interleaved
    /// at random, in random batch sizes.
    static func pulls(_ changes: [ChangeRecord], rng: inout SeededRandom) -> [[ChangeRecord]] {
        var queues = Dictionary(grouping: changes, by: \.origin).mapValues { $0.sorted { $0.seq < $1.seq } }
        var ordered: [ChangeRecord] = []
        while !queues.isEmpty {
            let origins = queues.keys.sorted { $0.rawValue < $1.rawValue }
            let origin = origins[rng.below(origins.count)]
            let take = 1 + rng.below(6)
            let queue = queues[origin] ?? []
            ordered += queue.prefix(take)
            queues[origin] = queue.count > take ? Array(queue.dropFirst(take)) : nil
        }
        var batches: [[ChangeRecord]] = []
        var i = 0
        while i < ordered.count {
            let n = 1 + rng.below(rng.chance(70) ? 4 : 30)
            batches.append(Array(ordered[i..<min(i + n, ordered.count)]))
            i += n
        }
        return batches
    }

    /// Delivers `changes` again, as pulls would (``pulls(_:rng:)``); returns the applied and
    /// duplicate counts summed over the batches.
    static func deliverAgain(_ changes: [ChangeRecord], to store: NodeStore, rng: inout SeededRandom) throws
        -> ApplyReport
    {
        var again = ApplyReport()
        for b in pulls(changes, rng: &rng) {
            let r = try store.applyRemote(b)
            again.applied += r.applied
            again.duplicates += r.duplicates
        }
        return again
    }

    static func store(_ dir: TempDirectory, _ name: String) throws -> NodeStore {
        try NodeStore.create(
            directory: dir.sub(name), identity: NodeIdentity(node: try #require(NodeID("s9")), role: .store))
    }

    @Test func compactingAnywhereThenReceivingEverythingAgainLeavesTheStateOfNoCompaction() async throws {
        let dropped = Counter()
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("compact-prop") { dir in
                var gen = CheckpointEquivalenceTests.LedgerHistory(seed: UInt64(seed))
                let changes = gen.generate(steps: 240)
                var rng = SeededRandom(seed: UInt64(seed) &* 977 &+ 11)
                do {
                    let reference = try Self.store(dir, "ref")
                    _ = try reference.applyRemote(changes)
                    let expected = try reference.checkpointedState()
                    let expectedHash = try reference.read { try $0.stateHash() }

                    let store = try Self.store(dir, "compacted")
                    let batches = Self.pulls(changes, rng: &rng)
                    let cut = rng.below(batches.count + 1)
                    for b in batches[..<cut] { _ = try store.applyRemote(b) }
                    // Central announced a frontier somewhere in the history; retention is one day
                    // (the generated history is a year before today's clock).
                    let stamps = changes.map(\.hlc).sorted()
                    let frontier = stamps[rng.below(stamps.count)]
                    try store.setMeta([LogCompaction.Keys.frontier: String(frontier.rawValue)])
                    let first = try store.compactLog(keepDays: 1, chunk: 1 + rng.below(50))
                    dropped.add(first.dropped)
                    for b in batches[cut...] { _ = try store.applyRemote(b) }
                    // A second run later, at a higher frontier, then a re-pull of everything.
                    try store.setMeta([LogCompaction.Keys.frontier: String(stamps.last?.rawValue ?? 0)])
                    dropped.add(try store.compactLog(keepDays: 1).dropped)
                    let again = try Self.deliverAgain(changes, to: store, rng: &rng)
                    #expect(again.applied == 0 && again.duplicates == changes.count, "seed \(seed): re-pull applied")
                    let got = try store.checkpointedState()
                    #expect(
                        got == expected,
                        "seed \(seed): \(CheckpointEquivalenceTests.firstDifference(got, expected))")
                    #expect(try store.read { try $0.stateHash() } == expectedHash, "seed \(seed): hash")
                    try store.refoldDerivedState()
                    #expect(try store.checkpointedState() == expected, "seed \(seed): re-fold after compaction")
                    #expect(try store.read { try $0.consistencyProblems() } == [], "seed \(seed)")
                    // Never the highest seq of an origin, never central's changes.
                    let held = try store.read { try $0.versionVector() }
                    for (origin, seq) in held.entries {
                        #expect(try store.read { try $0.heldSeq(of: origin) } == seq, "seed \(seed): \(origin)")
                    }
                    let centralHeld = changes.filter { $0.origin == .central }.count
                    #expect(
                        try store.read { try $0.changes(of: .central, after: 0, limit: 100_000) }.count == centralHeld)
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        // Guards the generator: the property means something only if changes left the log.
        #expect(dropped.value > 500)
    }

    @Test func nothingLeavesTheLogWithoutAnnouncedFrontierOrWithinRetention() throws {
        try withTempDirectory("compact-none") { dir in
            var gen = CheckpointEquivalenceTests.LedgerHistory(seed: 7)
            let changes = gen.generate(steps: 120)
            let store = try Self.store(dir, "s")
            _ = try store.applyRemote(changes)
            let count = try store.read { try $0.changeCount() }
            #expect(try store.compactLog(keepDays: 1).dropped == 0, "no frontier announced yet")
            try store.setMeta([LogCompaction.Keys.frontier: String(HLC.maximum.rawValue)])
            #expect(try store.compactLog(keepDays: 3650).dropped == 0, "everything is within ten years")
            #expect(try store.read { try $0.changeCount() } == count)
            #expect(throws: StorageError.self) { _ = try store.compactLog(keepDays: 0) }
            #expect(throws: StorageError.self) { _ = try store.compactLog(keepDays: 3651) }
            #expect(try store.read { try $0.logKeepDays() } == 3650, "a refused setting is not stored")
        }
    }
}
