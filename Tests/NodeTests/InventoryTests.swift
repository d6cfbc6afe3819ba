import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

@Suite struct InventoryTests {
    /// Central with s1 and s2 enrolled, and both stores holding central's changes.
    static func chain(_ dir: TempDirectory) throws -> (FenxiaoNode, FenxiaoNode, FenxiaoNode) {
        let central = try Fixtures.central(in: dir)
        _ = try central.sync.enroll(node: "s1", warehouses: [])
        _ = try central.sync.enroll(node: "s2", warehouses: [])
        return (
            central, try Fixtures.store("s1", in: dir, from: central), try Fixtures.store("s2", in: dir, from: central)
        )
    }

    /// Carries `from`'s own changes to `to` (as central would relay them).
    static func relay(_ from: FenxiaoNode, to: FenxiaoNode) throws {
        let changes = try from.read { try $0.ownChanges(after: 0, limit: 10_000) }
        _ = try to.store.applyRemote(changes)
    }

    @Test func transferShipsReceivesAndRecordsDiscrepancies() throws {
        try withTempDirectory("transfer") { dir in
            let (central, s1, s2) = try Self.chain(dir)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let t = try s1.inventory.transfer(sku: "TEA-01", quantity: 5, from: nil, to: "s2")
            #expect(t.status == "in_transit")
            #expect(try s1.inventory.levels(sku: "TEA-01").first?.on_hand == 5)
            try Self.relay(s1, to: central)
            try Self.relay(s1, to: s2)
            #expect(try s2.inventory.transfers(status: .inTransit).map(\.id) == [t.id])
            // s1 may not receive into s2's warehouse.
            #expect(throws: NodeError.self) { try s1.inventory.receiveTransfer(id: t.id, quantity: nil) }
            let received = try s2.inventory.receiveTransfer(id: t.id, quantity: 4)
            #expect(received.status == "received" && received.received_qty == 4)
            #expect(try s2.inventory.levels(sku: "TEA-01").first { $0.warehouse == "s2" }?.on_hand == 4)
            #expect(throws: NodeError.self) { try s2.inventory.receiveTransfer(id: t.id, quantity: nil) }
            try Self.relay(s2, to: central)
            let discrepancy = try #require(try central.sync.conflicts().first { $0.rule == "transfer_discrepancy" })
            #expect(discrepancy.amount == 1)
            #expect(discrepancy.subject == "transfer:\(t.id)")
        }
    }

    @Test(arguments: [(Int64(0), "s2"), (-3, "s2"), (5, "s1"), (5, "nowhere"), (50, "s2")])
    func badTransfersAreRefused(quantity: Int64, to: String) throws {
        try withTempDirectory("badtransfer") { dir in
            let (_, s1, _) = try Self.chain(dir)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let before = try s1.sync.status().state_hash
            #expect(throws: NodeError.self) {
                try s1.inventory.transfer(sku: "TEA-01", quantity: quantity, from: nil, to: to)
            }
            #expect(try s1.sync.status().state_hash == before)
        }
    }

    @Test func alertsIncludeWhatFellBelowOnlyAfterAMerge() throws {
        try withTempDirectory("alerts") { dir in
            let (central, s1, _) = try Self.chain(dir)
            _ = try central.inventory.setThreshold(sku: "TEA-01", quantity: 5, warehouse: nil)
            _ = try central.inventory.setThreshold(sku: "BUN-01", quantity: 2, warehouse: "s1")
            _ = try central.inventory.receive([("TEA-01", "s1", 8), ("BUN-01", "s1", 8)], note: "opening")
            #expect(try central.inventory.alerts().isEmpty)
            _ = try s1.store.applyRemote(try central.read { try $0.ownChanges(after: 0, limit: 10_000) })
            _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 4), .line("BUN-01", 3)], pay: .cash))
            try Self.relay(s1, to: central)
            let alerts = try central.inventory.alerts()
            #expect(alerts.map(\.sku) == ["TEA-01"])
            #expect(alerts.first?.available == 4 && alerts.first?.threshold == 5)
            #expect(throws: NodeError.self) {
                try s1.inventory.setThreshold(sku: "TEA-01", quantity: 1, warehouse: nil)
            }
        }
    }

    @Test func everyOrderStatusChangeWritesAnOutboxEvent() throws {
        try withCentral("outbox") { central, _ in
            _ = try central.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            let o = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], channel: .online))
            _ = try central.orders.transition(order: o.id, to: .paid, pay: .card)
            _ = try central.orders.transition(order: o.id, to: .shipped)
            _ = try central.orders.transition(order: o.id, to: .completed)
            let events = try central.read { try $0.outbox(subject: o.id) }
            #expect(events.map { $0.payload.contains("\"status\":\"completed\"") } == [false, false, false, true])
            #expect(events.count == 4)
            #expect(events.allSatisfy { $0.delivered_at == nil })
        }
    }
}

@Suite struct CentralWarehouseTests {
    @Test func centralRunsCloudWarehousesOfItsOwn() throws {
        try withCentral("cloud") { central, _ in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            #expect(try central.inventory.addCentralWarehouse("cloud1", name: "Hangzhou cloud") == "cloud1")
            #expect(throws: NodeError.self) { try central.inventory.addCentralWarehouse("s1", name: nil) }
            _ = try central.inventory.move(sku: "TEA-01", quantity: 30, reason: .receive, warehouse: "cloud1")
            _ = try central.inventory.transfer(sku: "TEA-01", quantity: 5, from: "cloud1", to: "s1")
            #expect(try central.inventory.levels(sku: "TEA-01").first { $0.warehouse == "cloud1" }?.on_hand == 25)
        }
    }
}
