import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// The pricing engine wired into real orders: definitions stored as registers, context from
/// the member and the store, gifts as order lines.
@Suite struct MarketingTests {
    @Test func levelsGiveDiscountsAndPointsMultipliers() throws {
        try withCentral("levels") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 20, reason: .receive)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.defineLevel(
                id: "SILVER", name: "银卡", minPoints: 0, pointsMultiplier: 100, discountPercent: 0)
            _ = try central.members.defineLevel(
                id: "GOLD", name: "金卡", minPoints: 80, pointsMultiplier: 200, discountPercent: 10)
            #expect(try central.members.level(of: "M1")?.id == "SILVER")
            let first = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: "M1", pay: .cash))
            #expect(first.total_cents == 9000)
            #expect(try central.members.find("M1").points == 90)
            #expect(try central.members.level(of: "M1")?.id == "GOLD", "90 lifetime points reach GOLD")
            let second = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .cash))
            #expect(second.total_cents == 4050, "GOLD: 10 % member discount")
            #expect(try central.members.find("M1").points == 90 + 80, "GOLD earns double points")
        }
    }

    @Test func storedDefinitionsPriceOrdersAndGiftsLeaveStock() throws {
        try withCentral("promos") { central, _ in
            _ = try central.inventory.receive(
                [("TEA-01", "central", 20), ("BUN-01", "central", 20), ("MUG-01", "central", 5)], note: "x")
            _ = try central.marketing.publish(
                Promotion(id: "B2G1", name: "buy 2 get 1", rule: .buyNGetM(buy: 2, get: 1, scope: .skus("BUN-01"))))
            _ = try central.marketing.publish(
                Promotion(
                    id: "GIFT", name: "mug over ¥100", rule: .gift(sku: "MUG-01", name: "Mug", thresholdCents: 10000)))
            _ = try central.marketing.define(
                Coupon(code: "TEA10", kind: .percentOff(percent: 10, capCents: 500), scope: .categories("Drinks")))
            let o = try central.orders.create(
                OrderRequest(lines: [.line("BUN-01", 3), .line("TEA-01", 8)], coupon: "TEA10", pay: .card))
            // Buns: 3 × ¥3.50 with one free = ¥7.00; tea 8 × ¥12.50 = ¥100.00, 10 % capped at ¥5.00.
            #expect(o.total_cents == 700 + 10000 - 500)
            #expect(o.lines.contains { $0.sku == "MUG-01" && $0.unit_cents == 0 }, "the gift is an order line")
            #expect(try central.inventory.levels(sku: "MUG-01").first?.on_hand == 4)
            // A coupon for drinks refuses a cart without drinks, with the engine's reason.
            do {
                _ = try central.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], coupon: "TEA10", pay: .cash))
                Issue.record("coupon applied to a cart without drinks")
            } catch let error as NodeError {
                #expect(error.message.contains("TEA10"))
            }
        }
    }
}

@Suite struct CouponUsageTests {
    @Test func usageCountsUsesAndOfflineLeaks() throws {
        try withCentral("usage") { central, dir in
            _ = try central.marketing.defineCoupon(
                code: "ONCE", amount: Money(cents: 500), minSpend: nil, singleUse: true)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            for s in [s1, s2] {
                _ = try s.inventory.move(sku: "MUG-01", quantity: 2, reason: .receive)
                _ = try s.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], coupon: "ONCE", pay: .cash))
                _ = try central.store.applyRemote(try s.read { try $0.ownChanges(after: 0, limit: 100) })
            }
            let usage = try #require(try central.marketing.coupons().first { $0.code == "ONCE" })
            #expect(usage.used == 2 && usage.leaked == 1 && usage.leaked_cents == 500 && usage.status == "used")
        }
    }
}

@Suite struct PointsAtCheckoutTests {
    @Test func pointsPayUpToHalfAndComeBackOnRefund() throws {
        try withCentral("pts") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 10, reason: .receive)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.ledger(member: "M1", account: .points, delta: 3000, reason: "gift")
            var tooMuch = OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .cash)
            tooMuch.points = 2500  // more than half of ¥45.00
            #expect(throws: NodeError.self) { try central.orders.create(tooMuch) }
            var request = OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .cash)
            request.points = 2000  // ¥20.00
            let o = try central.orders.create(request)
            #expect(o.paid_cents == 4500)
            #expect(try central.members.find("M1").points == 3000 - 2000 + 25, "earned on the ¥25.00 paid in money")
            _ = try central.orders.refund(order: o.id, amount: nil, reason: nil, restock: false)
            #expect(try central.members.find("M1").points == 3000 - 2000 + 25 + 2000 - 25)
        }
    }
}
