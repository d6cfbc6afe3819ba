import Commerce
import FenxiaoTesting
import Replication
import Testing

@Suite struct OrderStateMachineTests {
    typealias F = Fixture
    typealias Event = OrderStateMachine.Event
    typealias Refund = OrderStateMachine.Refund

    static func event(_ status: OrderStatus, _ origin: NodeID, _ seq: Int64, at wall: Int64) -> Event {
        Event(status: status, stamp: F.stamp(origin, seq, at: wall))
    }

    static func refund(_ id: String, _ amount: Int64, _ origin: NodeID, _ seq: Int64, at wall: Int64) -> Refund {
        Refund(id: id, amount: amount, stamp: F.stamp(origin, seq, at: wall))
    }

    static func materialize(_ events: [Event], paid: Int64 = 0, refunds: [Refund] = []) -> OrderStateMachine.Outcome {
        OrderStateMachine.materialize(order: "O1", events: events, paid: paid, refunds: refunds, scope: .node(F.storeA))
    }

    static let created = event(.pending, F.storeA, 1, at: 1000)

    @Test func aNewOrderIsPending() {
        let outcome = Self.materialize([Self.created])
        #expect(outcome.status == .pending)
        #expect(outcome.refunded == 0)
        #expect(outcome.conflicts.isEmpty)
    }

    @Test func noEventsIsPending() {
        #expect(Self.materialize([]).status == .pending)
    }

    @Test func cancelAloneCancels() {
        let outcome = Self.materialize([Self.created, Self.event(.cancelled, F.storeA, 2, at: 2000)])
        #expect(outcome.status == .cancelled)
        #expect(outcome.conflicts.isEmpty)
    }

    @Test func paidBeatsAConcurrentCancel() throws {
        let paid = Self.event(.paid, F.storeA, 2, at: 2000)
        let cancel = Self.event(.cancelled, F.storeB, 1, at: 2500)  // later clock, still loses
        let outcome = Self.materialize([cancel, Self.created, paid], paid: 5000)
        #expect(outcome.status == .paid)
        let conflict = try #require(outcome.conflicts.first)
        #expect(outcome.conflicts.count == 1)
        #expect(conflict.rule == "fact_beats_cancel")
        #expect(conflict.kind == "order")
        #expect(conflict.subject == "order:O1")
        #expect(conflict.id == "fact_beats_cancel:order:O1:store-b/1")
        #expect(conflict.winner == "store-a/2")
        #expect(conflict.loser == "store-b/1")
        #expect(conflict.amount == 5000)
        #expect(conflict.unit == "cents")
        #expect(conflict.createdHLC == cancel.stamp.hlc)
        #expect(conflict.scope == .node(F.storeA))
        #expect(ConflictText.sentence(conflict.facts, in: .english).contains("refund"))
    }

    @Test func completedBeatsACancelStampedBeforeIt() {
        let cancel = Self.event(.cancelled, F.storeB, 1, at: 1500)
        let paid = Self.event(.paid, F.storeA, 2, at: 2000)
        let done = Self.event(.completed, F.storeA, 3, at: 2001)
        let outcome = Self.materialize([done, cancel, paid, Self.created], paid: 5000)
        #expect(outcome.status == .completed)
        #expect(outcome.conflicts.map(\.rule) == ["fact_beats_cancel"])
        #expect(outcome.conflicts.map(\.winner) == ["store-a/2"])
    }

    @Test func theFurthestFactWinsWhateverItsClock() {
        // The courier's node had a slow clock: shipped is stamped before paid.
        let shipped = Self.event(.shipped, F.storeB, 1, at: 1500)
        let paid = Self.event(.paid, F.storeA, 2, at: 2000)
        #expect(Self.materialize([Self.created, paid, shipped]).status == .shipped)
        let done = Self.event(.completed, F.storeC, 1, at: 1200)
        #expect(Self.materialize([Self.created, paid, shipped, done]).status == .completed)
    }

    @Test func everyLosingCancelIsRecorded() {
        let paid = Self.event(.paid, F.storeA, 2, at: 2000)
        let cancelB = Self.event(.cancelled, F.storeB, 1, at: 2100)
        let cancelC = Self.event(.cancelled, F.storeC, 1, at: 1900)
        let outcome = Self.materialize([cancelB, paid, cancelC], paid: 100)
        #expect(outcome.conflicts.map(\.loser) == ["store-c/1", "store-b/1"])
    }

    @Test func refundsWithinWhatWasPaidAreCounted() {
        let events = [
            Self.created, Self.event(.paid, F.storeA, 2, at: 2000), Self.event(.completed, F.storeA, 3, at: 2001),
        ]
        let outcome = Self.materialize(events, paid: 10_000, refunds: [Self.refund("RF1", 3000, F.storeA, 4, at: 3000)])
        #expect(outcome.status == .completed)
        #expect(outcome.refunded == 3000)
        #expect(outcome.conflicts.isEmpty)
    }

    @Test func fullyRefundedBecomesRefunded() {
        let events = [Self.created, Self.event(.paid, F.storeA, 2, at: 2000)]
        let refunds = [
            Self.refund("RF1", 4000, F.storeA, 3, at: 3000), Self.refund("RF2", 6000, F.storeB, 1, at: 3100),
        ]
        let outcome = Self.materialize(events, paid: 10_000, refunds: refunds)
        #expect(outcome.status == .refunded)
        #expect(outcome.refunded == 10_000)
        #expect(outcome.conflicts.isEmpty)
    }

    @Test func twoOfflineRefundsExceedingPaidAreCappedAndTheExcessFlagged() throws {
        let events = [Self.created, Self.event(.paid, F.storeA, 2, at: 2000)]
        let first = Self.refund("RF-A", 6000, F.storeA, 3, at: 3000)
        let second = Self.refund("RF-B", 6000, F.storeB, 1, at: 3001)
        let outcome = Self.materialize(events, paid: 10_000, refunds: [second, first])
        #expect(outcome.refunded == 10_000)
        #expect(outcome.status == .refunded)
        let conflict = try #require(outcome.conflicts.first)
        #expect(outcome.conflicts.count == 1)
        #expect(conflict.rule == "refund_exceeds_paid")
        #expect(conflict.id == "refund_exceeds_paid:order:O1:store-b/1")
        #expect(conflict.loser == second.stamp.changeID)
        #expect(conflict.winner == nil)
        #expect(conflict.amount == 2000)
        #expect(conflict.unit == "cents")
        #expect(conflict.createdHLC == second.stamp.hlc)
        #expect(ConflictText.sentence(conflict.facts, in: .english).contains("¥20.00"))
    }

    @Test func aRefundAfterFullRefundIsEntirelyExcess() {
        let refunds = [
            Self.refund("RF1", 10_000, F.storeA, 3, at: 3000), Self.refund("RF2", 2500, F.storeB, 1, at: 3001),
        ]
        let outcome = Self.materialize([Self.event(.paid, F.storeA, 2, at: 2000)], paid: 10_000, refunds: refunds)
        #expect(outcome.refunded == 10_000)
        #expect(outcome.conflicts.map(\.amount) == [2500])
    }

    @Test func aCancelledUnpaidOrderIsNotRefunded() {
        let outcome = Self.materialize([Self.created, Self.event(.cancelled, F.storeA, 2, at: 2000)], paid: 0)
        #expect(outcome.status == .cancelled)
        #expect(outcome.refunded == 0)
    }

    // MARK: - Payments

    static func payment(_ id: String, _ amount: Int64, _ origin: NodeID, _ seq: Int64, at wall: Int64)
        -> OrderStateMachine.Payment
    {
        OrderStateMachine.Payment(id: id, amount: amount, stamp: F.stamp(origin, seq, at: wall))
    }

    static func materialize(
        _ events: [Event], payments: [OrderStateMachine.Payment], total: Int64, refunds: [Refund] = []
    ) -> OrderStateMachine.Outcome {
        OrderStateMachine.materialize(
            order: "O1", events: events, payments: payments, total: total, refunds: refunds, scope: .node(F.storeA))
    }

    @Test func paymentsUpToTheTotalAreNotAConflict() {
        let paid = [Self.created, Self.event(.paid, F.storeA, 2, at: 2000)]
        let payments = [
            Self.payment("PAY1", 6000, F.storeA, 3, at: 2000), Self.payment("PAY2", 4000, F.storeA, 4, at: 2001),
        ]
        let outcome = Self.materialize(paid, payments: payments, total: 10_000)
        #expect(outcome.status == .paid)
        #expect(outcome.conflicts.isEmpty)
        #expect(outcome == Self.materialize(paid, paid: 10_000))
    }

    @Test func theSameOrderPaidAtTwoPlacesFlagsTheLaterPayment() throws {
        let events = [Self.created, Self.event(.paid, F.storeA, 2, at: 2000), Self.event(.paid, F.storeB, 1, at: 2100)]
        let first = Self.payment("PAY-A", 10_000, F.storeA, 3, at: 2000)
        let second = Self.payment("PAY-B", 10_000, F.storeB, 2, at: 2100)
        let outcome = Self.materialize(events, payments: [second, first], total: 10_000)
        #expect(outcome.status == .paid)
        let conflict = try #require(outcome.conflicts.first)
        #expect(outcome.conflicts.count == 1)
        #expect(conflict.rule == "paid_twice")
        #expect(conflict.id == "paid_twice:order:O1:store-b/2")
        #expect(conflict.loser == second.stamp.changeID)
        #expect(conflict.winner == nil)
        #expect(conflict.amount == 10_000)
        #expect(conflict.unit == "cents")
        #expect(conflict.createdHLC == second.stamp.hlc)
        #expect(ConflictText.sentence(conflict.facts, in: .english).contains("¥100.00"))
    }

    @Test func onlyTheExcessOfAPartlyOverlappingPaymentIsFlagged() {
        let payments = [
            Self.payment("P1", 6000, F.storeA, 3, at: 2000), Self.payment("P2", 6000, F.storeB, 1, at: 2001),
            Self.payment("P3", 1000, F.storeC, 1, at: 2002),
        ]
        let outcome = Self.materialize([Self.event(.paid, F.storeA, 2, at: 2000)], payments: payments, total: 10_000)
        #expect(outcome.conflicts.map(\.loser) == ["store-b/1", "store-c/1"])
        #expect(outcome.conflicts.map(\.amount) == [2000, 1000])
    }

    @Test func aZeroTotalNeverFlagsPayments() {
        let payments = [Self.payment("P1", 500, F.storeA, 3, at: 2000)]
        #expect(Self.materialize([Self.created], payments: payments, total: 0).conflicts.isEmpty)
    }

    @Test func refundingTheDoublePaymentKeepsTheOrderPaid() {
        let events = [Self.created, Self.event(.paid, F.storeA, 2, at: 2000)]
        let payments = [
            Self.payment("PAY-A", 10_000, F.storeA, 3, at: 2000), Self.payment("PAY-B", 10_000, F.storeB, 1, at: 2100),
        ]
        let refunds = [Self.refund("RF1", 10_000, .central, 1, at: 3000)]
        let outcome = Self.materialize(events, payments: payments, total: 10_000, refunds: refunds)
        #expect(outcome.status == .paid)
        #expect(outcome.refunded == 10_000)
        #expect(outcome.conflicts.map(\.rule) == ["paid_twice"])
    }

    // MARK: - Properties

    static func history(seed: UInt64) -> (events: [Event], paid: Int64, refunds: [Refund]) {
        var rng = SplitMix64(seed: seed)
        var seqs: [NodeID: Int64] = [:]
        func next(_ origin: NodeID) -> Int64 {
            seqs[origin, default: 0] += 1
            return seqs[origin, default: 0]
        }
        var events: [Event] = []
        for _ in 0..<rng.int(0...8) {
            let origin = rng.pick(F.nodes)
            let status = rng.pick([OrderStatus.pending, .paid, .shipped, .completed, .cancelled, .cancelled])
            events.append(Self.event(status, origin, next(origin), at: rng.int64(1000...1006)))
        }
        let paid = rng.chance(20) ? 0 : rng.int64(1...20_000)
        var refunds: [Refund] = []
        for i in 0..<rng.int(0...5) {
            let origin = rng.pick(F.nodes)
            refunds.append(
                Self.refund(
                    "RF\(i)", rng.int64(1...max(1, paid / 2 + 100)), origin, next(origin), at: rng.int64(1000...1006)))
        }
        return (events, paid, refunds)
    }

    @Test func anyDeliveryOrderOfTheSameSetGivesTheSameOutcome() {
        for seed in propertySeeds {
            let h = Self.history(seed: seed)
            let expected = Self.materialize(h.events, paid: h.paid, refunds: h.refunds)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            let events = uniqued(withDuplicates(h.events, using: &rng)) { $0.stamp.changeID }
            let refunds = uniqued(withDuplicates(h.refunds, using: &rng)) { $0.stamp.changeID }
            #expect(events.count == h.events.count && refunds.count == h.refunds.count)
            for (eventOrder, refundOrder) in zip(
                deliveryOrders(of: events, shuffles: 6, using: &rng),
                deliveryOrders(of: refunds, shuffles: 6, using: &rng))
            {
                #expect(Self.materialize(eventOrder, paid: h.paid, refunds: refundOrder) == expected, "seed \(seed)")
            }
        }
    }

    @Test func paymentsInAnyDeliveryOrderGiveTheSameOutcome() {
        for seed in propertySeeds {
            let h = Self.history(seed: seed)
            var rng = SplitMix64(seed: seed ^ 0xFA1D)
            var payments: [OrderStateMachine.Payment] = []
            for i in 0..<rng.int(0...4) {
                let origin = rng.pick(F.nodes)
                payments.append(
                    Self.payment("PAY\(i)", rng.int64(1...8000), origin, 100 + Int64(i), at: rng.int64(1000...1006)))
            }
            let total = rng.chance(10) ? 0 : rng.int64(1...15_000)
            let expected = Self.materialize(h.events, payments: payments, total: total, refunds: h.refunds)
            let paid = payments.reduce(0) { $0 + $1.amount }
            let excess = expected.conflicts.filter { $0.rule == "paid_twice" }.reduce(0) { $0 + $1.amount }
            #expect(excess == (total > 0 ? max(0, paid - total) : 0), "seed \(seed)")
            let delivered = uniqued(withDuplicates(payments, using: &rng)) { $0.stamp.changeID }
            for order in deliveryOrders(of: delivered, shuffles: 6, using: &rng) {
                let got = Self.materialize(
                    h.events.shuffled(using: &rng), payments: order, total: total,
                    refunds: h.refunds.shuffled(using: &rng))
                #expect(got == expected, "seed \(seed)")
            }
        }
    }

    @Test func outcomeFollowsTheRulesStatedIndependently() {
        for seed in propertySeeds {
            let h = Self.history(seed: seed)
            let outcome = Self.materialize(h.events, paid: h.paid, refunds: h.refunds)
            let hasFact = h.events.contains { ($0.status.factRank ?? 0) >= 1 }
            let hasCancel = h.events.contains { $0.status == .cancelled }
            let furthest = h.events.compactMap(\.status.factRank).max() ?? 0
            let totalRefunds = h.refunds.reduce(0) { $0 + $1.amount }
            #expect(outcome.refunded == min(h.paid, totalRefunds), "seed \(seed)")
            let excess = outcome.conflicts.filter { $0.rule == "refund_exceeds_paid" }.reduce(0) { $0 + $1.amount }
            #expect(outcome.refunded + excess == totalRefunds, "seed \(seed)")
            let cancelConflicts = outcome.conflicts.filter { $0.rule == "fact_beats_cancel" }.count
            #expect(
                cancelConflicts == (hasFact ? h.events.filter { $0.status == .cancelled }.count : 0), "seed \(seed)")
            if hasFact {
                #expect(outcome.status != .cancelled, "seed \(seed)")
            }
            if !hasFact && hasCancel {
                #expect(outcome.status == .cancelled, "seed \(seed)")
            } else if h.paid > 0 && outcome.refunded >= h.paid {
                #expect(outcome.status == .refunded, "seed \(seed)")
            } else {
                #expect(outcome.status.factRank == furthest, "seed \(seed)")
            }
        }
    }
}
