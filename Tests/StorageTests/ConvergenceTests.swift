import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// The merge engine's central promise: the same set of changes gives the same state hash,
/// whatever the delivery order, batching and duplication.
@Suite struct ConvergenceTests {
    /// Applies `changes` to a fresh central-role node in `batches`, returns (hash, changes held).
    static func replay(_ batches: [[ChangeRecord]], in dir: TempDirectory, name: String) throws -> (String, Int) {
        let store = try NodeStore.create(
            directory: dir.sub(name), identity: NodeIdentity(node: .central, role: .central))
        for batch in batches { _ = try store.applyRemote(batch) }
        return try store.read { r in
            (
                try r.stateHash() + " "
                    + r.tableDigests().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                try r.changeCount()
            )
        }
    }

    /// A random delivery of `changes`: shuffled, split into batches, some batches delivered twice.
    static func delivery(_ changes: [ChangeRecord], rng: inout SeededRandom) -> [[ChangeRecord]] {
        var shuffled = changes
        shuffled.shuffle(using: &rng)
        var batches: [[ChangeRecord]] = []
        var i = 0
        while i < shuffled.count {
            let n = 1 + rng.below(40)
            batches.append(Array(shuffled[i..<min(i + n, shuffled.count)]))
            i += n
        }
        var withDuplicates: [[ChangeRecord]] = []
        for b in batches {
            withDuplicates.append(b)
            if rng.chance(20) { withDuplicates.append(b.reversed()) }
            if rng.chance(10), let prev = batches.randomElement(using: &rng) { withDuplicates.append(prev) }
        }
        return withDuplicates
    }

    @Test func randomHistoriesConvergeInAnyDeliveryOrder() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("conv") { dir in
                var gen = HistoryGenerator(seed: UInt64(seed))
                let changes = gen.generate(steps: 120)
                var rng = SeededRandom(seed: UInt64(seed) &* 31 &+ 7)
                do {
                    let (reference, held) = try Self.replay([changes], in: dir, name: "ref")
                    #expect(held == changes.count, "no change may be dropped (seed \(seed))")
                    for k in 0..<3 {
                        let (hash, count) = try Self.replay(Self.delivery(changes, rng: &rng), in: dir, name: "p\(k)")
                        #expect(hash == reference, "delivery \(k) of seed \(seed) diverged")
                        #expect(count == changes.count)
                    }
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
    }

    @Test func applyingEverythingTwiceChangesNothing() throws {
        try withTempDirectory("twice") { dir in
            var gen = HistoryGenerator(seed: 42)
            let changes = gen.generate(steps: 200)
            let store = try NodeStore.create(
                directory: dir.sub("n"), identity: NodeIdentity(node: .central, role: .central))
            let first = try store.applyRemote(changes)
            let hash = try store.read { try $0.stateHash() }
            let second = try store.applyRemote(changes)
            #expect(first.applied == changes.count)
            #expect(second.applied == 0)
            #expect(second.duplicates == changes.count)
            #expect(try store.read { try $0.stateHash() } == hash)
        }
    }

    @Test func historiesProduceConflictsOfEveryFamily() throws {
        // Guards the generator: convergence tests are only meaningful if conflicts do arise.
        try withTempDirectory("fam") { dir in
            var rules = Set<String>()
            for seed in 1...6 {
                var gen = HistoryGenerator(seed: UInt64(seed))
                let store = try NodeStore.create(
                    directory: dir.sub("n\(seed)"), identity: NodeIdentity(node: .central, role: .central))
                _ = try store.applyRemote(gen.generate(steps: 300))
                rules.formUnion(try store.read { try $0.conflicts().map(\.rule) })
            }
            for rule in ["concurrent_edit", "duplicate_claim", "overdraft", "fact_beats_cancel", "refund_exceeds_paid"]
            {
                #expect(rules.contains(rule), "generator never produced \(rule)")
            }
            #expect(rules.contains("oversold") || rules.contains("allocation_displaced"))
        }
    }
}
