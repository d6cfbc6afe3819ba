import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Issue 14, defects 1–5, on real nodes: every path of an order keeps money, stock, points and
/// claims exact.
@Suite struct OrderRefundPathTests {
    /// Carries `from`'s own changes to `to` (as a sync would).
    static func relay(_ from: FenxiaoNode, to: FenxiaoNode) throws {
        _ = try to.store.applyRemote(try from.read { try $0.ownChanges(after: 0, limit: 100_000) })
    }

    /// Central (with a 5 % promotion on buns, member M1 holding points and stored value) and s1.
    static func chain(_ dir: TempDirectory, points: Int64 = 0, wallet: Int64 = 0, coupon: Bool = false) throws -> (
        FenxiaoNode, FenxiaoNode
    ) {
        let central = try Fixtures.central(in: dir)
        _ = try central.sync.enroll(node: "s1", warehouses: [])
        _ = try central.marketing.addPercentPromotion(id: "P5", name: "5 % off buns", percent: 5, skus: ["BUN-01"])
        _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
        if points > 0 { _ = try central.members.ledger(member: "M1", account: .points, delta: points, reason: "gift") }
        if wallet > 0 {
            _ = try central.members.ledger(member: "M1", account: .wallet, delta: wallet, reason: "deposit")
        }
        if coupon {
            _ = try central.marketing.defineCoupon(
                code: "ONCE", amount: Money(cents: 500), minSpend: nil, singleUse: true)
        }
        let s1 = try Fixtures.store("s1", in: dir, from: central)
        for sku in ["TEA-01", "BUN-01", "MUG-01"] {
            _ = try s1.inventory.move(sku: sku, quantity: 50, reason: .receive)
        }
        return (central, s1)
    }

    // MARK: defect 2 — per-line refund tracking

    @Test func aLineIsNeverRefundedTwiceAndUnitByUnitSumsToWhatItPaid() throws {
        try withTempDirectory("lines") { dir in
            let (_, s1) = try Self.chain(dir)
            let order = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1), .line("BUN-01", 3)], pay: .cash))
            let buns = try #require(order.lines.first { $0.sku == "BUN-01" })
            #expect(buns.amount_cents % 3 != 0, "the 5 % promotion makes the three units' share uneven")
            _ = try s1.orders.refund(order: order.id, amount: nil, reason: nil, restock: false, lines: [.line(1, 1)])
            do {
                _ = try s1.orders.refund(
                    order: order.id, amount: nil, reason: nil, restock: false, lines: [.line(1, 1)])
                Issue.record("the one-unit line was refunded twice")
            } catch let error as NodeError {
                #expect(error.code == .conflict && error.message.contains("0 of its 1 units left"), "\(error.message)")
            }
            for _ in 0..<3 {
                _ = try s1.orders.refund(order: order.id, amount: nil, reason: nil, restock: true, lines: [.line(2, 1)])
            }
            let after = try s1.orders.find(order.id)
            let line = try #require(after.lines.first { $0.line == 2 })
            #expect(line.refunded_qty == 3 && line.refunded_cents == line.amount_cents)
            #expect(after.refunds.suffix(3).map(\.amount_cents).reduce(0, +) == buns.amount_cents)
            #expect(after.refunded_cents == after.paid_cents && after.status == "refunded")
            #expect(throws: NodeError.self) {
                try s1.orders.refund(order: order.id, amount: nil, reason: nil, restock: false, lines: [.line(2, 1)])
            }
            #expect(try s1.inventory.levels(sku: "BUN-01").first?.on_hand == 50)
        }
    }

    @Test func twoNodesRefundingTheSameLineOfflineGiveALineConflictWithTheAmount() throws {
        try withTempDirectory("lineconflict") { dir in
            let (central, s1) = try Self.chain(dir)
            let order = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1), .line("MUG-01", 1)], pay: .card))
            try Self.relay(s1, to: central)
            // The store and head office both take back the tea, offline from each other.
            _ = try s1.orders.refund(order: order.id, amount: nil, reason: nil, restock: false, lines: [.line(1, 1)])
            _ = try central.orders.refund(
                order: order.id, amount: nil, reason: nil, restock: false, lines: [.line(1, 1)])
            try Self.relay(s1, to: central)
            try Self.relay(central, to: s1)
            for node in [s1, central] {
                let line = try node.sync.conflicts().filter { $0.rule == "line_refund_exceeds_sold" }
                #expect(line.count == 1 && line.first?.amount == 1250 && line.first?.subject == "order:\(order.id)#1")
                #expect(try node.orders.find(order.id).refunded_cents == 2500)
            }
            #expect(try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s1")!) })
        }
    }

    // MARK: defects 3 and 5 — path-independent points, refund by each payment's method

    @Test func anyRefundPathGivesBackExactlyThePointsAndStoredValueUsed() throws {
        for seed in propertySeeds.prefix(12) {
            var rng = SplitMix64(seed: seed)
            try withTempDirectory("paths") { dir in
                let (central, s1) = try Self.chain(dir, points: 20_000, wallet: 100_000)
                let before = try s1.members.find("M1")
                var req = OrderRequest(
                    lines: [
                        .line("TEA-01", rng.int64(1...3)), .line("BUN-01", rng.int64(1...4)),
                        .line("MUG-01", rng.int64(1...2)),
                    ],
                    member: "M1",
                    pay: rng.pick([PaymentMethod.cash, .stored, .card]))
                req.points = rng.chance(70) ? rng.int64(1...2000) : 0
                let order = try s1.orders.create(req)
                // A random path: units of lines, some partial amounts, until everything is refunded.
                var guardSteps = 0
                while try s1.orders.find(order.id).refunded_cents < order.paid_cents, guardSteps < 40 {
                    guardSteps += 1
                    let now = try s1.orders.find(order.id)
                    let open = now.lines.filter { $0.refunded_qty < $0.qty }
                    if !open.isEmpty, rng.chance(70) {
                        let line = rng.pick(open)
                        _ = try? s1.orders.refund(
                            order: order.id, amount: nil, reason: nil, restock: false,
                            lines: [.line(line.line, rng.int64(1...(line.qty - line.refunded_qty)))])
                    } else {
                        let room = now.paid_cents - now.refunded_cents
                        let cents = rng.chance(40) ? room : rng.int64(1...room)
                        _ = try s1.orders.refund(
                            order: order.id, amount: Money(cents: cents), reason: nil, restock: false)
                    }
                }
                let done = try s1.orders.find(order.id)
                #expect(done.refunded_cents == done.paid_cents, "seed \(seed)")
                for line in done.lines {
                    #expect(
                        line.refunded_qty <= line.qty && line.refunded_cents <= line.amount_cents,
                        "seed \(seed): line \(line.line)")
                }
                let after = try s1.members.find("M1")
                #expect(after.points == before.points, "seed \(seed): points \(before.points) → \(after.points)")
                #expect(
                    after.wallet_cents == before.wallet_cents,
                    "seed \(seed): stored value \(before.wallet_cents) → \(after.wallet_cents)")
                // Each refund row names its method and its parts add up to it.
                for r in done.refunds {
                    #expect(r.parts.reduce(0) { $0 + $1.amount_cents } == r.amount_cents, "seed \(seed)")
                    #expect(r.method != nil, "seed \(seed)")
                }
                // The same changes in any delivery order, with duplicates, give one state.
                let changes =
                    try central.read { try $0.ownChanges(after: 0, limit: 100_000) }
                    + s1.read { try $0.ownChanges(after: 0, limit: 100_000) }
                let hashes = try stateHashesOverDeliveries(of: changes, shuffles: 2, in: dir, using: &rng)
                #expect(hashes.count == 1, "seed \(seed)")
            }
        }
    }

    @Test func anOnlineOrderPaidLaterWithStoredValueGetsItBack() throws {
        try withTempDirectory("stored") { dir in
            let (_, s1) = try Self.chain(dir, wallet: 20_000)
            let order = try s1.orders.create(
                OrderRequest(lines: [.line("MUG-01", 1), .line("TEA-01", 1)], member: "M1", channel: .online))
            _ = try s1.orders.transition(order: order.id, to: .paid, pay: .stored)
            #expect(try s1.members.find("M1").wallet_cents == 20_000 - 5750)
            let refunded = try s1.orders.refund(order: order.id, amount: nil, reason: "changed mind", restock: true)
            #expect(try s1.members.find("M1").wallet_cents == 20_000)
            let row = try #require(refunded.refunds.first)
            #expect(
                row.method == "stored" && row.parts.map(\.method) == ["stored"] && row.parts.first?.amount_cents == 5750
            )
            #expect(try s1.inventory.levels(sku: "MUG-01").first?.reserved == 0)
        }
    }

    // MARK: defect 4 — cancel and expiry give every claim back

    @Test func cancellingAnUnpaidOrderGivesItsSingleUseCouponBack() throws {
        try withTempDirectory("couponback") { dir in
            let (central, s1) = try Self.chain(dir, coupon: true)
            let order = try s1.orders.create(
                OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", coupon: "ONCE", channel: .online))
            #expect(order.coupon == "ONCE")
            #expect(throws: NodeError.self) {
                try s1.orders.create(
                    OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", coupon: "ONCE", pay: .cash))
            }
            _ = try s1.orders.transition(order: order.id, to: .cancelled)
            let next = try s1.orders.create(
                OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", coupon: "ONCE", pay: .cash))
            #expect(next.coupon == "ONCE" && next.discount_cents == 500)
            try Self.relay(s1, to: central)
            #expect(try central.sync.conflicts().filter { $0.rule == "duplicate_claim" }.isEmpty)
            #expect(try central.marketing.coupons().first { $0.code == "ONCE" }?.used == 1)
            // Another store never holds s1's orders (their scope is s1's), only the global changes:
            // it sees the coupon given back too, and agrees with head office's state for it.
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            let globalOfS1 = try s1.read { try $0.ownChanges(after: 0, limit: 100_000) }.filter { $0.scope == .global }
            _ = try s2.store.applyRemote(globalOfS1)
            #expect(try s2.read { try $0.claimCount("coupon:ONCE") } == 1, "only the paid counter sale holds ONCE")
            #expect(try s2.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s2")!) })
        }
    }

    // MARK: defect 1 — a cancel that loses loses all its effects

    @Test func aCancelThatLosesToAPaymentLosesItsStockReleaseAndCouponReturn() throws {
        try withTempDirectory("losingcancel") { dir in
            let (central, s1) = try Self.chain(dir, coupon: true)
            let order = try s1.orders.create(
                OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", coupon: "ONCE", channel: .online))
            try Self.relay(s1, to: central)
            _ = try central.orders.transition(order: order.id, to: .cancelled)  // head office cancels…
            // …while the store, offline, takes payment
            _ = try s1.orders.transition(order: order.id, to: .paid, pay: .cash)
            try Self.relay(central, to: s1)
            try Self.relay(s1, to: central)
            for node in [s1, central] {
                #expect(try node.orders.find(order.id).status == "paid")
                #expect(try node.sync.conflicts().contains { $0.rule == "fact_beats_cancel" })
                let mug = try #require(try node.inventory.levels(sku: "MUG-01").first { $0.warehouse == "s1" })
                #expect(mug.on_hand == 50 && mug.reserved == 1, "the losing cancel's release must not count: \(mug)")
                #expect(
                    try node.read { try $0.claimCount("coupon:ONCE") } == 1, "the coupon stays used by the paid order")
            }
            // Completing the order afterwards sells the reserved unit, as if it was never cancelled.
            _ = try s1.orders.transition(order: order.id, to: .completed)
            try Self.relay(s1, to: central)
            for node in [s1, central] {
                let mug = try #require(try node.inventory.levels(sku: "MUG-01").first { $0.warehouse == "s1" })
                #expect(mug.on_hand == 49 && mug.reserved == 0, "\(mug)")
                #expect(
                    try node.sync.conflicts().filter { $0.rule == "oversold" || $0.rule == "allocation_displaced" }
                        .isEmpty)
            }
            #expect(try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: NodeID("s1")!) })
        }
    }
}
