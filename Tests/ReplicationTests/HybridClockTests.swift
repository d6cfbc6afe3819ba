import PropertyBased
import Testing

@testable import Replication

@Suite struct HybridClockTests {
    @Test func tickTakesTheWallClockWhenItIsAhead() {
        var clock = HybridClock()
        #expect(clock.tick(wallMillis: 1000) == HLC(wallMillis: 1000, counter: 0))
        #expect(clock.tick(wallMillis: 2000) == HLC(wallMillis: 2000, counter: 0))
        #expect(clock.last == HLC(wallMillis: 2000, counter: 0))
    }

    @Test func ticksWithinOneMillisecondAreStrictlyIncreasing() {
        var clock = HybridClock()
        let issued = (0..<5).map { _ in clock.tick(wallMillis: 1000) }
        #expect(issued.map(\.counter) == [0, 1, 2, 3, 4])
        #expect(issued.allSatisfy { $0.wallMillis == 1000 })
        #expect(zip(issued, issued.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func wallClockJumpingBackwardsKeepsTheLastWallAndBumpsTheCounter() {
        var clock = HybridClock()
        let before = clock.tick(wallMillis: 5000)
        let after = clock.tick(wallMillis: 4000)
        #expect(after > before)
        #expect(after == HLC(wallMillis: 5000, counter: 1))
        let later = clock.tick(wallMillis: 1)
        #expect(later == HLC(wallMillis: 5000, counter: 2))
    }

    @Test func restartFromPersistedLastNeverReissuesATimestamp() {
        var first = HybridClock()
        _ = first.tick(wallMillis: 9000)
        let persisted = first.tick(wallMillis: 9000)
        // The node restarts with a wall clock that is behind (NTP step, dead RTC battery).
        var restarted = HybridClock(last: HLC(rawValue: persisted.rawValue))
        let next = restarted.tick(wallMillis: 8000)
        #expect(next > persisted)
        #expect(next == HLC(wallMillis: 9000, counter: 2))
    }

    @Test func counterOverflowBorrowsTheNextMillisecond() {
        var clock = HybridClock(last: HLC(wallMillis: 1000, counter: 0xFFFF))
        let next = clock.tick(wallMillis: 1000)
        #expect(next == HLC(wallMillis: 1001, counter: 0))
        #expect(next > HLC(wallMillis: 1000, counter: 0xFFFF))
    }

    @Test func seventyThousandTicksInOneMillisecondStayStrictlyIncreasing() {
        var clock = HybridClock()
        var previous = clock.tick(wallMillis: 1000)
        var increasing = true
        for _ in 0..<70_000 {
            let next = clock.tick(wallMillis: 1000)
            if !(next > previous) { increasing = false }
            previous = next
        }
        #expect(increasing)
        #expect(previous.wallMillis == 1001)
        #expect(previous.counter == 70_000 - 0x1_0000)
    }

    @Test func observingARemoteClockMovesLaterTicksPastIt() {
        var clock = HybridClock()
        _ = clock.tick(wallMillis: 1000)
        let remote = HLC(wallMillis: 5000, counter: 3)
        clock.observe(remote)
        #expect(clock.last == remote)
        let next = clock.tick(wallMillis: 1001)
        #expect(next > remote)
        #expect(next == HLC(wallMillis: 5000, counter: 4))
    }

    @Test func observingARemoteWithAnExhaustedCounterStillMovesPastIt() {
        var clock = HybridClock()
        let remote = HLC(wallMillis: 5000, counter: 0xFFFF)
        clock.observe(remote)
        #expect(clock.tick(wallMillis: 10) == HLC(wallMillis: 5001, counter: 0))
    }

    @Test func observingAnOlderRemoteDoesNotMoveTheClockBack() {
        var clock = HybridClock()
        let mine = clock.tick(wallMillis: 7000)
        clock.observe(HLC(wallMillis: 3000, counter: 9))
        #expect(clock.last == mine)
        #expect(clock.tick(wallMillis: 7000) == HLC(wallMillis: 7000, counter: 1))
    }

    /// Random walks of the wall clock (forwards, backwards, standing still), remote observations
    /// and restarts: every issued timestamp is above everything issued or observed before.
    @Test func issuedTimestampsAreAboveEverythingSeenBefore() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            var clock = HybridClock()
            var wall: Int64 = rng.int64(0...1_000_000)
            var highest = HLC.zero
            var ok = true
            for _ in 0..<rng.int(1...300) {
                switch rng.int(0...9) {
                case 0...5:
                    wall += rng.int64(-50...50)
                    if rng.chance(5) { wall -= 10_000 }
                    let issued = clock.tick(wallMillis: max(wall, 0))
                    if !(issued > highest) { ok = false }
                    highest = issued
                case 6...7:
                    let remote = HLC(wallMillis: max(wall + rng.int64(-200...200), 0), counter: rng.int(0...0xFFFF))
                    clock.observe(remote)
                    highest = max(highest, remote)
                default:
                    clock = HybridClock(last: HLC(rawValue: clock.last.rawValue))
                }
                if clock.last != highest { ok = false }
            }
            #expect(ok, "seed \(seed)")
        }
    }
}
