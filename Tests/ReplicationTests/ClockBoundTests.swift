import FenxiaoTesting
import PropertyBased
import Testing

@testable import Replication

/// The clock bound (sync/PROTOCOL.md §3.1–3.2): checked HLC arithmetic, bounded observe, the
/// stamp range central accepts, and register merge with central's `clock_clamp`s.
@Suite struct ClockBoundTests {
    typealias F = Fixture
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_764_057_600_000  // 2025-11-25 16:00 Beijing

    // MARK: - Checked arithmetic

    @Test func extremeWallTimesNeverWrapNegative() {
        for wall in [Int64.max, Int64.max >> 8, HLC.maxWallMillis + 1, -1, Int64.min] {
            let h = HLC(wallMillis: wall, counter: 0xFFFF)
            #expect(h.rawValue >= 0, "wall \(wall)")
            #expect(h.wallMillis <= HLC.maxWallMillis)
        }
        #expect(HLC(wallMillis: Int64.max, counter: 0).wallMillis == HLC.maxWallMillis)
        #expect(HLC(wallMillis: -5, counter: 3) == HLC(wallMillis: 0, counter: 3))
    }

    @Test func aClockAtTheMaximumSaturatesInsteadOfWrapping() {
        var clock = HybridClock(last: .maximum)
        let next = clock.tick(wallMillis: Self.now)
        #expect(next == .maximum)
        #expect(next.rawValue > 0)
        var wrapped = HybridClock(last: HLC(rawValue: -42))  // a wrapped value from an older binary
        #expect(wrapped.tick(wallMillis: Self.now) == HLC(wallMillis: Self.now, counter: 0))
    }

    // MARK: - Bounded observe

    @Test func aStampADayAheadMovesTheClockOnlyToTheBound() {
        var clock = HybridClock(last: HLC(wallMillis: Self.now - 1000, counter: 0))
        let beyond = clock.observe(
            HLC(wallMillis: Self.now + Self.day, counter: 0), wallMillis: Self.now, bound: .standard)
        #expect(beyond)
        #expect(clock.last <= ClockBound.standard.ceiling(wallMillis: Self.now))
        #expect(clock.last.wallMillis == Self.now + 5 * Self.minute)
        // The next local stamp is not a day ahead either.
        #expect(clock.tick(wallMillis: Self.now + 1).wallMillis <= Self.now + 5 * Self.minute + 1)
    }

    @Test func aStampWithinTheBoundIsFollowedExactly() {
        var clock = HybridClock(last: HLC(wallMillis: Self.now, counter: 0))
        let remote = HLC(wallMillis: Self.now + 4 * Self.minute, counter: 7)
        let beyond = clock.observe(remote, wallMillis: Self.now, bound: .standard)
        #expect(!beyond)
        #expect(clock.last == remote)
    }

    @Test func observeWithExtremeValuesNeitherTrapsNorWraps() {
        var clock = HybridClock()
        clock.observe(HLC(rawValue: Int64.max), wallMillis: Int64.max, bound: ClockBound(maxOffsetMillis: Int64.max))
        #expect(clock.last.rawValue >= 0)
        clock.observe(HLC(rawValue: Int64.min), wallMillis: Int64.min, bound: .standard)
        #expect(clock.last.rawValue >= 0)
    }

    /// Property: whatever stamps arrive, a node's clock stays within the bound of its wall
    /// clock (or of its own earlier stamps), and keeps increasing.
    @Test func theClockStaysWithinTheBoundWhateverArrives() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let bound = ClockBound(maxOffsetMillis: rng.int64(0...(10 * Self.minute)))
            var wall = Self.now
            var clock = HybridClock(last: HLC(wallMillis: wall, counter: 0))
            var previous = clock.last
            for _ in 0..<50 {
                wall += rng.int64(-1000...60_000)
                if rng.chance(50) {
                    let remote = HLC(
                        rawValue: rng.chance(10)
                            ? rng.int64(Int64.min...Int64.max)
                            : HLC(wallMillis: wall + rng.int64(-Self.day...(100 * 365 * Self.day)), counter: 0).rawValue
                    )
                    let ceiling = bound.ceiling(wallMillis: wall)
                    let before = clock.last
                    clock.observe(remote, wallMillis: wall, bound: bound)
                    #expect(clock.last <= max(before, ceiling), "seed \(seed)")
                } else {
                    let t = clock.tick(wallMillis: wall)
                    #expect(t > previous, "seed \(seed)")
                    #expect(t.wallMillis <= max(previous.wallMillis + 1, wall), "seed \(seed)")
                }
                #expect(clock.last >= previous, "seed \(seed)")
                previous = clock.last
            }
        }
    }

    // MARK: - The stamp range central accepts

    @Test func absurdStampsAreRefusedWithAReason() {
        let b = ClockBound.standard
        for raw in [
            Int64.max, -1, Int64.min, 0, HLC(wallMillis: 1_000, counter: 0).rawValue,
            HLC(wallMillis: Self.now + 100 * 365 * Self.day, counter: 0).rawValue,
            HLC(wallMillis: Self.now + 8 * Self.day, counter: 0).rawValue,
        ] {
            #expect(b.refusal(HLC(rawValue: raw), wallMillis: Self.now) != nil, "raw \(raw)")
        }
        #expect(b.refusal(HLC(rawValue: Int64.max), wallMillis: Self.now)?.contains("days ahead") == true)
        #expect(b.refusal(HLC(rawValue: -1), wallMillis: Self.now)?.contains("before 2020") == true)
    }

    @Test func aStoreADayFastIsAcceptedButAheadOfTheBound() {
        let b = ClockBound.standard
        let dayFast = HLC(wallMillis: Self.now + Self.day, counter: 0)
        #expect(b.refusal(dayFast, wallMillis: Self.now) == nil)
        #expect(b.isAhead(dayFast, wallMillis: Self.now))
        #expect(!b.isAhead(HLC(wallMillis: Self.now + 4 * Self.minute, counter: 0), wallMillis: Self.now))
        #expect(b.refusal(HLC(wallMillis: Self.now - 3 * Self.day, counter: 0), wallMillis: Self.now) == nil)
    }

    // MARK: - Register merge with clamps

    static func clamp(_ write: ChangeRecord, seq: Int64, at wall: Int64) -> ChangeRecord {
        ChangeRecord(
            origin: .central, seq: seq, hlc: HLC(wallMillis: wall, counter: 0), kind: .clockClamp,
            entity: write.stamp.changeID,
            fields: ClockClamp.change(for: write, offsetMillis: write.hlc.wallMillis - wall).fields,
            scope: write.scope)
    }

    @Test func aClampedWriteLosesToALaterWriteItWouldHaveBeatenByItsClock() {
        // s2 (a day fast) edits at 16:20 real time; s1 at 16:30; central received s2's at 16:25.
        let s2 = F.write(F.storeB, 1, at: Self.now + Self.day + 20 * Self.minute, ["phone": "139"])
        let s1 = F.write(F.storeA, 1, at: Self.now + 30 * Self.minute, ["phone": "137"])
        let c = Self.clamp(s2, seq: 1, at: Self.now + 25 * Self.minute)
        let clamps = ClockClamp.table([c, s1, s2])
        let (state, conflicts) = RegisterMerge.materialize(
            [s1, s2], subject: "member:M1", scope: .global, clamps: clamps)
        #expect(state.fields["phone"] == "137")
        #expect(conflicts.map(\.loser) == ["store-b/1"])
        // Without the clamp, the day-fast clock wins.
        #expect(
            RegisterMerge.materialize([s1, s2], subject: "member:M1", scope: .global).state.fields["phone"] == "139")
        // A clamp never raises a stamp.
        let late = Self.clamp(s1, seq: 2, at: Self.now + Self.day * 2)
        #expect(ClockClamp.effectiveStamp(of: s1, clamps: ClockClamp.table([late])) == s1.stamp)
    }

    /// Property: histories with one store far ahead, whose register writes central clamps when
    /// it receives them (as it does at a push), merge to one state and one set of conflicts in
    /// every delivery order with duplicates, clamps arriving before or after their writes; and
    /// every field's winner is the write with the greatest effective stamp.
    @Test func mergeWithClampsIsDeterministicAndSkewCannotWin() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let bound = ClockBound.standard
            let skewed = F.storeB
            let nodes = [F.storeA, skewed, F.storeC]
            let skew: [Int64] = [rng.int64(-60_000...60_000), rng.int64(bound.maxOffsetMillis + 1...(3 * Self.day)), 0]
            var clocks = nodes.map { _ in HybridClock() }
            var central = HybridClock()
            var seqs = nodes.map { _ in Int64(0) }
            var centralSeq: Int64 = 0
            var known: [Set<String>] = nodes.map { _ in [] }
            var writes: [ChangeRecord] = []
            var clamps: [ChangeRecord] = []
            var atCentral = Set<String>()
            var wall = Self.now
            for _ in 0..<rng.int(2...30) {
                wall += rng.int64(1...120_000)
                let n = rng.int(0...2)
                if rng.chance(60) {
                    var context = VersionVector()
                    for w in writes where known[n].contains(w.stamp.changeID) {
                        context.record(origin: w.origin, seq: w.seq)
                    }
                    seqs[n] += 1
                    let fields: Fields =
                        rng.chance(50) ? ["phone": .string("p\(seqs[n])\(n)")] : ["name": .string("n\(seqs[n])\(n)")]
                    let w = ChangeRecord(
                        origin: nodes[n], seq: seqs[n], hlc: clocks[n].tick(wallMillis: wall + skew[n]), kind: .member,
                        entity: "M1", fields: fields, context: context, scope: .global)
                    writes.append(w)
                    known[n].insert(w.stamp.changeID)
                } else {
                    // Node n syncs: central receives its writes (clamping those beyond the bound), n receives all.
                    for w in writes where w.origin == nodes[n] && !atCentral.contains(w.stamp.changeID) {
                        atCentral.insert(w.stamp.changeID)
                        if bound.isAhead(w.hlc, wallMillis: wall) {
                            centralSeq += 1
                            let stamp = central.tick(wallMillis: wall)
                            clamps.append(Self.clamp(w, seq: centralSeq, at: stamp.wallMillis))
                        }
                        central.observe(w.hlc, wallMillis: wall, bound: bound)
                    }
                    for w in writes where atCentral.contains(w.stamp.changeID) {
                        known[n].insert(w.stamp.changeID)
                        clocks[n].observe(w.hlc, wallMillis: wall + skew[n], bound: bound)
                    }
                    // Within the bound; a tick right at the ceiling may borrow one more millisecond.
                    #expect(
                        central.last.wallMillis <= bound.ceiling(wallMillis: wall).wallMillis + 1,
                        "seed \(seed): central dragged ahead")
                }
            }
            let all = writes + clamps
            func merge(_ changes: [ChangeRecord]) -> (RegisterState, [ConflictRecord]) {
                RegisterMerge.materialize(
                    changes.filter { $0.kind != .clockClamp }, subject: "member:M1", scope: .global,
                    clamps: ClockClamp.table(changes))
            }
            let expected = merge(all)
            let delivered = withDuplicates(all, using: &rng)
            for order in deliveryOrders(of: delivered, shuffles: 4, using: &rng) {
                let got = merge(order)
                #expect(got.0 == expected.0, "seed \(seed)")
                #expect(got.1 == expected.1, "seed \(seed)")
            }
            let table = ClockClamp.table(clamps)
            for field in ["phone", "name"] {
                let candidates = writes.filter { $0.fields[field] != nil }
                guard
                    let winner = candidates.max(by: {
                        ClockClamp.effectiveStamp(of: $0, clamps: table)
                            < ClockClamp.effectiveStamp(of: $1, clamps: table)
                    })
                else { continue }
                #expect(expected.0.fields[field] == winner.fields[field], "seed \(seed) field \(field)")
                // A clamped write of the fast store never carries an effective stamp beyond central's clock.
                for w in candidates where table[w.stamp.changeID] != nil {
                    #expect(ClockClamp.effectiveStamp(of: w, clamps: table).hlc <= central.last, "seed \(seed)")
                }
            }
        }
    }
}
