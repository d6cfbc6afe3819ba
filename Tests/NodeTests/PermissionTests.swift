import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

@Suite struct PermissionTests {
    /// Central with an admin, a cashier and a store manager.
    static func staffed(_ dir: TempDirectory) throws -> FenxiaoNode {
        let central = try Fixtures.central(in: dir)
        _ = try central.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        _ = try central.access.upsertUser(
            id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        let admin = central.acting(as: "boss")
        _ = try admin.access.upsertUser(
            id: "amy", name: "Amy", role: .cashier, store: "central", phone: "13911112222", email: nil, address: nil,
            birthday: nil)
        _ = try admin.access.upsertUser(
            id: "max", name: "Max", role: .storeManager, store: "central", phone: nil, email: nil, address: nil,
            birthday: nil)
        return central
    }

    @Test func onceUsersExistEveryActionNeedsAUser() throws {
        try withTempDirectory("perm") { dir in
            let central = try Self.staffed(dir)
            do {
                _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))
                Issue.record("sold without a user")
            } catch let error as NodeError {
                #expect(error.code == .unauthorized)
                #expect(error.field == .user)  // the CLI shows it as --as, a web till as its user picker
                #expect(
                    error.text.rendered { $0 == .user ? "--as" : $0.rawValue }.contains(
                        "--as must name the user who acts"))
            }
            #expect(throws: NodeError.self) {
                try central.acting(as: "ghost").orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))
            }
        }
    }

    @Test(arguments: [
        ("amy", true, false, false), ("max", true, false, true), ("boss", true, true, true),
    ])
    func rolesAllowWhatTheyShould(user: String, sell: Bool, price: Bool, reports: Bool) throws {
        try withTempDirectory("roles") { dir in
            let node = try Self.staffed(dir).acting(as: user)
            let sold = (try? node.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))) != nil
            let priced = (try? node.catalog.setPrice(sku: "MUG-01", price: Money(cents: 5000))) != nil
            let reported = (try? node.reports.sales()) != nil
            #expect(sold == sell)
            #expect(priced == price)
            #expect(reported == reports)
        }
    }

    @Test func refundsAboveTheCashiersLimitNeedAManager() throws {
        try withTempDirectory("limit") { dir in
            let central = try Self.staffed(dir)
            let amy = central.acting(as: "amy")
            let order = try amy.orders.create(OrderRequest(lines: [.line("MUG-01", 6)], pay: .cash))  // ¥270.00
            do {
                _ = try amy.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
                Issue.record("cashier refunded ¥270")
            } catch let error as NodeError {
                #expect(error.code == .forbidden)
                #expect(error.message.contains("¥200.00"))
            }
            _ = try amy.orders.refund(order: order.id, amount: Money(cents: 10000), reason: nil, restock: false)
            _ = try central.acting(as: "max").orders.refund(
                order: order.id, amount: Money(cents: 17000), reason: nil, restock: false)
            let audit = try central.acting(as: "boss").access.auditLog()
            #expect(audit.contains { $0.user == "amy" && $0.action == "order.create" })
            #expect(audit.contains { $0.user == "max" && $0.action == "order.refund" && $0.subject == order.id })
            #expect(!audit.contains { $0.user == "amy" && $0.action == "order.refund" && $0.at == 0 })
        }
    }

    @Test func contactDataIsMaskedForCashiers() throws {
        try withTempDirectory("mask") { dir in
            let central = try Self.staffed(dir)
            #expect(try central.acting(as: "amy").members.find("M1").phone == "138****0001")
            #expect(try central.acting(as: "max").members.find("M1").phone == "13800000001")
            #expect(try central.acting(as: "amy").access.users().first { $0.id == "amy" }?.phone == "139****2222")
        }
    }
}

@Suite struct RefundRequestTests {
    @Test func requestsWaitForSomeoneAllowedToRefundThatMuch() throws {
        try withTempDirectory("rq") { dir in
            let central = try PermissionTests.staffed(dir)
            let amy = central.acting(as: "amy"), max = central.acting(as: "max")
            let order = try amy.orders.create(OrderRequest(lines: [.line("MUG-01", 6)], pay: .cash))  // ¥270.00
            let request = try amy.orders.requestRefund(order: order.id, amount: nil, reason: "broken", restock: true)
            #expect(request.status == "requested")
            #expect(try central.orders.find(order.id).refunded_cents == 0, "nothing happens before approval")
            #expect(throws: NodeError.self) {
                try amy.orders.decideRefund(request: request.id, approve: true, note: nil)
            }  // above ¥200
            let approved = try max.orders.decideRefund(request: request.id, approve: true, note: "ok")
            #expect(approved.status == "approved" && approved.decided_by == "max")
            let refunded = try central.orders.find(order.id)
            #expect(refunded.refunded_cents == 27000 && refunded.status == "refunded")
            #expect(try central.inventory.levels(sku: "MUG-01").first?.on_hand == 100, "the goods came back")
            #expect(throws: NodeError.self) {
                try max.orders.decideRefund(request: request.id, approve: false, note: nil)
            }
        }
    }
}

/// The membership, coupon and distribution actions, for every role.
@Suite struct MembershipPermissionTests {
    @Test(arguments: [
        // role, manage members (share), marketing (issue coupons), approve distributors (settings), see reports
        ("consumer", false, false, false, false),
        ("distributor", false, false, false, false),
        ("cashier", true, false, false, false),
        ("store_manager", true, false, false, true),
        ("hq_staff", true, true, true, true),
        ("admin", true, true, true, true),
    ])
    func everyRoleGetsExactlyItsActions(role: String, members: Bool, marketing: Bool, distributors: Bool, reports: Bool)
        throws
    {
        try withTempDirectory("mperm") { dir in
            let central = try PermissionTests.staffed(dir)
            let admin = central.acting(as: "boss")
            _ = try admin.marketing.define(Coupon(code: "VIP", amountCents: 500), holdersOnly: true)
            _ = try admin.access.upsertUser(
                id: "u", name: "U", role: try #require(Role(rawValue: role)), store: nil, phone: nil, email: nil,
                address: nil, birthday: nil)
            let node = central.acting(as: "u")
            let before = try central.sync.status().state_hash
            #expect(((try? node.members.share(member: "M1", what: "MUG-01")) != nil) == members)
            #expect(((try? node.marketing.issueCoupon(code: "VIP", members: ["M1"], group: nil)) != nil) == marketing)
            #expect(
                ((try? node.members.setPointsSettings(
                    capPercent: 30, expiryDays: nil, sharePoints: nil, shareDailyLimit: nil)) != nil) == marketing)
            #expect(
                ((try? node.distribution.setDistributionSettings(lockDays: 7, binding: nil, autoApproveSpend: nil))
                    != nil) == distributors)
            #expect(((try? node.distribution.commissionReport(by: .level)) != nil) == reports)
            if !(members || marketing || distributors) {
                #expect(try central.sync.status().state_hash == before, "refused actions write nothing")
            }
            #expect(((try? node.access.recordUserLogin("u")) != nil), "every user may log in")
            #expect(try admin.access.users().first { $0.id == "u" }?.last_login_at != nil)
        }
    }
}

@Suite struct PaymentDetailTests {
    @Test func paymentReferencesAreMaskedForCashiersAndStayInTheStoresScope() throws {
        try withTempDirectory("payref") { dir in
            let central = try PermissionTests.staffed(dir)
            var req = OrderRequest(lines: [.line("MUG-01", 1)], pay: .card)
            req.payReference = "6222021234567890"
            let sold = try central.acting(as: "amy").orders.create(req)
            #expect(sold.payments.first?.reference == "622****7890", "the cashier sees it masked")
            #expect(try central.acting(as: "boss").orders.find(sold.id).payments.first?.reference == "6222021234567890")
            #expect(try central.acting(as: "amy").orders.list().first?.payments.first?.reference == "622****7890")
            req.payReference = "not a reference!"
            #expect(throws: NodeError.self) { try central.acting(as: "boss").orders.create(req) }
            // A store's payments (and their references) are in its own scope: other stores never pull them.
            _ = try central.acting(as: "boss").sync.enroll(node: "s1", warehouses: [])
            _ = try central.acting(as: "boss").sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central).acting(as: "boss")
            _ = try s1.inventory.move(sku: "MUG-01", quantity: 1, reason: .receive)
            req.payReference = "WX-4200001"
            _ = try s1.orders.create(req)
            _ = try central.sync.acceptPush(
                from: try #require(NodeID("s1")), changes: try s1.read { try $0.ownChanges(after: 0, limit: 1000) })
            let toS2 = try central.read {
                try $0.changesForPull(node: try #require(NodeID("s2")), after: 0, limit: 100_000).changes
            }
            #expect(!toS2.contains { $0.kind == .payment })
            #expect(
                try central.acting(as: "boss").orders.list(matching: .init(store: "s1")).first?.payments.first?
                    .reference == "WX-4200001")
        }
    }
}
