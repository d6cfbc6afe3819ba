import Commerce
import FenxiaoTesting
import Node
import Testing

/// The console's member reads at central: search (limit and "more", level and group filters,
/// phone matching by role), the stored-value history, a member's groups and the coupons they hold.
@Suite struct MemberDirectoryTests {
    func withMembers(_ body: (FenxiaoNode) throws -> Void) throws {
        try withCentral("member-directory") { central, _ in
            _ = try central.access.upsertUser(
                id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil,
                birthday: nil)
            let boss = central.acting(as: "boss")
            _ = try boss.access.upsertUser(
                id: "amy", name: "Amy", role: .cashier, store: "S1", phone: nil, email: nil, address: nil,
                birthday: nil)
            for n in 1...5 { _ = try boss.members.upsert(id: "M\(n)", name: "会员\(n)", phone: "1390000000\(n)") }
            _ = try boss.members.defineLevel(
                id: "silver", name: "银卡", minPoints: 100, pointsMultiplier: 100, discountPercent: 0)
            _ = try boss.members.ledger(member: "M2", account: .points, delta: 120, reason: "manual")
            _ = try boss.members.defineGroup(
                id: "big", name: "大客户", minSpend: Money(cents: 1000), minOrders: 1, days: 30, region: nil)
            _ = try boss.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            _ = try boss.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M3", pay: .card))
            try body(central)
        }
    }

    @Test func searchLimitsFiltersAndSaysWhenMoreMatch() throws {
        try withMembers { central in
            let members = central.acting(as: "boss").members
            let two = try members.search(text: "会员", level: nil, group: nil, limit: 2)
            #expect(two.members.map(\.id) == ["M1", "M2"])
            #expect(two.more)
            let all = try members.search(text: "会员", level: nil, group: nil)
            #expect(all.members.count == 5 && !all.more)
            #expect(try members.search(text: nil, level: "silver", group: nil).members.map(\.id) == ["M2"])
            #expect(try members.search(text: nil, level: nil, group: "big").members.map(\.id) == ["M3"])
            #expect(try members.search(text: "m4", level: nil, group: nil).members.map(\.id) == ["M4"])
            // A 3-digit part is no phone search; an unknown level or group names itself.
            #expect(try members.search(text: "000", level: nil, group: nil).members.isEmpty)
            #expect(throws: NodeError.self) { try members.search(text: nil, level: "platinum", group: nil) }
            #expect(throws: NodeError.self) { try members.search(text: nil, level: nil, group: "nope") }
            #expect(throws: NodeError.self) { try members.search(text: nil, level: nil, group: nil, limit: 0) }
            #expect(throws: NodeError.self) {
                try members.search(text: String(repeating: "x", count: 101), level: nil, group: nil)
            }
            #expect(try members.groups(of: "M3").map(\.id) == ["big"])
            #expect(try members.groups(of: "M1").isEmpty)
        }
    }

    @Test func aRoleWithoutViewContactsFindsByTheWholePhoneOnlyAndSeesItMasked() throws {
        try withMembers { central in
            let amy = central.acting(as: "amy").members
            let whole = try amy.search(text: "13900000003", level: nil, group: nil)
            #expect(whole.members.map { $0.phone ?? "" } == ["139****0003"])
            let part = try amy.search(text: "00000003", level: nil, group: nil)
            #expect(part.members.isEmpty)
            let boss = try central.acting(as: "boss").members.search(text: "00000003", level: nil, group: nil)
            #expect(boss.members.map { $0.phone ?? "" } == ["13900000003"])
        }
    }

    @Test func walletHistoryIsNewestFirstAndHeldCouponsSayWhetherUsed() throws {
        try withMembers { central in
            let boss = central.acting(as: "boss")
            _ = try boss.members.ledger(member: "M1", account: .wallet, delta: 3000, reason: "topup", payment: .cash)
            _ = try boss.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            _ = try boss.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", pay: .stored))
            let history = try boss.members.walletHistory(of: "M1")
            #expect(history.map(\.delta_cents) == [-1250, 3000])
            #expect(history.map(\.reason) == ["payment", "topup"])
            #expect(history.last?.ref == "cash")
            #expect(try boss.members.find("M1").wallet_cents == 1750)
            #expect(throws: NodeError.self) { try boss.members.walletHistory(of: "NOBODY") }
            _ = try boss.marketing.define(Coupon(code: "HELD5", amountCents: 500), holdersOnly: true)
            _ = try boss.marketing.issueCoupon(code: "HELD5", members: ["M2", "M4"], group: nil)
            _ = try boss.orders.create(
                OrderRequest(lines: [.line("TEA-01", 1)], member: "M2", coupon: "HELD5", pay: .card))
            #expect(try boss.marketing.coupons(heldBy: "M2").map(\.status) == ["used"])
            #expect(
                try boss.marketing.coupons(heldBy: "M4").map { "\($0.code) \($0.source) \($0.status)" } == [
                    "HELD5 issue active"
                ])
            #expect(try boss.marketing.coupons(heldBy: "M1").isEmpty)
        }
    }
}

/// The whole distributor tree in one read equals each top distributor's `tree`.
@Suite struct DistributorForestTests {
    @Test func theForestIsEachTopDistributorsTree() throws {
        try withCentral("distributor-forest") { central, _ in
            _ = try central.access.upsertUser(
                id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil,
                birthday: nil)
            let boss = central.acting(as: "boss")
            for id in ["A", "B", "C", "D", "E", "F"] { _ = try boss.members.upsert(id: id, name: id, phone: nil) }
            func join(_ id: String, invitedBy code: String?, approve: Bool = true) throws {
                _ = try boss.distribution.apply(member: id, channels: nil, experience: nil, inviterCode: code)
                if approve { _ = try boss.distribution.review(id: id, approve: true, reason: nil, group: nil) }
            }
            try join("A", invitedBy: nil)
            try join("B", invitedBy: "RC-A")
            try join("C", invitedBy: "RC-B")
            try join("D", invitedBy: "RC-A")
            try join("E", invitedBy: nil)
            try join("F", invitedBy: nil, approve: false)  // applied: no tree of its own
            let forest = try boss.distribution.forest()
            #expect(forest.map { $0.first?.distributor } == ["A", "E"])
            #expect(forest[0] == (try boss.distribution.tree("A")))
            #expect(forest[0].map { "\($0.distributor)\($0.depth)" } == ["A0", "B1", "C2", "D1"])
            #expect(forest[1] == (try boss.distribution.tree("E")))
        }
    }
}
