import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

@Suite struct OrderUseCaseTests {
    @Test func threeLineOrderCommitsWithItsChangesInOneTransaction() throws {
        try withCentral("order") { central, dir in
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            for sku in ["TEA-01", "BUN-01", "MUG-01"] {
                _ = try s1.inventory.move(sku: sku, quantity: 10, reason: .receive)
            }
            let before = try s1.read { try $0.ownChangeCount(after: 0) }
            let order = try s1.orders.create(
                OrderRequest(lines: [.line("TEA-01", 2), .line("BUN-01", 3), .line("MUG-01", 1)], pay: .card))
            let after = try s1.read { try $0.ownChangeCount(after: 0) }
            // 1 order + 3 lines + 3 stock moves + 1 payment.
            #expect(after - before == 8)
            #expect(order.lines.count == 3)
            #expect(order.status == "completed")
            #expect(order.total_cents == 2 * 1250 + 3 * 350 + 4500)
            #expect(try s1.inventory.levels(sku: "BUN-01").first?.on_hand == 7)
            #expect(try s1.read { try $0.consistencyProblems() } == [])
        }
    }

    @Test(
        arguments: [
            ([.line("NOPE-1", 1)], PaymentMethod.cash, NodeError.Code.notFound),
            ([.line("TEA-01", 0)], .cash, .invalidInput),
            ([.line("TEA-01", -2)], .cash, .invalidInput),
            ([.line("TEA-01", 10_000)], .cash, .invalidInput),
            ([.line("TEA 01", 1)], .cash, .invalidInput),
            ([.line("", 1)], .cash, .invalidInput),
            ([.line("TEA-01", 99)], .cash, .conflict),
            ([LineRequest](), .cash, .invalidInput),
        ] as [([LineRequest], PaymentMethod, NodeError.Code)])
    func badOrdersAreRefusedAndWriteNothing(lines: [LineRequest], pay: PaymentMethod, code: NodeError.Code) throws {
        try withCentral("bad") { central, dir in
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            let hash = try s1.sync.status().state_hash
            let held = try s1.read { try $0.changeCount() }
            do {
                _ = try s1.orders.create(OrderRequest(lines: lines, pay: pay))
                Issue.record("order \(lines) was accepted")
            } catch let error as NodeError {
                #expect(error.code == code)
                #expect(!error.message.isEmpty)
            }
            #expect(try s1.sync.status().state_hash == hash)
            #expect(try s1.read { try $0.changeCount() } == held)
        }
    }

    @Test func catalogIsCentralsJobAndPricesAreNotNegative() throws {
        try withCentral("cat") { central, dir in
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            #expect(throws: NodeError.self) {
                try s1.catalog.upsert([CatalogItem(sku: "X-1", name: "x", price: Money(cents: 100))])
            }
            do {
                try central.catalog.upsert([CatalogItem(sku: "X-1", name: "x", price: Money(cents: -1))])
                Issue.record("accepted a negative price")
            } catch let error as NodeError {
                #expect(error.code == .invalidInput)
            }
            // All or nothing: the second row is bad, so the first is not written either.
            do {
                try central.catalog.upsert([
                    CatalogItem(sku: "OK-1", name: "ok", price: Money(cents: 100)),
                    CatalogItem(sku: "BAD 2", name: "bad", price: Money(cents: 100)),
                ])
                Issue.record("accepted a bad row")
            } catch let error as NodeError {
                #expect(error.message.contains("row 2"))
            }
            #expect(try central.catalog.list().contains { $0.sku == "OK-1" } == false)
        }
    }

    @Test func illegalTransitionsNameTheCurrentState() throws {
        try withCentral("trans") { central, _ in
            _ = try central.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            let online = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], channel: .online))
            #expect(online.status == "pending")
            #expect(try central.inventory.levels(sku: "TEA-01").first?.reserved == 2)
            let paid = try central.orders.transition(order: online.id, to: .paid, pay: .qrpay)
            #expect(paid.paid_cents == paid.total_cents)
            do {
                _ = try central.orders.transition(order: online.id, to: .cancelled)
                Issue.record("cancelled a paid order")
            } catch let error as NodeError {
                #expect(error.message.contains("is paid"))
            }
            let shipped = try central.orders.transition(
                order: online.id, to: .shipped, carrier: "SF Express", tracking: "SF1234567890")
            #expect(shipped.carrier == "SF Express" && shipped.tracking == "SF1234567890")
            let level = try #require(try central.inventory.levels(sku: "TEA-01").first)
            #expect(level.on_hand == 3 && level.reserved == 0)
        }
    }

    @Test func refundsNeverExceedWhatWasPaid() throws {
        try withCentral("refund") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            let order = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))
            _ = try central.orders.refund(order: order.id, amount: Money(cents: 4000), reason: nil, restock: false)
            #expect(throws: NodeError.self) {
                try central.orders.refund(order: order.id, amount: Money(cents: 501), reason: nil, restock: false)
            }
            let done = try central.orders.refund(
                order: order.id, amount: Money(cents: 500), reason: nil, restock: false)
            #expect(done.refunded_cents == 4500)
            #expect(done.status == "refunded")
            #expect(throws: NodeError.self) {
                try central.orders.refund(order: order.id, amount: nil, reason: nil, restock: false)
            }
        }
    }

    @Test func singleUseCouponIsRefusedAtTheCounterTheSecondTime() throws {
        try withCentral("coupon") { central, _ in
            _ = try central.marketing.defineCoupon(
                code: "SAVE5", amount: Money(cents: 500), minSpend: Money(cents: 2_000), singleUse: true)
            _ = try central.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            #expect(throws: NodeError.self) {
                try central.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], coupon: "SAVE5", pay: .cash))
            }
            let o = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], coupon: "SAVE5", pay: .cash))
            #expect(o.total_cents == 4000)
            #expect(throws: NodeError.self) {
                try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], coupon: "SAVE5", pay: .cash))
            }
        }
    }
}

@Suite struct StoredValueTests {
    @Test func storedValuePaysAndRefundsToTheBalance() throws {
        try withCentral("stored") { central, _ in
            _ = try central.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.ledger(member: "M1", account: .wallet, delta: 5000, reason: "topup")
            #expect(throws: NodeError.self) {
                try central.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: "M1", pay: .stored))
            }
            #expect(throws: NodeError.self) {
                try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .stored))
            }
            let o = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .stored))
            #expect(try central.members.find("M1").wallet_cents == 500)
            _ = try central.orders.refund(order: o.id, amount: Money(cents: 2000), reason: nil, restock: false)
            #expect(try central.members.find("M1").wallet_cents == 2500)
        }
    }
}

@Suite struct LineRefundTests {
    @Test func returnedLinesRefundWhatWasPaidForThemAndGoBackToTheChosenWarehouse() throws {
        try withCentral("lines") { central, _ in
            _ = try central.sync.enroll(node: "s9", warehouses: [])
            _ = try central.inventory.receive([("MUG-01", "central", 5), ("BUN-01", "central", 5)], note: "x")
            _ = try central.marketing.defineCoupon(
                code: "C5", amount: Money(cents: 500), minSpend: nil, singleUse: false)
            let o = try central.orders.create(
                OrderRequest(lines: [.line("MUG-01", 2), .line("BUN-01", 2)], coupon: "C5", pay: .card))
            #expect(o.total_cents == 9700 - 500)
            let mug = try #require(o.lines.first { $0.sku == "MUG-01" })
            let expected = (mug.amount_cents + 1) / 2  // one of two mugs, at its share of the coupon
            let after = try central.orders.refund(
                order: o.id, amount: nil, reason: "chipped", restock: true, lines: [.line(1, 1)], toWarehouse: "s9")
            #expect(after.refunded_cents == expected)
            #expect(try central.inventory.levels(sku: "MUG-01").first { $0.warehouse == "s9" }?.on_hand == 1)
            #expect(throws: NodeError.self) {
                try central.orders.refund(order: o.id, amount: nil, reason: nil, restock: false, lines: [.line(9, 1)])
            }
            #expect(throws: NodeError.self) {
                try central.orders.refund(order: o.id, amount: nil, reason: nil, restock: false, lines: [.line(1, 3)])
            }
        }
    }
}

@Suite struct PartialShipmentTests {
    @Test func partialShipmentsLeaveTheRestReservedUntilTheLastParcel() throws {
        try withCentral("ship") { central, _ in
            _ = try central.inventory.receive([("TEA-01", "central", 10), ("MUG-01", "central", 10)], note: "x")
            let o = try central.orders.create(
                OrderRequest(lines: [.line("TEA-01", 3), .line("MUG-01", 1)], channel: .online))
            _ = try central.orders.transition(order: o.id, to: .paid, pay: .card)
            let first = try central.orders.shipLines(
                order: o.id, lines: [ShipmentLine(line: 1, quantity: 2)], carrier: "SF", tracking: "P1")
            #expect(first.status == "paid")
            let tea = try #require(try central.inventory.levels(sku: "TEA-01").first)
            #expect(tea.on_hand == 8 && tea.reserved == 1)
            #expect(throws: NodeError.self) {
                try central.orders.shipLines(
                    order: o.id, lines: [ShipmentLine(line: 1, quantity: 2)], carrier: nil, tracking: nil)
            }
            let last = try central.orders.shipLines(
                order: o.id, lines: [ShipmentLine(line: 1, quantity: 1), ShipmentLine(line: 2, quantity: 1)],
                carrier: "SF", tracking: "P2")
            #expect(last.status == "shipped" && last.tracking == "P2")
            #expect(try central.inventory.levels(sku: "TEA-01").first?.reserved == 0)
            #expect(try central.inventory.levels(sku: "MUG-01").first?.on_hand == 9)
        }
    }
}
