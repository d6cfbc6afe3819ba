import FenxiaoTesting
import PropertyBased
import Testing

@testable import Replication

@Suite struct LedgerReplayTests {
    typealias F = Fixture

    static func entry(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ delta: Int64) -> LedgerEntry {
        LedgerEntry(id: "\(origin.rawValue)/\(seq)", stamp: F.stamp(origin, seq, at: wall), delta: delta)
    }

    @Test func emptyLedgerHasZeroBalance() throws {
        let outcome = try LedgerReplay.replay([])
        #expect(outcome.balance == 0)
        #expect(outcome.overdrafts.isEmpty)
    }

    @Test func balanceIsTheSumOfEntries() throws {
        let entries = [
            Self.entry(F.storeA, 1, at: 1000, 100), Self.entry(F.storeA, 2, at: 2000, -30),
            Self.entry(F.storeB, 1, at: 1500, 45),
        ]
        let outcome = try LedgerReplay.replay(entries)
        #expect(outcome.balance == 115)
        #expect(outcome.overdrafts.isEmpty)
    }

    @Test func spendingTheSamePointsTwiceOfflineRecordsTheShortfall() throws {
        let earn = Self.entry(.central, 1, at: 1000, 100)
        let spendA = Self.entry(F.storeA, 1, at: 2000, -80)
        let spendB = Self.entry(F.storeB, 1, at: 2001, -80)
        let outcome = try LedgerReplay.replay([spendB, earn, spendA])
        #expect(outcome.balance == -60)
        let overdraft = try #require(outcome.overdrafts.first)
        #expect(outcome.overdrafts.count == 1)
        #expect(overdraft.entry == spendB)
        #expect(overdraft.shortfall == 60)
    }

    @Test func aLaterEarnDoesNotEraseAnEarlierOverdraft() throws {
        let entries = [
            Self.entry(.central, 1, at: 1000, 100), Self.entry(F.storeA, 1, at: 2000, -80),
            Self.entry(F.storeB, 1, at: 2001, -80), Self.entry(.central, 2, at: 3000, 100),
        ]
        let outcome = try LedgerReplay.replay(entries)
        #expect(outcome.balance == 40)
        #expect(outcome.overdrafts.map(\.entry.id) == ["store-b/1"])
        #expect(outcome.overdrafts.map(\.shortfall) == [60])
    }

    @Test func shortfallIsCappedAtTheDebitWhenAlreadyOverdrawn() throws {
        let entries = [Self.entry(F.storeA, 1, at: 1000, -50), Self.entry(F.storeB, 1, at: 2000, -30)]
        let outcome = try LedgerReplay.replay(entries)
        #expect(outcome.balance == -80)
        #expect(outcome.overdrafts.map(\.shortfall) == [50, 30])
    }

    @Test func creditsNeverOverdraw() throws {
        let entries = [Self.entry(F.storeA, 1, at: 1000, -50), Self.entry(F.storeB, 1, at: 2000, 20)]
        let outcome = try LedgerReplay.replay(entries)
        #expect(outcome.balance == -30)
        #expect(outcome.overdrafts.map(\.entry.id) == ["store-a/1"])
    }

    @Test func equalClocksReplayInOriginOrder() throws {
        let earnB = Self.entry(F.storeB, 1, at: 1000, 50)
        let spendA = Self.entry(F.storeA, 1, at: 1000, -50)
        // store-a sorts first, so its spend comes before store-b's earn.
        let outcome = try LedgerReplay.replay([earnB, spendA])
        #expect(outcome.balance == 0)
        #expect(outcome.overdrafts.map(\.entry) == [spendA])
    }

    @Test func outcomeEqualityComparesOverdrafts() throws {
        let spend = Self.entry(F.storeA, 1, at: 1000, -5)
        let a = LedgerOutcome(balance: -5, overdrafts: [(spend, 5)])
        #expect(a == LedgerOutcome(balance: -5, overdrafts: [(spend, 5)]))
        #expect(a != LedgerOutcome(balance: -5, overdrafts: [(spend, 4)]))
        #expect(a != LedgerOutcome(balance: -5, overdrafts: []))
    }

    // MARK: - Properties

    static func entries(seed: Int) -> [LedgerEntry] {
        var rng = SplitMix64(seed: seed)
        var seqs: [NodeID: Int64] = [:]
        return (0..<rng.int(0...30)).map { _ in
            let origin = rng.pick(F.nodes)
            seqs[origin, default: 0] += 1
            let delta = rng.chance(45) ? rng.int64(1...100) : -rng.int64(1...100)
            // A small clock range so equal clocks across nodes are common.
            return Self.entry(origin, seqs[origin, default: 0], at: rng.int64(1000...1010), delta)
        }
    }

    @Test func anyDeliveryOrderOfTheSameSetGivesTheSameOutcome() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let entries = Self.entries(seed: seed)
            let expected = try LedgerReplay.replay(entries)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            let delivered = uniqued(withDuplicates(entries, using: &rng)) { $0.stamp.changeID }
            for order in deliveryOrders(of: delivered, shuffles: 6, using: &rng) {
                #expect(try LedgerReplay.replay(order) == expected, "seed \(seed)")
            }
        }
    }

    @Test func overdraftsAccountForEveryUnitBelowZero() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            let entries = Self.entries(seed: seed)
            let outcome = try LedgerReplay.replay(entries)
            #expect(outcome.balance == entries.reduce(0) { $0 + $1.delta }, "seed \(seed)")
            for (entry, shortfall) in outcome.overdrafts {
                #expect(entry.delta < 0 && (1...(-entry.delta)).contains(shortfall), "seed \(seed)")
            }
            let stamps = outcome.overdrafts.map(\.entry.stamp)
            #expect(stamps == stamps.sorted(), "seed \(seed)")
            // Nothing floors at zero: the recorded debt covers at least the final deficit.
            #expect(outcome.overdrafts.reduce(0) { $0 + $1.shortfall } >= max(0, -outcome.balance), "seed \(seed)")
        }
    }

    // MARK: - Checked arithmetic (issue 15 item 1)

    @Test func aBalanceBeyond64BitsIsRefusedNotATrap() {
        let a = NodeID("a")!
        let huge = Self.entry(a, 1, at: 1, Int64.max)
        let more = Self.entry(a, 2, at: 2, 1)
        #expect(throws: ArithmeticOverflow.self) { try LedgerReplay.replay([huge, more]) }
        let low = Self.entry(a, 3, at: 3, Int64.min)
        let less = Self.entry(a, 4, at: 4, -1)
        #expect(throws: ArithmeticOverflow.self) { try LedgerReplay.replay([low, less]) }
        // its shortfall, -Int64.min, does not fit
        #expect(throws: ArithmeticOverflow.self) { try LedgerReplay.replay([low]) }
    }

    @Test func theLargestBalanceThatFitsIsKept() throws {
        let a = NodeID("a")!
        let outcome = try LedgerReplay.replay([Self.entry(a, 1, at: 1, Int64.max - 1), Self.entry(a, 2, at: 2, 1)])
        #expect(outcome.balance == Int64.max)
    }
}
