import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// Points (expiry, cap, sharing, the points catalog), level benefits, top-up bonuses,
/// coupon distribution and login tracking, on real nodes.
@Suite struct MembershipTests {
    /// A wall clock the test moves forward.
    final class Clock: @unchecked Sendable {
        // @unchecked: `now` is guarded by `lock`.
        let lock = NSLock()
        var millis = Int64(Date().timeIntervalSince1970 * 1000)
        func now() -> Int64 { lock.withLock { millis } }
        func advance(days: Int64) { lock.withLock { millis += days * 86_400_000 } }
    }

    static func central(_ dir: TempDirectory, clock: Clock) throws -> FenxiaoNode {
        let store = try NodeStore.create(
            directory: dir.sub("central"), identity: NodeIdentity(node: .central, role: .central),
            wallClock: { clock.now() })
        let node = FenxiaoNode(store: store)
        try node.catalog.upsert([
            CatalogItem(sku: "TEA-01", name: "Green tea", price: Money(cents: 1250), category: "Drinks/Tea"),
            CatalogItem(sku: "MUG-01", name: "Mug", price: Money(cents: 4500), category: "Homeware"),
        ])
        _ = try node.inventory.move(sku: "MUG-01", quantity: 50, reason: .receive)
        _ = try node.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
        _ = try node.members.upsert(id: "M1", name: "Li", phone: nil)
        return node
    }

    @Test func pointsExpireFirstInFirstOutAndTheCapIsConfigurable() throws {
        try withTempDirectory("expiry") { dir in
            let clock = Clock()
            let central = try Self.central(dir, clock: clock)
            _ = try central.members.setPointsSettings(
                capPercent: 10, expiryDays: 365, sharePoints: nil, shareDailyLimit: nil)
            _ = try central.members.ledger(member: "M1", account: .points, delta: 1000, reason: "welcome")
            clock.advance(days: 200)
            _ = try central.members.ledger(member: "M1", account: .points, delta: 500, reason: "promo")
            // Cap 10 %: on a ¥45 mug at most 450 points.
            var req = OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .cash)
            req.points = 451
            #expect(throws: NodeError.self) { try central.orders.create(req) }
            req.points = 450
            _ = try central.orders.create(req)  // takes 450 of the first 1000
            clock.advance(days: 170)  // the first lot (550 left) has expired; the second has not
            let p = try central.members.points(of: "M1")
            #expect(p.expired == 550)
            #expect(p.available == 500 + 40, "the second lot plus the points the mug earned")
            #expect(try central.members.find("M1").points == p.available)
            // Expired points cannot be spent.
            #expect(throws: NodeError.self) {
                try central.members.ledger(member: "M1", account: .points, delta: -600, reason: "x")
            }
            // Points keep the rule they were earned under: turning expiry off does not bring the
            // expired lot back, and the 500 earned under 365 days still expire on day 565.
            _ = try central.members.setPointsSettings(
                capPercent: nil, expiryDays: 0, sharePoints: nil, shareDailyLimit: nil)
            #expect(try central.members.points(of: "M1").expired == 550, "expired points stay expired")
            _ = try central.members.ledger(member: "M1", account: .points, delta: 300, reason: "promo")
            clock.advance(days: 200)
            let later = try central.members.points(of: "M1")
            #expect(later.expired == 550 + 500 + 40, "lots earned under 365 days still expire")
            #expect(later.available == 300, "points earned with expiry off never expire")
            // Turned on again, a shorter rule does not shorten the 300 earned without expiry.
            _ = try central.members.setPointsSettings(
                capPercent: nil, expiryDays: 30, sharePoints: nil, shareDailyLimit: nil)
            clock.advance(days: 400)
            #expect(try central.members.points(of: "M1").available == 300)
            #expect(try central.members.pointsSchedule().steps.map(\.days) == [365, nil, 30])
        }
    }

    @Test func sharingIsRewardedUpToTheDailyLimitAndOfflineExcessIsFlagged() throws {
        try withCentral("share") { central, dir in
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.setPointsSettings(
                capPercent: nil, expiryDays: nil, sharePoints: 5, shareDailyLimit: 2)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            for s in [s1, s2] {
                _ = try s.members.share(member: "M1", what: "TEA-01")
                _ = try s.members.share(member: "M1", what: "TEA-01")
                #expect(throws: NodeError.self) { try s.members.share(member: "M1", what: "TEA-01") }
            }
            for s in [s1, s2] {
                _ = try central.store.applyRemote(try s.read { try $0.ownChanges(after: 0, limit: 100) })
            }
            #expect(try central.members.points(of: "M1").available == 20)
            let flagged = try central.read { try $0.conflicts() }.filter { $0.subject.hasPrefix("share:M1:") }
            #expect(flagged.count == 2, "the two shares over the daily limit are flagged for head office")
        }
    }

    @Test func thePointsCatalogExchangesSKUsAndCoupons() throws {
        try withCentral("catalog") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 2, reason: .receive)
            _ = try central.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.marketing.define(Coupon(code: "FIVE", amountCents: 500), holdersOnly: true)
            _ = try central.members.setPointsCatalogItem("sku:MUG-01", points: 3000)
            _ = try central.members.setPointsCatalogItem("coupon:FIVE", points: 400)
            #expect(throws: NodeError.self) { try central.members.setPointsCatalogItem("sku:NOPE", points: 1) }
            #expect(try central.members.pointsCatalog().map(\.item) == ["coupon:FIVE", "sku:MUG-01"])
            _ = try central.members.ledger(member: "M1", account: .points, delta: 3500, reason: "gift")
            _ = try central.members.exchangePoints(member: "M1", item: "sku:MUG-01")
            #expect(try central.inventory.levels(sku: "MUG-01").first?.on_hand == 1)
            // 500 points left
            #expect(throws: NodeError.self) { try central.members.exchangePoints(member: "M1", item: "sku:MUG-01") }
            let after = try central.members.exchangePoints(member: "M1", item: "coupon:FIVE")
            #expect(after.available == 100)
            // The coupon is theirs: usable once, by them only.
            let o = try central.orders.create(
                OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", coupon: "FIVE", pay: .cash))
            #expect(o.total_cents == 1250 - 500)
            #expect(throws: NodeError.self) {
                try central.orders.create(
                    OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", coupon: "FIVE", pay: .cash))
            }
            _ = try central.members.upsert(id: "M2", name: "Wang", phone: nil)
            #expect(throws: NodeError.self) {
                try central.orders.create(
                    OrderRequest(lines: [.line("TEA-01", 1)], member: "M2", coupon: "FIVE", pay: .cash))
            }
        }
    }

    @Test func couponsAreIssuedToGroupsClaimedGivenAtCheckoutAndTracked() throws {
        try withTempDirectory("issue") { dir in
            let clock = Clock()
            let central = try Self.central(dir, clock: clock)
            for m in ["M2", "M3"] { _ = try central.members.upsert(id: m, name: m, phone: nil) }
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: "M2", pay: .card))
            _ = try central.members.defineGroup(
                id: "BUYERS", name: "bought ≥ ¥50", minSpend: Money(cents: 5000), minOrders: 0, days: 30, region: nil)
            _ = try central.marketing.define(
                Coupon(code: "VIP10", kind: .amountOff(cents: 1000), endsAt: clock.now() + 10 * 86_400_000),
                holdersOnly: true)
            _ = try central.marketing.define(
                Coupon(code: "BACK5", amountCents: 500), holdersOnly: true, giveOnSpendCents: 10_000)
            #expect(throws: NodeError.self) {
                try central.marketing.define(Coupon(code: "BAD", amountCents: 500), giveOnSpendCents: 100)
            }
            let issued = try central.marketing.issueCoupon(code: "VIP10", members: ["M1"], group: "BUYERS")
            #expect(issued.issued == ["M1", "M2"])
            #expect(try central.marketing.issueCoupon(code: "VIP10", members: ["M1"], group: nil).skipped == ["M1"])
            _ = try central.marketing.claimCoupon(code: "VIP10", member: "M3")
            #expect(throws: NodeError.self) { try central.marketing.claimCoupon(code: "VIP10", member: "M3") }
            _ = try central.orders.create(
                OrderRequest(lines: [.line("TEA-01", 2)], member: "M1", coupon: "VIP10", pay: .cash))
            // Given at checkout: M3's ¥112.50 order reaches ¥100, so BACK5 is theirs for next time.
            _ = try central.orders.create(
                OrderRequest(lines: [.line("MUG-01", 2), .line("TEA-01", 2)], member: "M3", pay: .cash))
            #expect(
                try central.orders.create(
                    OrderRequest(lines: [.line("TEA-01", 1)], member: "M3", coupon: "BACK5", pay: .cash)
                )
                .total_cents == 750)
            clock.advance(days: 11)
            let usage = try central.marketing.coupons().first { $0.code == "VIP10" }
            #expect(usage?.issued == 3)
            #expect(usage?.claimed == 1)
            #expect(usage?.used == 1)
            #expect(usage?.expired == 2, "M2 and M3 never used it before it ended")
            #expect(usage?.status == "expired")
            #expect(throws: NodeError.self) {
                try central.marketing.issueCoupon(code: "VIP10", members: ["M3"], group: nil)
            }
        }
    }

    @Test func levelBenefitsShipFreeAndGiveABirthdayGiftOnceAYear() throws {
        try withTempDirectory("benefits") { dir in
            let clock = Clock()
            let central = try Self.central(dir, clock: clock)
            _ = try central.orders.setShippingFee(Money(cents: 800))
            _ = try central.marketing.define(Coupon(code: "BDAY", amountCents: 2000), holdersOnly: true)
            _ = try central.members.defineLevel(
                id: "NORMAL", name: "普通", minPoints: 0, pointsMultiplier: 100, discountPercent: 0)
            _ = try central.members.defineLevel(
                id: "GOLD", name: "金卡", minPoints: 100, pointsMultiplier: 100, discountPercent: 0, freeShipping: true,
                birthdayPoints: 188, birthdayCoupon: "BDAY")
            let normal = try central.orders.quote(
                OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", channel: .online))
            #expect(normal.total.cents == 4500 + 800)
            _ = try central.members.ledger(member: "M1", account: .points, delta: 100, reason: "welcome")
            #expect(
                try central.orders.quote(OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", channel: .online))
                    .total.cents
                    == 4500)
            #expect(
                try central.orders.quote(OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .cash)).total
                    .cents
                    == 4500, "no fee at the counter")
            // Birthday today (China Standard Time).
            let today = String(Self.shanghaiMonthDay(clock.now()))
            _ = try central.members.upsert(id: "M1", name: nil, phone: nil, birthday: today)
            let gifts = try central.members.giveBirthdayGifts()
            #expect(gifts.map { "\($0.member) \($0.level) \($0.points) \($0.coupon ?? "-")" } == ["M1 GOLD 188 BDAY"])
            #expect(try central.members.giveBirthdayGifts().isEmpty, "once a year")
            #expect(try central.members.find("M1").points == 288)
            #expect(try central.marketing.coupons().first { $0.code == "BDAY" }?.issued == 1)
        }
    }

    @Test func topupBonusLoginAndRegistrationAreRecorded() throws {
        try withTempDirectory("topup") { dir in
            let clock = Clock()
            let central = try Self.central(dir, clock: clock)
            #expect(throws: NodeError.self) {
                try central.members.setTopupBonuses([TopupBonus(threshold_cents: 50_000, bonus_cents: 60_000)])
            }
            _ = try central.members.setTopupBonuses(TopupBonus.list(parsing: "500=50,1000=120"))
            #expect(
                try central.members.ledger(member: "M1", account: .wallet, delta: 100_000, reason: "topup").wallet_cents
                    == 112_000)
            #expect(
                try central.members.ledger(member: "M1", account: .wallet, delta: 10_000, reason: "topup").wallet_cents
                    == 122_000)
            let registered = try #require(try central.members.find("M1").registered_at)
            #expect(registered <= clock.now())
            clock.advance(days: 100)
            #expect(try central.members.dormant(days: 30) == ["M1"])
            let m = try central.members.recordLogin(member: "M1")
            #expect(m.last_login_at == clock.now())
            #expect(try central.members.dormant(days: 30).isEmpty, "a member who logged in is not dormant")
        }
    }

    static func shanghaiMonthDay(_ millis: Int64) -> Substring {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "MM-dd"
        return Substring(f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }
}

/// Contact data is never global: each store keeps its own copy, which reaches head office only.
@Suite struct MemberContactTests {
    @Test func contactDataReachesOnlyTheStoreThatCollectedItAndHeadOffice() throws {
        try withCentral("contact") { central, dir in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let m = try s1.members.upsert(
                id: "M5", name: "Zhao", phone: "13812345678", birthday: "1990-05-17", email: "zhao@example.com",
                address: "杭州市西湖区 1 号")
            #expect(m.home == "s1" && m.email == "zhao@example.com")
            let pushed = try s1.read { try $0.ownChanges(after: 0, limit: 100) }
            _ = try central.sync.acceptPush(from: try #require(NodeID("s1")), changes: pushed)
            #expect(try central.members.find("M5").address == "杭州市西湖区 1 号")
            #expect(try central.members.birthdays(on: MonthDay(parsing: "05-17")!) == ["M5"])
            // s2 gets the member (name, phone, points) but never their contact data.
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            let there = try s2.members.find("M5")
            #expect(there.name == "Zhao" && there.phone == "13812345678")
            #expect(there.email == nil && there.address == nil && there.birthday == nil)
            #expect(try s2.read { try $0.changes() }.contains { $0.kind == .memberContact } == false)
            // s2 records what the member tells it: its own copy, which s1 never receives.
            _ = try s2.members.upsert(id: "M5", name: nil, phone: nil, email: "zhao@s2.example.com")
            #expect(try s2.members.find("M5").email == "zhao@s2.example.com")
            _ = try central.sync.acceptPush(
                from: try #require(NodeID("s2")), changes: try s2.read { try $0.ownChanges(after: 0, limit: 100) })
            #expect(
                try central.members.find("M5").email == "zhao@example.com", "head office shows the home store's copy")
            let toS1 = try central.read {
                try $0.changesForPull(node: try #require(NodeID("s1")), after: 0, limit: 10_000).changes
            }
            #expect(!toS1.contains { $0.kind == .memberContact && $0.entity.hasSuffix("@s2") })
            // A forged push of another store's copy is refused and changes nothing.
            let before = try central.sync.status().state_hash
            let template = try #require(pushed.first { $0.kind == .memberContact })
            let held = try central.read { try $0.heldSeq(of: try #require(NodeID("s2"))) }
            let forged = ChangeRecord(
                origin: try #require(NodeID("s2")), seq: held + 1, hlc: template.hlc, kind: .memberContact,
                entity: "M5@s1",
                op: .upsert, fields: ["email": "steal@example.com"], context: VersionVector(),
                scope: .node(try #require(NodeID("s2"))))
            #expect(throws: NodeError.self) {
                try central.sync.acceptPush(from: try #require(NodeID("s2")), changes: [forged])
            }
            #expect(try central.sync.status().state_hash == before, "a refused push changes nothing")
            // Head office corrects the contact data at the member's home: it reaches s1 only.
            _ = try central.members.upsert(id: "M5", name: nil, phone: nil, email: "zhao@new.example.com")
            let toS1Now = try central.read {
                try $0.changesForPull(node: try #require(NodeID("s1")), after: 0, limit: 10_000).changes
            }
            let toS2 = try central.read {
                try $0.changesForPull(node: try #require(NodeID("s2")), after: 0, limit: 10_000).changes
            }
            #expect(toS1Now.contains { $0.kind == .memberContact && $0.fields["email"] == "zhao@new.example.com" })
            #expect(!toS2.contains { $0.kind == .memberContact && $0.entity == "M5@s1" })
        }
    }
}

extension MemberContactTests {
    @Test func twoStoresRegisteringTheSameMemberOfflineBothSyncAndConverge() throws {
        try withCentral("contact2") { central, dir in
            var stores: [FenxiaoNode] = []
            for n in ["s1", "s2"] {
                _ = try central.sync.enroll(node: n, warehouses: [])
                stores.append(try Fixtures.store(n, in: dir, from: central))
            }
            for (i, s) in stores.enumerated() {
                _ = try s.members.upsert(id: "M7", name: "Qian \(i)", phone: nil, email: "qian\(i)@example.com")
            }
            for s in stores {
                _ = try central.sync.acceptPush(
                    from: s.identity.node, changes: try s.read { try $0.ownChanges(after: 0, limit: 100) })
            }
            for s in stores {
                let page = try central.read { try $0.changesForPull(node: s.identity.node, after: 0, limit: 10_000) }
                _ = try s.store.applyPull(page.changes, cursor: page.last)
                #expect(
                    try s.sync.status().state_hash == central.sync.status(scopeOf: s.identity.node.rawValue).state_hash)
            }
            #expect(try stores[0].members.find("M7").email == "qian0@example.com")
            #expect(try stores[1].members.find("M7").email == "qian1@example.com")
            #expect(
                try central.sync.conflicts().contains { $0.subject.hasPrefix("member:M7.") },
                "the concurrent registration is recorded")
        }
    }
}

@Suite struct LevelBySpendTests {
    @Test func levelsBySpendUpgradeAndDowngradeAfterARefund() throws {
        try withCentral("spendlevels") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 50, reason: .receive)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.defineLevel(
                id: "NORMAL", name: "普通", minPoints: 0, pointsMultiplier: 100, discountPercent: 0)
            _ = try central.members.defineLevel(
                id: "SILVER", name: "银卡", minPoints: 0, pointsMultiplier: 100, discountPercent: 0,
                minSpend: Money(cents: 10000))
            _ = try central.members.defineLevel(
                id: "GOLD", name: "金卡", minPoints: 0, pointsMultiplier: 100, discountPercent: 5,
                minSpend: Money(cents: 50000))
            #expect(try central.members.level(of: "M1")?.id == "NORMAL")
            // ¥540
            let big = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 12)], member: "M1", pay: .card))
            #expect(try central.members.level(of: "M1")?.id == "GOLD")
            // ¥450 spent
            _ = try central.orders.refund(
                order: big.id, amount: Money(cents: 9000), reason: "two mugs back", restock: false)
            #expect(try central.members.level(of: "M1")?.id == "SILVER", "a refund below the threshold downgrades")
            #expect(throws: NodeError.self) {
                try central.members.defineLevel(
                    id: "X", name: "x", minPoints: 0, pointsMultiplier: 100, discountPercent: 0,
                    minSpend: Money(cents: -1))
            }
        }
    }
}
