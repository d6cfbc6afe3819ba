import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Automatic approval, first-purchase binding, lock periods, fixed commissions and the
/// commission reports.
@Suite struct DistributionSettingsTests {
    @Test func applicationsAreApprovedAutomaticallyOnlyAboveTheSpendThreshold() throws {
        try withCentral("auto") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
            for m in ["BIG", "SMALL"] { _ = try central.members.upsert(id: m, name: m, phone: nil) }
            // BIG spends ¥540
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 12)], member: "BIG", pay: .card))
            // SMALL spends ¥45
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "SMALL", pay: .card))
            let settings = try central.distribution.setDistributionSettings(
                lockDays: nil, binding: nil, autoApproveSpend: .atSpend(Money(cents: 50000)))
            #expect(settings.auto_approve_spend_cents == 50_000)
            let big = try central.distribution.apply(member: "BIG", channels: nil, experience: nil, inviterCode: nil)
            #expect(big.status == "active")
            #expect(big.reason == "auto-approved: spent ¥540.00 ≥ ¥500.00")
            #expect(
                try central.distribution.apply(member: "SMALL", channels: nil, experience: nil, inviterCode: nil).status
                    == "applied")
            // SMALL spends more; the queue run (serve does it every few seconds) approves them.
            #expect(try central.distribution.autoReviewApplications().isEmpty)
            // ¥540 in all
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 11)], member: "SMALL", pay: .card))
            #expect(try central.distribution.autoReviewApplications().map(\.id) == ["SMALL"])
            #expect(try central.distribution.find("SMALL").status == "active")
            // Turning it off leaves later applications to a person.
            _ = try central.distribution.setDistributionSettings(lockDays: nil, binding: nil, autoApproveSpend: .off)
            #expect(try central.distribution.distributionSettings().auto_approve_spend_cents == nil)
        }
    }

    @Test func aStoreCannotChangeSettingsAndItsApplicationWaitsForHeadOffice() throws {
        try withCentral("autostore") { central, dir in
            _ = try central.distribution.setDistributionSettings(
                lockDays: nil, binding: nil, autoApproveSpend: .atSpend(.zero))
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            #expect(throws: NodeError.self) {
                try s1.distribution.setDistributionSettings(lockDays: 1, binding: nil, autoApproveSpend: nil)
            }
            // A store only submits (its push may carry only `applied`); central approves on arrival.
            #expect(
                try s1.distribution.apply(member: "M1", channels: nil, experience: nil, inviterCode: nil).status
                    == "applied")
            _ = try central.store.applyRemote(try s1.read { try $0.ownChanges(after: 0, limit: 100) })
            #expect(try central.distribution.autoReviewApplications().map(\.id) == ["M1"])
        }
    }

    /// Central with active distributor D (code RC-D) and members M1, M2.
    static func withDistributor(_ dir: TempDirectory) throws -> FenxiaoNode {
        let central = try Fixtures.central(in: dir)
        _ = try central.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        for m in ["D", "E", "M1", "M2"] { _ = try central.members.upsert(id: m, name: m, phone: nil) }
        for d in ["D", "E"] {
            _ = try central.distribution.apply(member: d, channels: nil, experience: nil, inviterCode: nil)
            _ = try central.distribution.review(id: d, approve: true, reason: nil, group: nil)
        }
        _ = try central.distribution.defineCommissionRule(
            id: "R1", levels: [10], effectiveFrom: 0, windowDays: 0, selfPurchase: false, overrides: [:])
        return central
    }

    @Test func aFirstPurchaseThroughALinkBindsTheCustomerAndEarnsCommission() throws {
        try withTempDirectory("link") { dir in
            let central = try Self.withDistributor(dir)
            var req = OrderRequest(lines: [.line("MUG-01", 2)], member: "M1", pay: .card)
            req.via = "RC-D"
            let first = try central.orders.create(req)
            #expect(try central.distribution.commissionAccount("D").entries.map(\.order) == [first.id])
            #expect(try central.distribution.performance(of: "D").customers == 1)
            // A later link of another distributor does not steal the customer while the lock lasts.
            req.via = "RC-E"
            let second = try central.orders.create(req)
            #expect(try central.distribution.commissionAccount("E").entries.isEmpty)
            #expect(
                try central.distribution.commissionAccount("D").entries.map(\.order).sorted()
                    == [first.id, second.id].sorted())
            // Without a member a link cannot bind; an unknown code is refused and sells nothing.
            var guest = OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash)
            guest.via = "RC-D"
            #expect(throws: NodeError.self) { try central.orders.create(guest) }
            var unknown = OrderRequest(lines: [.line("MUG-01", 1)], member: "M2", pay: .cash)
            unknown.via = "RC-NOPE"
            let before = try central.orders.list().count
            #expect(throws: NodeError.self) { try central.orders.create(unknown) }
            #expect(try central.orders.list().count == before)
        }
    }

    @Test func theBindingRuleAndLockPeriodAreConfigurable() throws {
        try withTempDirectory("rule") { dir in
            let central = try Self.withDistributor(dir)
            _ = try central.distribution.setDistributionSettings(
                lockDays: 0, binding: .referralCode, autoApproveSpend: nil)
            var req = OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .card)
            req.via = "RC-D"
            let o = try central.orders.create(req)  // link ignored under referral_code-only binding
            #expect(try central.distribution.commissionAccount("D").entries.isEmpty)
            #expect(try central.orders.find(o.id).status == "completed")
            _ = try central.distribution.bindCustomer(member: "M1", referralCode: "RC-D")
            // Lock of 0 days: re-binding to E is allowed at once.
            _ = try central.distribution.bindCustomer(member: "M1", referralCode: "RC-E")
            _ = try central.distribution.setDistributionSettings(
                lockDays: 30, binding: .firstPurchase, autoApproveSpend: nil)
            #expect(throws: NodeError.self) {
                try central.distribution.bindCustomer(member: "M2", referralCode: "RC-D")
            }
            #expect(throws: NodeError.self) {
                try central.distribution.setDistributionSettings(lockDays: -1, binding: nil, autoApproveSpend: nil)
            }
        }
    }

    @Test func fixedAmountsPerOrderAndPerItemAreAddedPerLevel() throws {
        try withTempDirectory("fixed") { dir in
            let central = try DistributionTests.chain(dir, levels: [10, 5])
            _ = try central.distribution.defineCommissionRule(
                id: "R2", levels: [0, 0], effectiveFrom: 1, windowDays: 0, selfPurchase: false, overrides: [:],
                fixedPerOrder: [Money(cents: 200), Money(cents: 100)],
                fixedPerItem: [Money(cents: 50), Money(cents: 20)])
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], member: "M9", pay: .card))
            // Level 1 (C): ¥2 + 3 × ¥0.50 = ¥3.50; level 2 (B): ¥1 + 3 × ¥0.20 = ¥1.60.
            #expect(try central.distribution.commissionAccount("C").available_cents == 350)
            #expect(try central.distribution.commissionAccount("B").available_cents == 160)
            #expect(throws: NodeError.self) {
                try central.distribution.defineCommissionRule(
                    id: "R3", levels: [10], effectiveFrom: nil, windowDays: 0, selfPurchase: false, overrides: [:],
                    fixedPerOrder: [Money(cents: 100), Money(cents: 100)])
            }
        }
    }

    @Test func reportsGroupCommissionByLevelDistributorAndMonthAndRankDistributors() throws {
        try withTempDirectory("creport") { dir in
            let central = try DistributionTests.chain(dir, levels: [10, 5, 2], window: 7)
            // ¥135
            let order = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], member: "M9", pay: .card))
            _ = try central.orders.refund(order: order.id, amount: Money(cents: 4500), reason: nil, restock: false)
            let byLevel = try central.distribution.commissionReport(by: .level)
            #expect(byLevel.map(\.key) == ["L1", "L2", "L3"])
            #expect(byLevel.map(\.earned_cents) == [1350, 675, 270])
            #expect(byLevel.map(\.reversed_cents) == [450, 225, 90])
            #expect(
                byLevel.allSatisfy {
                    $0.frozen_cents == $0.net_cents && $0.available_cents == 0 && $0.paid_out_cents == nil
                })
            let later = central.store.wallNow() + 8 * 86_400_000
            let settled = try central.distribution.commissionReport(by: .distributor, now: later)
            #expect(settled.map(\.key) == ["A", "B", "C"])
            #expect(settled.map(\.available_cents) == [180, 450, 900])
            let byMonth = try central.distribution.commissionReport(by: .month)
            #expect(byMonth.count == 1 && byMonth.first?.net_cents == 1530 && byMonth.first?.orders == 1)
            #expect(try central.distribution.commissionReport(by: .level, from: 0, to: 1).isEmpty)
            let top = try central.distribution.topDistributors(limit: 2)
            #expect(top.map(\.distributor) == ["C", "B"])
            #expect(top.first?.sales_cents == 9000)
        }
    }
}

/// Distributor groups by hand, by performance and by channel; each group's overrides apply to
/// orders sold after the change.
@Suite struct DistributorGroupTests {
    @Test func groupsFollowSalesTiersAndChannelsAndDriveOverrides() throws {
        try withTempDirectory("dgroups") { dir in
            let central = try DistributionTests.chain(dir, levels: [10])
            _ = try central.distribution.defineCommissionRule(
                id: "R2", levels: [10], effectiveFrom: 1, windowDays: 0, selfPurchase: false,
                overrides: ["group:gold": [20]])
            // C sells ¥90 (2 mugs to M9): silver at ¥50, gold at ¥100.
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: "M9", pay: .card))
            let first = try central.distribution.regroup(RegroupRule(by: .sales, parsing: "gold=100,silver=50"))
            #expect(first.map { "\($0.distributor) \($0.from ?? "-") \($0.to ?? "-")" } == ["C - silver"])
            let second = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .card))
            #expect(
                try central.distribution.regroup(RegroupRule(by: .sales, parsing: "gold=100,silver=50")).map(\.to) == [
                    "gold"
                ])
            let third = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M9", pay: .card))
            let entries = try central.distribution.commissionAccount("C").entries
            #expect(entries.first { $0.order == second.id }?.earn_cents == 450, "silver: the base 10 %")
            #expect(entries.first { $0.order == third.id }?.earn_cents == 900, "gold: the group override 20 %")
            // A refund drops C below gold: downgraded, and a group set by hand is never touched.
            _ = try central.orders.refund(order: third.id, amount: Money(cents: 4500), reason: nil, restock: false)
            _ = try central.orders.refund(order: second.id, amount: Money(cents: 4500), reason: nil, restock: false)
            #expect(
                try central.distribution.regroup(RegroupRule(by: .sales, parsing: "gold=100,silver=50")).map(\.to) == [
                    "silver"
                ])
            _ = try central.distribution.setGroup(id: "A", group: "vip")
            _ = try central.distribution.regroup(RegroupRule(by: .sales, parsing: "gold=100,silver=95"))
            #expect(try central.distribution.find("A").group == "vip")
            #expect(try central.distribution.find("C").group == nil, "below every tier: out of the tier group")
            // By channel: A applied with WeChat, B with Douyin.
            let byChannel = try central.distribution.regroup(.channel([.init(channel: "douyin", group: "dy")]))
            #expect(byChannel.map(\.distributor) == ["B"])
            #expect(throws: NodeError.self) {
                try central.distribution.regroup(.channel([.init(channel: "douyin", group: "no spaces")]))
            }
            #expect(throws: CommerceError.self) { try RegroupRule(by: .sales, parsing: "gold=lots") }
            #expect(throws: NodeError.self) { try central.distribution.regroup(.sales([])) }
        }
    }
}

@Suite struct WithdrawalRulesTests {
    @Test(arguments: [
        (Int64(1000), "bank", Int64(100)), (50_000, "bank", 500), (50_050, "bank", 501), (10_000, "thirdparty", 60),
        (10_083, "thirdparty", 60), (10_084, "thirdparty", 61), (10_000, "stored_value", 0), (10_000, "cash", 0),
    ])
    func defaultFeesRoundHalfUpToTheFen(amount: Int64, method: String, fee: Int64) {
        #expect(WithdrawalRules().fee(amount: amount, method: method) == fee)
    }

    @Test func headOfficeChangesTheMinimumAndFees() throws {
        try withTempDirectory("wrules") { dir in
            let central = try DistributionTests.chain(dir, levels: [10])
            // C earns ¥45
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 10)], member: "M9", pay: .card))
            let rules = try central.distribution.setWithdrawalRules(
                minimum: Money(cents: 2000), bankFeePercent: Percent(basisPoints: 200),
                bankFeeMinimum: Money(cents: 300), thirdpartyFeePercent: nil)
            #expect(rules.min_cents == 2000 && rules.bank_fee_bps == 200 && rules.thirdparty_fee_bps == 60)
            #expect(throws: NodeError.self) {
                try central.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 1500), method: .cash)
            }
            #expect(
                try central.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 2000), method: .bank)
                    .fee_cents == 300)
            #expect(throws: NodeError.self) {
                try central.distribution.setWithdrawalRules(
                    minimum: nil, bankFeePercent: Percent(basisPoints: 5000), bankFeeMinimum: nil,
                    thirdpartyFeePercent: nil)
            }
            #expect(throws: NodeError.self) {
                try central.distribution.setWithdrawalRules(
                    minimum: nil, bankFeePercent: nil, bankFeeMinimum: nil, thirdpartyFeePercent: nil)
            }
        }
    }
}
