import FenxiaoTesting
import PropertyBased
import Testing

@testable import Replication

@Suite struct RegisterMergeTests {
    typealias F = Fixture

    static func merge(_ writes: [ChangeRecord]) -> (state: RegisterState, conflicts: [ConflictRecord]) {
        RegisterMerge.materialize(writes, subject: "member:M1", scope: .global)
    }

    // MARK: - Examples

    @Test func singleWriteSetsFieldsStampsAndVersion() {
        let w = F.write(F.storeA, 1, at: 1000, ["name": "Li", "level": 1])
        let (state, conflicts) = Self.merge([w])
        #expect(state.fields == ["name": "Li", "level": 1])
        #expect(state.stamps == ["name": w.stamp, "level": w.stamp])
        #expect(state.version == VersionVector([F.storeA: 1]))
        #expect(conflicts.isEmpty)
    }

    @Test func noWritesGiveAnEmptyRegister() {
        let (state, conflicts) = Self.merge([])
        #expect(state == RegisterState())
        #expect(conflicts.isEmpty)
    }

    @Test func eachFieldTakesItsOwnLastWriter() {
        let a = F.write(F.storeA, 1, at: 1000, ["name": "Li", "phone": "138"])
        let b = F.write(F.storeB, 1, at: 2000, ["name": "Wang"], saw: VersionVector([F.storeA: 1]))
        let (state, conflicts) = Self.merge([b, a])
        #expect(state.fields == ["name": "Wang", "phone": "138"])
        #expect(state.stamps["name"] == b.stamp)
        #expect(state.stamps["phone"] == a.stamp)
        #expect(state.version == VersionVector([F.storeA: 1, F.storeB: 1]))
        #expect(conflicts.isEmpty)
    }

    @Test func equalClocksAreBrokenByOriginThenSeq() {
        let a = F.write(F.storeA, 5, at: 1000, ["name": "A"])
        let b = F.write(F.storeB, 1, at: 1000, ["name": "B"])
        #expect(Self.merge([a, b]).state.fields["name"] == "B")
        #expect(Self.merge([b, a]).state.fields["name"] == "B")
        let a6 = F.write(F.storeA, 6, at: 1000, ["phone": "2"])
        let a5 = F.write(F.storeA, 5, at: 1000, ["phone": "1"])
        #expect(Self.merge([a6, a5]).state.fields["phone"] == "2")
    }

    @Test func aWriteTheWinnerHadSeenIsSupersededWithoutConflict() {
        let a = F.write(F.storeA, 1, at: 1000, ["phone": "138"])
        let b = F.write(F.storeB, 1, at: 2000, ["phone": "139"], saw: VersionVector([F.storeA: 1]))
        let (state, conflicts) = Self.merge([a, b])
        #expect(state.fields["phone"] == "139")
        #expect(conflicts.isEmpty)
    }

    @Test func concurrentEditsRecordOneConflictWithADeterministicID() throws {
        let a = F.write(F.storeA, 1, at: 1000, ["phone": "138"])
        let b = F.write(F.storeB, 1, at: 2000, ["phone": "139"])
        let (state, conflicts) = Self.merge([b, a])
        #expect(state.fields["phone"] == "139")
        let conflict = try #require(conflicts.first)
        #expect(conflicts.count == 1)
        #expect(conflict.id == "concurrent_edit:member:M1.phone:store-a/1")
        #expect(conflict.kind == "register")
        #expect(conflict.rule == "concurrent_edit")
        #expect(conflict.subject == "member:M1.phone")
        #expect(conflict.winner == "store-b/1")
        #expect(conflict.loser == "store-a/1")
        #expect(conflict.createdHLC == a.hlc)
        #expect(conflict.scope == .global)
        guard case let .concurrentEdit(field, _, _, kept, overrode) = conflict.facts else {
            Issue.record("expected a concurrent edit, got \(conflict.facts)")
            return
        }
        #expect(field == "phone")
        #expect(kept == #""139""# && overrode == #""138""#)
        #expect(Self.merge([a, b]).conflicts == conflicts)
    }

    @Test func concurrentIdenticalValuesAreNotAConflict() {
        let a = F.write(F.storeA, 1, at: 1000, ["phone": "138"])
        let b = F.write(F.storeB, 1, at: 2000, ["phone": "138"])
        #expect(Self.merge([a, b]).conflicts.isEmpty)
    }

    @Test func onlyTheOverriddenFieldsConflict() {
        let a = F.write(F.storeA, 1, at: 1000, ["phone": "138", "name": "Li", "level": 1])
        let b = F.write(F.storeB, 1, at: 2000, ["phone": "139", "name": "Li"])
        let (state, conflicts) = Self.merge([a, b])
        #expect(state.fields == ["phone": "139", "name": "Li", "level": 1])
        #expect(conflicts.map(\.id) == ["concurrent_edit:member:M1.phone:store-a/1"])
    }

    @Test func threeConcurrentWritersGiveTwoConflictsSortedByID() {
        let c = F.write(F.storeC, 1, at: 1000, ["name": "C"])
        let a = F.write(F.storeA, 1, at: 1100, ["name": "A"])
        let b = F.write(F.storeB, 1, at: 1200, ["name": "B"])
        let (state, conflicts) = Self.merge([c, b, a])
        #expect(state.fields["name"] == "B")
        #expect(conflicts.map(\.loser) == ["store-a/1", "store-c/1"])
        #expect(conflicts.allSatisfy { $0.winner == "store-b/1" })
    }

    @Test func aWinnerThatSawOnlyOneOfTwoEditsConflictsWithTheOther() {
        let a = F.write(F.storeA, 1, at: 1000, ["name": "A"])
        let c = F.write(F.storeC, 1, at: 1500, ["name": "C"])
        let b = F.write(F.storeB, 1, at: 2000, ["name": "B"], saw: VersionVector([F.storeA: 1]))
        let (_, conflicts) = Self.merge([a, b, c])
        #expect(conflicts.map(\.loser) == ["store-c/1"])
    }

    // MARK: - Properties

    /// Simulates nodes that edit one member offline and sync now and then: each write carries
    /// the version vector of the edits its node had seen, and its clock observed what it synced.
    /// With `alwaysSynced`, every node has seen every earlier write before it writes.
    static func history(seed: Int, alwaysSynced: Bool = false) -> [ChangeRecord] {
        var rng = SplitMix64(seed: seed)
        let nodes = Array(F.nodes.prefix(rng.int(1...4)))
        var clocks = nodes.map { _ in HybridClock() }
        var seqs = nodes.map { _ in Int64(0) }
        var known: [[String: ChangeRecord]] = nodes.map { _ in [:] }
        let skew = nodes.map { _ in rng.int64(-3...3) }
        let fieldNames = ["name", "phone", "level", "note"]
        let values: [JSONValue] = ["a", "b", 1, 2, true, nil]
        var all: [ChangeRecord] = []
        var now: Int64 = 1_000
        for _ in 0..<rng.int(1...40) {
            now += rng.int64(0...2)
            let n = rng.int(0...(nodes.count - 1))
            if alwaysSynced {
                for change in all where known[n][change.stamp.changeID] == nil {
                    known[n][change.stamp.changeID] = change
                    clocks[n].observe(change.hlc)
                }
            }
            if alwaysSynced || rng.chance(65) {
                var fields: Fields = [:]
                for name in fieldNames where rng.chance(40) { fields[name] = rng.pick(values) }
                if fields.isEmpty { fields[rng.pick(fieldNames)] = rng.pick(values) }
                var context = VersionVector()
                for change in known[n].values { context.record(origin: change.origin, seq: change.seq) }
                seqs[n] += 1
                let wall = rng.chance(5) ? now - 20 : now + skew[n]
                let write = ChangeRecord(
                    origin: nodes[n], seq: seqs[n], hlc: clocks[n].tick(wallMillis: wall), kind: .member,
                    entity: "M1", fields: fields, context: context, scope: .global)
                known[n][write.stamp.changeID] = write
                all.append(write)
            } else {
                let from = rng.int(0...(nodes.count - 1))
                for (id, change) in known[from] where known[n][id] == nil {
                    known[n][id] = change
                    clocks[n].observe(change.hlc)
                }
            }
        }
        return all
    }

    @Test func anyDeliveryOrderOfTheSameSetGivesTheSameStateAndConflicts() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let writes = Self.history(seed: seed)
            let expected = Self.merge(writes)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            let delivered = uniqued(withDuplicates(writes, using: &rng)) { $0.stamp.changeID }
            #expect(delivered.count == writes.count)
            for order in deliveryOrders(of: delivered, shuffles: 6, using: &rng) {
                let got = Self.merge(order)
                #expect(got.state == expected.state, "seed \(seed)")
                #expect(got.conflicts == expected.conflicts, "seed \(seed)")
            }
        }
    }

    @Test func stateAndConflictsMatchTheRuleStatedIndependently() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let writes = Self.history(seed: seed)
            let (state, conflicts) = Self.merge(writes)
            var expectedIDs: Set<String> = []
            var version = VersionVector()
            for w in writes { version.record(origin: w.origin, seq: w.seq) }
            #expect(state.version == version, "seed \(seed)")
            let fieldNames = Set(writes.flatMap(\.fields.keys))
            #expect(Set(state.fields.keys) == fieldNames, "seed \(seed)")
            for field in fieldNames {
                let candidates = writes.filter { $0.fields[field] != nil }
                guard let winner = candidates.max(by: { $0.stamp < $1.stamp }) else { continue }
                #expect(state.fields[field] == winner.fields[field], "seed \(seed) field \(field)")
                #expect(state.stamps[field] == winner.stamp, "seed \(seed) field \(field)")
                for w in candidates where w.stamp != winner.stamp {
                    if !winner.context.includes(origin: w.origin, seq: w.seq) && w.fields[field] != winner.fields[field]
                    {
                        expectedIDs.insert("concurrent_edit:member:M1.\(field):\(w.stamp.changeID)")
                    }
                }
            }
            #expect(conflicts.map(\.id) == expectedIDs.sorted(), "seed \(seed)")
        }
    }

    @Test func writersThatHadSeenEverythingNeverConflict() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let writes = Self.history(seed: seed, alwaysSynced: true)
            var rng = SplitMix64(seed: seed)
            let (state, conflicts) = Self.merge(writes.shuffled(using: &rng))
            #expect(conflicts.isEmpty, "seed \(seed)")
            // Folding the writes one by one (latest stamp per field) gives the same state.
            var incremental = RegisterState()
            for w in writes {
                incremental.version.record(origin: w.origin, seq: w.seq)
                for (field, value) in w.fields where incremental.stamps[field].map({ $0 < w.stamp }) ?? true {
                    incremental.fields[field] = value
                    incremental.stamps[field] = w.stamp
                }
            }
            #expect(incremental == state, "seed \(seed)")
        }
    }
}
