import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// A batch reports the conflict records it added by counting them where they are written, not
/// by counting the whole table before and after (a cost that grew with every conflict a chain
/// ever recorded): on random histories with claims, overdrafts and late arrivals, in random
/// batches with duplicates, each batch's figure equals the table's own count difference.
@Suite struct ConflictTallyTests {
    @Test func eachBatchReportsExactlyTheConflictRecordsItAdded() async throws {
        let seen = Counter()
        await propertyCheck(count: 12, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("tally") { dir in
                var gen = CheckpointEquivalenceTests.LedgerHistory(seed: UInt64(seed))
                let changes = gen.generate(steps: 200)
                var rng = SeededRandom(seed: UInt64(seed) &+ 17)
                do {
                    let store = try NodeStore.create(
                        directory: dir.sub("c"), identity: NodeIdentity(node: .central, role: .central))
                    func count() throws -> Int {
                        try store.read { try $0.rows("SELECT COUNT(*) AS n FROM conflicts") }[0]["n"]
                    }
                    for batch in CheckpointEquivalenceTests.delivery(changes, rng: &rng, shuffled: seed % 2 == 0) {
                        let before = try count()
                        let report = try store.applyRemote(batch)
                        let after = try count()
                        #expect(report.conflictsAfter - report.conflictsBefore == after - before, "seed \(seed)")
                        #expect(report.newConflicts == max(0, after - before), "seed \(seed)")
                        seen.add(max(0, after - before))
                    }
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        #expect(seen.value > 20, "the histories must record conflicts for this to mean anything")
    }
}
