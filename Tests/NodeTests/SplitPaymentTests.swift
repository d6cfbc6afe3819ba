import Commerce
import FenxiaoTesting
import Node
import PropertySupport
import Replication
import Storage
import Testing

/// A counter sale paid by several methods (the till's split payment): the parts add up to the
/// total less the points, each becomes a payment record, and refunds go back by them.
@Suite struct SplitPaymentTests {
    @Test func aSplitSaleRecordsOnePaymentPerPartAndAWrongSumSellsNothing() throws {
        let dir = TempDirectory("split")
        defer { dir.remove() }
        let (_, s1) = try OrderRefundPathTests.chain(dir, wallet: 10_000)
        var req = OrderRequest(lines: ["MUG-01:1", "TEA-01:2"], member: "M1", pay: .card)  // ¥70.00
        req.split = [
            PaymentPart(method: .card, amount: Money(cents: 4000), reference: "T-1"),
            PaymentPart(method: .wechat, amount: Money(cents: 2000)),
            PaymentPart(method: .stored, amount: Money(cents: 1000)),
        ]
        let order = try s1.createOrder(req)
        #expect(order.payments.map(\.method).sorted() == ["card", "stored", "wechat"])
        #expect(order.paid_cents == 7000)
        #expect(try s1.member("M1").wallet_cents == 9000, "the stored-value part debits the wallet")
        let before = try s1.read { try $0.ownChangeCount(after: 0) }
        var wrong = req
        wrong.split[1].amount = Money(cents: 1999)
        #expect(throws: NodeError.self) { try s1.createOrder(wrong) }
        #expect(try s1.read { try $0.ownChangeCount(after: 0) } == before, "a split that does not add up writes nothing")
        var alipay = OrderRequest(lines: ["TEA-01:1"], pay: .alipay)
        alipay.split = [PaymentPart(method: .alipay, amount: Money(cents: 1250))]
        #expect(try s1.createOrder(alipay).payments.map(\.method) == ["alipay"])
    }

    /// Random carts split at random points across random methods: every part is recorded, and
    /// refunding everything gives each method back exactly what it paid.
    @Test func anyRandomSplitAddsUpAndRefundsByEachPart() throws {
        for seed in propertySeeds.prefix(10) {
            var rng = SplitMix64(seed: seed)
            let dir = TempDirectory("split-prop")
            defer { dir.remove() }
            let (_, s1) = try OrderRefundPathTests.chain(dir, points: 5_000, wallet: 100_000)
            var req = OrderRequest(
                lines: ["TEA-01:\(rng.int(1...3))", "BUN-01:\(rng.int(1...4))", "MUG-01:\(rng.int(0...2) + 1)"], member: "M1",
                pay: .cash)
            req.points = rng.chance(50) ? rng.int64(1...500) : 0
            let due = try s1.quote(req).total.cents - req.points
            let k = rng.int(1...4)
            var cuts = (0..<(k - 1)).map { _ in rng.int64(1...(due - 1)) }.sorted()
            cuts = [0] + Array(Set(cuts)).sorted() + [due]
            let methods: [PaymentMethod] = [.cash, .card, .wechat, .alipay, .stored]
            req.split = zip(cuts, cuts.dropFirst()).map { PaymentPart(method: rng.pick(methods), amount: Money(cents: $1 - $0)) }
            let order = try s1.createOrder(req)
            var paidBy: [String: Int64] = [:]
            for p in order.payments where p.method != "points" { paidBy[p.method, default: 0] += p.amount_cents }
            var asked: [String: Int64] = [:]
            for part in req.split { asked[part.method.rawValue, default: 0] += part.amount.cents }
            #expect(paidBy == asked, "seed \(seed)")
            _ = try s1.refund(order: order.id, amount: nil, reason: nil, restock: true)
            let done = try s1.order(order.id)
            var back: [String: Int64] = [:]
            for r in done.refunds { for part in r.parts where part.method != "points" { back[part.method, default: 0] += part.amount_cents } }
            #expect(back == asked, "seed \(seed): refunded \(back) for payments \(asked)")
        }
    }
}
