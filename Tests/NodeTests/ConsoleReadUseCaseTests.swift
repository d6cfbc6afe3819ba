import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// The use cases the console added: an order's story from the change log, stock with
/// thresholds, and the one-click conflict fixes (here the refund of an order paid twice).
@Suite struct ConsoleReadUseCaseTests {
    static func relay(_ from: FenxiaoNode, to: FenxiaoNode) throws {
        _ = try to.store.applyRemote(try from.read { try $0.ownChanges(after: 0, limit: 100_000) })
    }

    @Test func anOrdersStoryHasItsChangesStepsRequestsAndNothingOfOtherOrders() throws {
        try withCentral("story") { central, _ in
            for sku in ["MUG-01", "TEA-01"] { _ = try central.inventory.move(sku: sku, quantity: 10, reason: .receive) }
            let other = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))
            let order = try central.orders.create(
                OrderRequest(lines: [.line("MUG-01", 2), .line("TEA-01", 1)], channel: .online))
            _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
            _ = try central.orders.transition(order: order.id, to: .shipped, carrier: "EMS", tracking: "E42")
            let request = try central.orders.requestRefund(
                order: order.id, amount: Money(cents: 100), reason: "late", restock: false)
            let story = try central.orders.story(order.id)
            #expect(story.order.id == order.id && story.order.tracking == "E42")
            #expect(story.steps.map(\.status) == ["pending", "paid", "shipped"])
            #expect(story.steps.last?.carrier == "EMS" && story.steps.last?.tracking == "E42")
            let kinds = Set(story.changes.map(\.kind))
            #expect(kinds.isSuperset(of: ["order", "order_line", "payment", "stock_move", "refund_request"]))
            #expect(story.changes.filter { $0.kind == "order_line" }.count == 2)
            #expect(story.changes.allSatisfy { $0.origin == "central" && $0.id.hasPrefix("central/") })
            #expect(story.changes.map(\.at_millis) == story.changes.map(\.at_millis).sorted())
            #expect(!story.changes.contains { $0.entity == other.id || $0.entity.hasPrefix("\(other.id)#") })
            #expect(story.refundRequests.map(\.id) == [request.id])
            #expect(story.conflicts.isEmpty)
            #expect(throws: NodeError.self) { try central.orders.story("O-nope") }
        }
    }

    @Test func stockListsEveryLevelWithItsThresholdAndSearchesBySKU() throws {
        try withCentral("stock") { central, _ in
            _ = try central.inventory.addCentralWarehouse("WH2", name: nil)
            _ = try central.inventory.move(sku: "MUG-01", quantity: 10, reason: .receive)
            _ = try central.inventory.move(sku: "MUG-01", quantity: 2, reason: .receive, warehouse: "WH2")
            _ = try central.inventory.move(sku: "TEA-01", quantity: 1, reason: .receive)
            _ = try central.inventory.setThreshold(sku: "MUG-01", quantity: 5, warehouse: nil)
            _ = try central.inventory.setThreshold(sku: "TEA-01", quantity: 3, warehouse: nil)
            _ = try central.inventory.setThreshold(sku: "MUG-01", quantity: 1, warehouse: "WH2")
            let all = try central.inventory.stock()
            #expect(all.map { "\($0.sku)@\($0.warehouse)" } == ["MUG-01@WH2", "MUG-01@central", "TEA-01@central"])
            let mugs = try central.inventory.stock(search: " mug ")
            #expect(mugs.count == 2)
            let atCentral = try #require(mugs.first { $0.warehouse == "central" })
            #expect(atCentral.threshold == 5 && !atCentral.low && atCentral.available == 10)
            #expect(mugs.first { $0.warehouse == "WH2" }?.threshold == 1)
            let tea = try #require(try central.inventory.stock(search: "TEA").first)
            #expect(tea.threshold == 3 && tea.low)
            #expect(try central.inventory.stock(search: "BUN").isEmpty)
            #expect(try central.inventory.stock(limit: 1).count == 1)
            #expect(throws: NodeError.self) { try central.inventory.stock(search: String(repeating: "x", count: 65)) }
        }
    }

    @Test func refundingAnOrderPaidTwiceGivesBackTheExcessAndResolvesTheConflict() throws {
        try withTempDirectory("paidtwice") { dir in
            let central = try Fixtures.central(in: dir)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            _ = try s1.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            let order = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], channel: .online))
            try Self.relay(s1, to: central)
            // Paid by card at head office and in cash at the store, both offline.
            _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
            _ = try s1.orders.transition(order: order.id, to: .paid, pay: .cash)
            try Self.relay(s1, to: central)
            let conflict = try #require(try central.sync.conflicts(status: .open).first { $0.rule == "paid_twice" })
            #expect(ConflictFix.offered(for: conflict.rule) == [.refund])
            #expect(throws: NodeError.self) { try central.sync.fix(conflict: conflict.id, with: .writeOff) }
            let fixed = try central.sync.fix(conflict: conflict.id, with: .refund, note: "customer called")
            #expect(fixed.status == "resolved")
            #expect(fixed.note == "refunded ¥45.00 of order \(order.id) to the customer — customer called")
            let after = try central.orders.find(order.id)
            #expect(after.paid_cents == 9000 && after.refunded_cents == 4500)
            #expect(try central.sync.conflicts(status: .open).isEmpty)
            #expect(throws: NodeError.self) { try central.sync.fix(conflict: conflict.id, with: .refund) }
            #expect(try central.orders.find(order.id).refunds.count == 1)
            #expect(try central.orders.story(order.id).conflicts.map(\.id) == [conflict.id])
        }
    }

    @Test func reallocatingOneDisplacedReservationLeavesTheOthersOpen() throws {
        try withTempDirectory("reallocate-one") { dir in
            let central = try Fixtures.central(in: dir)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.inventory.move(sku: "MUG-01", quantity: 20, reason: .receive)
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            _ = try s1.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            try Self.relay(s1, to: central)
            // Head office reserves s1's mugs for two online orders while s1 sells them all.
            for qty: Int64 in [2, 3] {
                _ = try central.orders.create(
                    OrderRequest(lines: [.line("MUG-01", qty)], channel: .online, warehouse: "s1"))
            }
            _ = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 5)], pay: .cash))
            try Self.relay(s1, to: central)
            let displaced = try central.sync.conflicts(status: .open).filter { $0.rule == "allocation_displaced" }
            try #require(displaced.count == 2)
            let fixed = try central.sync.fix(conflict: displaced[0].id, with: .reallocate)
            #expect(fixed.id == displaced[0].id && fixed.status == "resolved")
            #expect(fixed.note?.hasPrefix("re-allocated") == true && fixed.note?.hasSuffix("to central") == true)
            let open = try central.sync.conflicts(status: .open).filter { $0.rule == "allocation_displaced" }
            #expect(open.map(\.id) == [displaced[1].id])
            #expect(throws: NodeError.self) { try central.sync.fix(conflict: displaced[0].id, with: .reallocate) }
        }
    }
}
