import Commerce
import FenxiaoTesting
import Replication
import Testing

/// The refund rules of issue 14: per-line caps with the last unit taking the remainder,
/// cumulative (path-independent) points, and a refund split by the method of each payment.
@Suite struct OrderRefundRulesTests {
    typealias F = Fixture

    /// Cuts `total` into random positive steps that add up to it.
    static func steps(of total: Int64, using rng: inout SplitMix64) -> [Int64] {
        var left = total
        var out: [Int64] = []
        while left > 0 {
            let step = rng.chance(30) ? left : rng.int64(1...left)
            out.append(step)
            left -= step
        }
        return out
    }

    @Test func unitByUnitLineRefundsSumExactlyToWhatTheLinePaid() throws {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            let line = LineRefunds.SoldLine(line: 1, qty: rng.int64(1...12), paid: rng.int64(0...99_999))
            var qty: Int64 = 0
            var money: Int64 = 0
            for step in Self.steps(of: line.qty, using: &rng) {
                let amount = try LineRefunds.amount(
                    for: step, of: line, refundedQty: qty, refundedAmount: money, order: "O1")
                #expect(amount >= 0, "seed \(seed)")
                qty += step
                money += amount
                #expect(money <= line.paid, "seed \(seed): \(money) refunded of \(line.paid)")
                // Whatever the steps, the money refunded so far is the rounded share of the units.
                #expect(money == ProRata.dueRounded(line.paid, done: qty, of: line.qty), "seed \(seed)")
            }
            #expect(qty == line.qty && money == line.paid, "seed \(seed)")
            // Nothing is left: one more unit is refused with the units left named.
            do {
                _ = try LineRefunds.amount(for: 1, of: line, refundedQty: qty, refundedAmount: money, order: "O1")
                Issue.record("seed \(seed): refunded a unit beyond the \(line.qty) sold")
            } catch {
                #expect(error.message.contains("has 0 of its \(line.qty) units left"), "\(error.message)")
            }
        }
    }

    @Test func theIssueExampleATwoUnitLineRefundedUnitByUnit() throws {
        // ¥22.15 for two units: the first unit gives back ¥11.08, the last the remaining ¥11.07.
        let line = LineRefunds.SoldLine(line: 2, qty: 2, paid: 2215)
        let first = try LineRefunds.amount(for: 1, of: line, refundedQty: 0, refundedAmount: 0, order: "O1")
        let second = try LineRefunds.amount(for: 1, of: line, refundedQty: 1, refundedAmount: first, order: "O1")
        #expect(first == 1108 && second == 1107)
        #expect(throws: CommerceError.self) {
            try LineRefunds.amount(for: 1, of: line, refundedQty: 2, refundedAmount: 2215, order: "O1")
        }
    }

    @Test func offlineOverRefundsOfALineAreFlaggedWithTheirAmountInAnyDeliveryOrder() {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed ^ 0x11E)
            let lines = (1...rng.int(1...3)).map {
                LineRefunds.SoldLine(line: $0, qty: rng.int64(1...4), paid: rng.int64(1...9_000))
            }
            var entries: [LineRefunds.Entry] = []
            for i in 0..<rng.int(0...8) {
                let line = rng.pick(lines)
                entries.append(
                    LineRefunds.Entry(
                        refund: "RF\(i)", line: line.line, qty: rng.int64(1...line.qty),
                        amount: rng.int64(0...line.paid),
                        stamp: F.stamp(rng.pick(F.nodes), Int64(i + 1), at: rng.int64(1000...1010))))
            }
            let expected = LineRefunds.conflicts(order: "O1", lines: lines, entries: entries, scope: .global)
            for line in lines {
                let mine = entries.filter { $0.line == line.line }
                let money = mine.reduce(0) { $0 + $1.amount }
                let flagged = expected.filter { $0.subject == "order:O1#\(line.line)" }.reduce(0) { $0 + $1.amount }
                #expect(flagged == max(0, money - line.paid), "seed \(seed): line \(line.line)")
                let units = mine.reduce(0) { $0 + $1.qty }
                if units <= line.qty && money <= line.paid {
                    #expect(
                        flagged == 0 && !expected.contains { $0.subject == "order:O1#\(line.line)" }, "seed \(seed)")
                }
            }
            for order in deliveryOrders(
                of: uniqued(withDuplicates(entries, using: &rng)) { $0.refund }, shuffles: 4, using: &rng)
            {
                #expect(
                    LineRefunds.conflicts(
                        order: "O1", lines: lines.shuffled(using: &rng), entries: order, scope: .global) == expected)
            }
        }
    }

    @Test func anyRefundPathReturnsExactlyThePointsUsedAndEachPaymentItsAmount() {
        let methods = ["cash", "card", "wallet", "qrpay", "stored"]
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed ^ 0x5017)
            var payments: [RefundSplit.Payment] = []
            if rng.chance(60) { payments.append(.init(id: "PTS", method: "points", amount: rng.int64(1...5_000))) }
            for i in 0..<rng.int(payments.isEmpty ? 1...3 : 0...3) {
                payments.append(.init(id: "PAY\(i)", method: rng.pick(methods), amount: rng.int64(1...20_000)))
            }
            let paid = payments.reduce(0) { $0 + $1.amount }
            var refunded: Int64 = 0
            var points: Int64 = 0
            var perPayment: [String: Int64] = [:]
            for value in Self.steps(of: paid, using: &rng) {
                let parts = RefundSplit.split(
                    value: value, payments: payments, refundedBefore: refunded, pointsBefore: points)
                #expect(parts.reduce(0) { $0 + $1.amount } == value, "seed \(seed): parts \(parts) of \(value)")
                #expect(parts.allSatisfy { $0.amount > 0 }, "seed \(seed)")
                refunded += value
                points += parts.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount }
                for p in parts where p.method != "points" { perPayment[p.payment ?? "?", default: 0] += p.amount }
                // Never more points back than due so far (cumulative, not floored per step).
                let byPoints = payments.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount }
                #expect(points == ProRata.due(byPoints, done: refunded, of: paid), "seed \(seed)")
            }
            #expect(points == payments.filter { $0.method == "points" }.reduce(0) { $0 + $1.amount }, "seed \(seed)")
            for p in payments where p.method != "points" {
                #expect(perPayment[p.id, default: 0] == p.amount, "seed \(seed): payment \(p.id)")
            }
        }
    }

    @Test func theIssueExampleFiveThousandPointsComeBackWholeLineByLine() {
        // ¥100.00 paid: 5,000 points (¥50) and ¥50 cash; refunded as three lines of ¥33.33, ¥33.33, ¥33.34.
        let payments = [
            RefundSplit.Payment(id: "PTS", method: "points", amount: 5000),
            .init(id: "P1", method: "cash", amount: 5000),
        ]
        var refunded: Int64 = 0
        var points: Int64 = 0
        for value: Int64 in [3333, 3333, 3334] {
            let parts = RefundSplit.split(
                value: value, payments: payments, refundedBefore: refunded, pointsBefore: points)
            refunded += value
            points += parts.first { $0.method == "points" }?.amount ?? 0
        }
        #expect(points == 5000)
    }

    @Test func moneyGoesBackToPaymentsInTheOrderTheyWereRecorded() {
        let payments = [
            RefundSplit.Payment(id: "A", method: "stored", amount: 3000), .init(id: "B", method: "cash", amount: 2000),
        ]
        #expect(
            RefundSplit.split(value: 4000, payments: payments, refundedBefore: 0, pointsBefore: 0) == [
                .init(method: "stored", payment: "A", amount: 3000), .init(method: "cash", payment: "B", amount: 1000),
            ])
        #expect(
            RefundSplit.split(value: 1000, payments: payments, refundedBefore: 4000, pointsBefore: 0) == [
                .init(method: "cash", payment: "B", amount: 1000)
            ])
    }

    @Test func proRataIsExactAtTheEndAndNeverOverflows() {
        #expect(ProRata.due(5000, done: 9999, of: 10000) == 4999)
        #expect(ProRata.due(5000, done: 10000, of: 10000) == 5000)
        #expect(ProRata.due(.max / 2, done: .max / 3, of: .max / 2) == .max / 3)
        #expect(ProRata.dueRounded(2215, done: 1, of: 2) == 1108)
        #expect(ProRata.due(10, done: 5, of: 0) == 0)
    }
}
