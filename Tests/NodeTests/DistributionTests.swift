import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Worked examples of the distributor lifecycle (issue: 分销).
@Suite struct DistributionTests {
    /// Central with a 3-level chain A ← B ← C (C invited by B, B by A) and customer M9 bound to C.
    static func chain(_ dir: TempDirectory, levels: [Percent] = [10, 5, 2], window: Int64 = 0) throws -> FenxiaoNode {
        let central = try Fixtures.central(in: dir)
        _ = try central.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        for m in ["A", "B", "C", "M9"] { _ = try central.members.upsert(id: m, name: "member \(m)", phone: nil) }
        _ = try central.distribution.apply(member: "A", channels: "WeChat", experience: nil, inviterCode: nil)
        _ = try central.distribution.review(id: "A", approve: true, reason: nil, group: nil)
        _ = try central.distribution.apply(member: "B", channels: "Douyin", experience: nil, inviterCode: "RC-A")
        _ = try central.distribution.review(id: "B", approve: true, reason: nil, group: nil)
        _ = try central.distribution.apply(member: "C", channels: nil, experience: nil, inviterCode: "RC-B")
        _ = try central.distribution.review(id: "C", approve: true, reason: nil, group: nil)
        _ = try central.distribution.bindCustomer(member: "M9", referralCode: "RC-C")
        _ = try central.distribution.defineCommissionRule(
            id: "R1", levels: levels, effectiveFrom: 0, windowDays: window, selfPurchase: false, overrides: [:])
        return central
    }

    @Test func threeLevelChainEarnsRefundsAndWithdraws() throws {
        try withTempDirectory("dist") { dir in
            let central = try Self.chain(dir)
            // M9 buys 3 mugs: ¥135.00 paid.
            let order = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], member: "M9", pay: .card))
            #expect(try central.distribution.commissionAccount("C").available_cents == 1350)  // 10 %
            #expect(try central.distribution.commissionAccount("B").available_cents == 675)  // 5 %
            #expect(try central.distribution.commissionAccount("A").available_cents == 270)  // 2 %
            // C withdraws ¥10 to stored value (free), then a partial refund after settlement reverses a third.
            let w = try central.distribution.requestWithdrawal(
                distributor: "C", amount: Money(cents: 1000), method: .storedValue)
            _ = try central.distribution.settleWithdrawal(id: w.id, to: .approved, reference: nil, reason: nil)
            _ = try central.distribution.settleWithdrawal(id: w.id, to: .paid, reference: nil, reason: nil)
            #expect(try central.members.find("C").wallet_cents == 1000)
            _ = try central.orders.refund(
                order: order.id, amount: Money(cents: 4500), reason: "one mug broken", restock: false)
            let c = try central.distribution.commissionAccount("C")
            #expect(c.available_cents == 900)
            #expect(c.balance_cents == -100, "a reversal larger than the balance leaves a recorded negative balance")
            #expect(try central.distribution.commissionAccount("A").available_cents == 180)
            // The numbers reconcile: sum of ledgers = commissions on paid − reversals − withdrawals.
            let all = try ["A", "B", "C"].map { try central.distribution.commissionAccount($0) }
            let earned: Int64 = 1350 + 675 + 270, reversed: Int64 = 450 + 225 + 90, withdrawn: Int64 = 1000
            let balances = all.map(\.balance_cents).reduce(0, +)
            #expect(balances == earned - reversed - withdrawn)
            // Re-binding later never changes this order's commissions (upline snapshotted).
            #expect(throws: NodeError.self) {
                try central.distribution.bindCustomer(member: "M9", referralCode: "RC-A")
            }  // locked 30 days
            #expect(try central.orders.find(order.id).lines.count == 1)
            // Performance and the monthly statement.
            let perf = try central.distribution.performance(of: "C")
            #expect(perf.sales_cents == 9000 && perf.orders == 1 && perf.customers == 1 && perf.team == 0)
            #expect(try central.distribution.performance(of: "B").team == 1)
            let months = try central.distribution.monthlyStatement(of: "C")
            #expect(months.count == 1)
            #expect(
                months.first.map { [$0.earned_cents, $0.reversed_cents, $0.withdrawn_cents] } == [1350, 450, 1000])
            // A frozen distributor cannot withdraw and earns nothing on new orders; the chain above still does.
            _ = try central.distribution.setStatus(id: "C", status: .frozen, reason: "complaint")
            #expect(throws: NodeError.self) {
                try central.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 1000), method: .cash)
            }
            let next = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .card))
            #expect(try central.distribution.commissionAccount("C").entries.contains { $0.order == next.id } == false)
            #expect(try central.distribution.commissionAccount("B").entries.first { $0.order == next.id }?.level == 1)
        }
    }

    @Test func commissionIsFrozenDuringTheAfterSaleWindow() throws {
        try withTempDirectory("window") { dir in
            let central = try Self.chain(dir, window: 7)
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .cash))
            let now = central.store.wallNow()
            #expect(try central.distribution.commissionAccount("C", now: now).frozen_cents == 450)
            #expect(try central.distribution.commissionAccount("C", now: now + 8 * 86_400_000).available_cents == 450)
            #expect(throws: NodeError.self) {
                try central.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 1000), method: .bank)
            }
        }
    }

    @Test func anOpenRefundRequestKeepsCommissionFrozenPastTheWindow() throws {
        try withTempDirectory("openrefund") { dir in
            let central = try Self.chain(dir, window: 7)
            let order = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .cash))
            let later = central.store.wallNow() + 8 * 86_400_000
            let request = try central.orders.requestRefund(
                order: order.id, amount: Money(cents: 1000), reason: "scratched", restock: false)
            #expect(
                try central.distribution.commissionAccount("C", now: later).frozen_cents == 450,
                "the after-sale question is still open")
            #expect(
                try central.distribution.commissionReport(by: .distributor, now: later).first { $0.key == "C" }?
                    .frozen_cents == 450)
            _ = try central.orders.decideRefund(request: request.id, approve: false, note: "not covered")
            #expect(try central.distribution.commissionAccount("C", now: later).available_cents == 450)
        }
    }

    @Test func ordersUseTheRuleInForceWhenPaid() throws {
        try withTempDirectory("versions") { dir in
            let central = try Self.chain(dir)
            let first = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .cash))
            let tomorrow = central.store.wallNow() + 86_400_000
            _ = try central.distribution.defineCommissionRule(
                id: "R2", levels: [20, 1], effectiveFrom: tomorrow, windowDays: 0, selfPurchase: false, overrides: [:])
            // The day after, on the same node (its clock injected).
            let later = FenxiaoNode(
                store: try NodeStore.open(directory: dir.sub("central"), wallClock: { tomorrow + 3_600_000 }))
            let second = try later.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .cash))
            let entries = try central.distribution.commissionAccount("C").entries
            #expect(entries.first { $0.order == first.id }?.earn_cents == 450)
            #expect(entries.first { $0.order == second.id }?.earn_cents == 900)
            #expect(
                try central.distribution.commissionAccount("A").entries.map(\.order) == [first.id],
                "R2 has only two levels")
            #expect(throws: NodeError.self, "3 levels at most by default") {
                try central.distribution.defineCommissionRule(
                    id: "R3", levels: [5, 4, 3, 2], effectiveFrom: 0, windowDays: 0, selfPurchase: false, overrides: [:]
                )
            }
            _ = try central.distribution.setDistributionSettings(
                lockDays: nil, binding: nil, autoApproveSpend: nil, maxLevels: 4)
            let (_, warnings) = try central.distribution.defineCommissionRule(
                id: "R3", levels: [5, 4, 3, 2], effectiveFrom: 0, windowDays: 0, selfPurchase: false, overrides: [:])
            #expect(warnings.count == 1)
        }
    }

    @Test func recomputationFromScratchAndArrivalOrderGiveTheSameLedger() throws {
        try withTempDirectory("recompute") { dir in
            let central = try Self.chain(dir)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            for s in [s1, s2] { _ = try s.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive) }
            let o1 = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .cash))
            _ = try s2.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: "M9", pay: .cash))
            _ = try s1.orders.refund(order: o1.id, amount: Money(cents: 1000), reason: nil, restock: false)
            let base = try central.read { try $0.changes() }
            let c1 = try s1.read { try $0.ownChanges(after: 0, limit: 1000) }
            let c2 = try s2.read { try $0.ownChanges(after: 0, limit: 1000) }
            var ledgers = Set<[Int64]>()
            var hashes = Set<String>()
            for (i, order) in [[base, c1, c2], [c2, base, c1], [c1, c2, base], [base + c2 + c1 + c1]].enumerated() {
                let fresh = try NodeStore.create(
                    directory: dir.sub("fresh\(i)"), identity: NodeIdentity(node: .central, role: .central))
                for batch in order { _ = try fresh.applyRemote(batch) }
                let node = FenxiaoNode(store: fresh)
                ledgers.insert(
                    try ["A", "B", "C"].map {
                        try node.distribution.commissionAccount($0, now: 0).entries.reduce(0) { $0 + $1.net_cents }
                    })
                hashes.insert(try fresh.read { try $0.stateHash() })
            }
            #expect(ledgers.count == 1)
            #expect(hashes.count == 1)
            // A 2 %, B 5 %, C 10 % of ¥135, minus ¥10 refunded
            let expected: [Int64] = [270 - 20, 675 - 50, 1350 - 100]
            #expect(ledgers.first == expected)
        }
    }
}
