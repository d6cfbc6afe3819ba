import Commerce
import FenxiaoTesting
import Replication
import Testing

@Suite struct StockLedgerTests {
    typealias F = Fixture

    /// Builds movements with ids m1, m2… and stamps from store-a unless told otherwise.
    struct Builder {
        var movements: [StockMovement] = []
        var seqs: [NodeID: Int64] = [:]

        @discardableResult
        mutating func add(
            _ reason: StockReason, _ quantity: Int64, at wall: Int64, from origin: NodeID = F.storeA,
            releases: String? = nil, id: String? = nil
        ) -> StockMovement {
            seqs[origin, default: 0] += 1
            let seq = seqs[origin, default: 0]
            let m = StockMovement(
                id: id ?? "\(origin.rawValue)-\(seq)", sku: "TEA-01", warehouse: "W1", reason: reason,
                quantity: quantity,
                releases: releases, stamp: F.stamp(origin, seq, at: wall))
            movements.append(m)
            return m
        }
    }

    static func evaluate(_ movements: [StockMovement]) throws -> StockLedger.Evaluation {
        try StockLedger.evaluate(movements, sku: "TEA-01", warehouse: "W1", scope: .global)
    }

    // MARK: - Facts and counts

    @Test func factsSumToTheBalance() throws {
        var b = Builder()
        b.add(.receive, 10, at: 1000)
        b.add(.sale, -3, at: 1001)
        b.add(.return, 1, at: 1002)
        b.add(.transferOut, -2, at: 1003)
        b.add(.transferIn, 4, at: 1004)
        b.add(.adjust, -1, at: 1005)
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 9, reserved: 0))
        #expect(e.position.available == 9)
        #expect(e.conflicts.isEmpty && e.displaced.isEmpty)
    }

    @Test func aCountAbsorbsEarlierFactsAndLaterFactsApplyOnTop() throws {
        var b = Builder()
        b.add(.receive, 10, at: 1000)
        b.add(.sale, -3, at: 1001, from: F.storeB)
        b.add(.count, 20, at: 2000)
        b.add(.sale, -2, at: 3000, from: F.storeB)
        b.add(.receive, 5, at: 3001)
        #expect(try Self.evaluate(b.movements).position.onHand == 23)
    }

    @Test func aFactSyncedLateButStampedBeforeTheCountIsAbsorbed() throws {
        var b = Builder()
        b.add(.count, 20, at: 2000)
        // An offline store's sale that arrives after the count but happened before it.
        b.add(.sale, -4, at: 1500, from: F.storeB)
        #expect(try Self.evaluate(b.movements).position.onHand == 20)
    }

    @Test func theLatestCountWins() throws {
        var b = Builder()
        b.add(.count, 50, at: 3000, from: F.storeB)
        b.add(.count, 20, at: 2000)
        b.add(.sale, -1, at: 2500)
        #expect(try Self.evaluate(b.movements).position.onHand == 50)
    }

    @Test func noMovementsMeansNothingOnHand() throws {
        let e = try Self.evaluate([])
        #expect(e.position == StockPosition(onHand: 0, reserved: 0))
        #expect(e.conflicts.isEmpty && e.displaced.isEmpty)
    }

    // MARK: - Oversold

    @Test func goingBelowZeroOnTheWayIsNotOversoldWhenTheFinalBalanceIsPositive() throws {
        var b = Builder()
        b.add(.sale, -5, at: 1000, from: F.storeB)
        b.add(.receive, 10, at: 2000)
        let e = try Self.evaluate(b.movements)
        #expect(e.position.onHand == 5)
        #expect(e.conflicts.isEmpty)
    }

    @Test func aNegativeFinalBalanceFlagsTheSaleThatCrossedZero() throws {
        var b = Builder()
        b.add(.receive, 2, at: 1000)
        let sale = b.add(.sale, -5, at: 2000, from: F.storeB)
        let e = try Self.evaluate(b.movements)
        #expect(e.position.onHand == -3)
        let conflict = try #require(e.conflicts.first)
        #expect(e.conflicts.count == 1)
        #expect(conflict.rule == "oversold")
        #expect(conflict.kind == "stock")
        #expect(conflict.subject == "stock:TEA-01@W1")
        #expect(conflict.id == "oversold:stock:TEA-01@W1:store-b/1")
        #expect(conflict.loser == sale.stamp.changeID)
        #expect(conflict.winner == nil)
        #expect(conflict.amount == 3)
        #expect(conflict.unit == "units")
        #expect(conflict.createdHLC == sale.stamp.hlc)
    }

    @Test func twoOfflineStoresSellingTheLastUnitsBothCrossAfterTheFirst() throws {
        var b = Builder()
        b.add(.count, 3, at: 1000, from: .central)
        b.add(.sale, -3, at: 2000)
        let second = b.add(.sale, -2, at: 2001, from: F.storeB)
        let e = try Self.evaluate(b.movements)
        #expect(e.position.onHand == -2)
        #expect(e.conflicts.map(\.loser) == [second.stamp.changeID])
        #expect(e.conflicts.map(\.amount) == [2])
    }

    @Test func eachShortfallIsCappedAtItsOwnSale() throws {
        var b = Builder()
        b.add(.sale, -5, at: 1000)
        b.add(.sale, -2, at: 2000, from: F.storeB)
        let e = try Self.evaluate(b.movements)
        #expect(e.position.onHand == -7)
        #expect(e.conflicts.map(\.amount) == [5, 2])
        #expect(e.conflicts.map(\.loser) == ["store-a/1", "store-b/1"])
    }

    // MARK: - Allocations

    @Test func allocationsAreGrantedAfterAllFactsEvenLaterOnes() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000, from: .central)
        let online = b.add(.allocate, 3, at: 2000, from: .central, id: "R-online")
        b.add(.sale, -4, at: 3000, from: F.storeB)  // the counter sale is a fact: it keeps its stock
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 1, reserved: 0))
        #expect(e.displaced == ["R-online"])
        let conflict = try #require(e.conflicts.first)
        #expect(e.conflicts.count == 1)
        #expect(conflict.rule == "allocation_displaced")
        #expect(conflict.id == "allocation_displaced:stock:TEA-01@W1:central/2")
        #expect(conflict.loser == online.stamp.changeID)
        #expect(conflict.amount == 3)
        #expect(conflict.createdHLC == online.stamp.hlc)
    }

    @Test func allocationsAreGrantedInStampOrderAndSmallerLaterOnesMayStillFit() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000, from: .central)
        b.add(.allocate, 3, at: 2002, from: F.storeB, id: "R2")
        b.add(.allocate, 3, at: 2001, from: F.storeA, id: "R1")
        b.add(.allocate, 2, at: 2003, from: F.storeC, id: "R3")
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 5, reserved: 5))
        #expect(e.position.available == 0)
        #expect(e.displaced == ["R2"])
        #expect(e.conflicts.map(\.rule) == ["allocation_displaced"])
    }

    @Test func allocationsFitExactlyTheAvailableStock() throws {
        var b = Builder()
        b.add(.receive, 6, at: 1000)
        b.add(.allocate, 6, at: 2000, id: "R1")
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 6, reserved: 6))
        #expect(e.displaced.isEmpty)
    }

    @Test func oversoldStockDisplacesEveryAllocation() throws {
        var b = Builder()
        b.add(.sale, -2, at: 1000)
        b.add(.allocate, 1, at: 2000, id: "R1")
        let e = try Self.evaluate(b.movements)
        #expect(e.displaced == ["R1"])
        #expect(e.conflicts.map(\.rule) == ["oversold", "allocation_displaced"])
    }

    @Test func releaseEndsAReservation() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000)
        b.add(.allocate, 3, at: 2000, id: "R1")
        b.add(.release, 0, at: 3000, releases: "R1")
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 5, reserved: 0))
        #expect(e.displaced.isEmpty && e.conflicts.isEmpty)
    }

    @Test func aShipmentEndsItsReservationAndTakesTheStock() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000)
        b.add(.allocate, 3, at: 2000, id: "R1")
        b.add(.sale, -3, at: 3000, releases: "R1")
        let e = try Self.evaluate(b.movements)
        #expect(e.position == StockPosition(onHand: 2, reserved: 0))
        #expect(e.conflicts.isEmpty)
    }

    @Test func aReleaseArrivingBeforeItsAllocationStillEndsIt() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000)
        b.add(.release, 0, at: 1500, releases: "R1")
        b.add(.allocate, 3, at: 2000, id: "R1")
        #expect(try Self.evaluate(b.movements).position.reserved == 0)
    }

    @Test func reallocateEndsTheReservationButKeepsTheDisplacedConflict() throws {
        var b = Builder()
        b.add(.receive, 5, at: 1000, from: .central)
        b.add(.allocate, 3, at: 2000, from: .central, id: "R-online")
        b.add(.sale, -4, at: 3000, from: F.storeB)
        let before = try Self.evaluate(b.movements)
        #expect(before.displaced == ["R-online"])
        // Head office moves the order to another warehouse; then new stock arrives here.
        b.add(.reallocate, 0, at: 4000, from: .central, releases: "R-online")
        b.add(.receive, 10, at: 5000, from: .central)
        let after = try Self.evaluate(b.movements)
        #expect(after.position == StockPosition(onHand: 11, reserved: 0))
        #expect(after.displaced == ["R-online"])
        #expect(after.conflicts == before.conflicts)
    }

    @Test func conflictsCarryTheScope() throws {
        var b = Builder()
        b.add(.sale, -1, at: 1000)
        let e = try StockLedger.evaluate(b.movements, sku: "TEA-01", warehouse: "W1", scope: .node(F.storeA))
        #expect(e.conflicts.map(\.scope) == [.node(F.storeA)])
    }

    // MARK: - Properties

    static func history(seed: UInt64) -> [StockMovement] {
        var rng = SplitMix64(seed: seed)
        var b = Builder()
        var allocations: [String] = []
        for _ in 0..<rng.int(0...30) {
            let origin = rng.pick(F.nodes)
            let wall = rng.int64(1000...1012)  // narrow, so equal clocks across nodes are common
            switch rng.int(0...11) {
            case 0, 1: b.add(.receive, rng.int64(1...10), at: wall, from: origin)
            case 2, 3:
                b.add(
                    .sale, -rng.int64(1...6), at: wall, from: origin, releases: rng.chance(15) ? allocations.last : nil)
            case 4: b.add(rng.pick([.return, .transferIn]), rng.int64(1...3), at: wall, from: origin)
            case 5: b.add(.transferOut, -rng.int64(1...5), at: wall, from: origin)
            case 6: b.add(.adjust, rng.int64(-3...3), at: wall, from: origin)
            case 7: b.add(.count, rng.int64(0...15), at: wall, from: origin)
            case 8, 9:
                let m = b.add(.allocate, rng.int64(1...5), at: wall, from: origin)
                allocations.append(m.id)
            case 10 where !allocations.isEmpty:
                b.add(.release, 0, at: wall, from: origin, releases: rng.pick(allocations))
            case 11 where !allocations.isEmpty:
                b.add(.reallocate, 0, at: wall, from: origin, releases: rng.pick(allocations))
            default:
                b.add(.receive, 1, at: wall, from: origin)
            }
        }
        return b.movements
    }

    @Test func anyDeliveryOrderOfTheSameSetGivesTheSameEvaluation() throws {
        for seed in propertySeeds {
            let movements = Self.history(seed: seed)
            let expected = try Self.evaluate(movements)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            let delivered = uniqued(withDuplicates(movements, using: &rng)) { $0.stamp.changeID }
            #expect(delivered.count == movements.count)
            for order in deliveryOrders(of: delivered, shuffles: 6, using: &rng) {
                #expect(try Self.evaluate(order) == expected, "seed \(seed)")
            }
        }
    }

    @Test func evaluationFollowsTheRulesStatedIndependently() throws {
        for seed in propertySeeds {
            let movements = Self.history(seed: seed)
            let e = try Self.evaluate(movements)
            // On hand: latest count plus the facts after it.
            let count = movements.filter { $0.reason == .count }.max { $0.stamp < $1.stamp }
            let onHand = movements.filter { m in
                m.reason.isFact && m.reason != .count && count.map { m.stamp > $0.stamp } ?? true
            }.reduce(count?.quantity ?? 0) { $0 + $1.quantity }
            #expect(e.position.onHand == onHand, "seed \(seed)")
            // Oversold only when the final balance is negative.
            let oversold = e.conflicts.filter { $0.rule == "oversold" }
            #expect(oversold.isEmpty == (onHand >= 0), "seed \(seed)")
            let quantities = Dictionary(uniqueKeysWithValues: movements.map { ($0.stamp.changeID, $0.quantity) })
            for c in oversold {
                let quantity = quantities[c.loser] ?? 0
                #expect(quantity < 0 && (1...(-quantity)).contains(c.amount), "seed \(seed)")
            }
            #expect(oversold.reduce(0) { $0 + $1.amount } >= max(0, -onHand), "seed \(seed)")
            // Every allocation not released is either granted or displaced; reallocated ones stay
            // displaced; grants never exceed stock.
            let released = Set(movements.filter { $0.reason != .reallocate }.compactMap(\.releases))
            let reallocated = Set(movements.filter { $0.reason == .reallocate }.compactMap(\.releases))
            let open = movements.filter { $0.reason == .allocate && !released.contains($0.id) }
            let displaced = Set(e.displaced)
            let granted = open.filter { !displaced.contains($0.id) }
            #expect(displaced.isSubset(of: Set(open.map(\.id))), "seed \(seed)")
            #expect(Set(open.map(\.id)).intersection(reallocated).isSubset(of: displaced), "seed \(seed)")
            #expect(e.position.reserved == granted.reduce(0) { $0 + $1.quantity }, "seed \(seed)")
            #expect(e.position.reserved == 0 || e.position.available >= 0, "seed \(seed)")
            // Greedy in stamp order: each open allocation is displaced exactly when it no longer fits.
            var reserved: Int64 = 0
            var expectedDisplaced: [String] = []
            for m in open.sorted(by: { $0.stamp < $1.stamp }) {
                if reallocated.contains(m.id) || onHand - reserved < m.quantity {
                    expectedDisplaced.append(m.id)
                } else {
                    reserved += m.quantity
                }
            }
            #expect(e.displaced == expectedDisplaced, "seed \(seed)")
            #expect(
                e.conflicts.filter { $0.rule == "allocation_displaced" }.map(\.loser)
                    == open.filter { displaced.contains($0.id) }.sorted { $0.stamp < $1.stamp }.map(\.stamp.changeID),
                "seed \(seed)")
            #expect(Set(e.conflicts.map(\.id)).count == e.conflicts.count, "seed \(seed)")
        }
    }

    // MARK: - Checked arithmetic (issue 15 item 1)

    @Test func quantitiesBeyond64BitsAreRefusedNotATrap() {
        var b = Builder()
        b.add(.receive, Int64.max, at: 1)
        b.add(.receive, 1, at: 2)
        #expect(throws: ArithmeticOverflow.self) { try Self.evaluate(b.movements) }
        var c = Builder()
        c.add(.receive, 10, at: 1)
        c.add(.allocate, Int64.max, at: 2)
        c.add(.sale, Int64.min, at: 3)
        #expect(throws: ArithmeticOverflow.self) { try Self.evaluate(c.movements) }
    }
}
