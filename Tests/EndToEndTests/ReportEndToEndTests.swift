import Commerce
import FenxiaoTesting
import Foundation
import Node
import Storage
import SyncClient
import Testing

/// Orders with refunds and transfers at two stores, carried through sync with real processes
/// and libcurl, give a correct sales report at central.
@Suite struct ReportEndToEndTests {
    @Test func twoStoresRefundsAndTransfersReachACorrectCentralReport() async throws {
        try await withCentral("report") { central, dir in
            let tokens = try ["s1", "s2"].map { try central.sync.enroll(node: $0, warehouses: []) }
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            var stores: [FenxiaoNode] = []
            for (i, name) in ["s1", "s2"].enumerated() {
                let node = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
                try node.store.setMeta(["central_url": server.url, "token": tokens[i]])
                _ = try await SyncRunner(node: node, link: try SyncRunner.link(of: node)).run()
                stores.append(node)
            }
            let s1 = stores[0], s2 = stores[1]
            _ = try s1.inventory.move(sku: "MUG-01", quantity: 10, reason: .receive)
            _ = try s2.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let a = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], pay: .card))  // ¥90.00
            _ = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))  // ¥45.00
            let b = try s2.orders.create(OrderRequest(lines: [.line("TEA-01", 4)], pay: .qrpay))  // ¥50.00
            _ = try s1.orders.refund(order: a.id, amount: Money(cents: 2000), reason: "scratch", restock: false)
            _ = try s2.orders.refund(order: b.id, amount: nil, reason: "wrong tea", restock: true)
            let transfer = try s1.inventory.transfer(sku: "MUG-01", quantity: 3, from: nil, to: "s2")
            for node in [s1, s2, s1, s2] {
                _ = try await SyncRunner(node: node, link: try SyncRunner.link(of: node)).run()
            }
            _ = try s2.inventory.receiveTransfer(id: transfer.id, quantity: nil)
            for node in [s2, s1] { _ = try await SyncRunner(node: node, link: try SyncRunner.link(of: node)).run() }

            let report = try central.reports.sales(by: .all)
            let byStore = Dictionary(uniqueKeysWithValues: report.filter { $0.store != "*" }.map { ($0.store, $0) })
            #expect(report.last?.store == "*" && report.last?.net_cents == 11_500, "the total across stores comes last")
            #expect(byStore["s1"]?.orders == 2)
            #expect(byStore["s1"]?.revenue_cents == 13_500)
            #expect(byStore["s1"]?.refunds_cents == 2_000)
            #expect(byStore["s1"]?.net_cents == 11_500)
            #expect(byStore["s2"]?.orders == 1)
            #expect(byStore["s2"]?.net_cents == 0)
            let levels = try central.inventory.levels(sku: "MUG-01")
            let s1Left: Int64 = 10 - 3 - 3  // received, sold, shipped to s2
            #expect(levels.first { $0.warehouse == "s1" }?.on_hand == s1Left)
            #expect(levels.first { $0.warehouse == "s2" }?.on_hand == 3)
            #expect(
                try central.inventory.levels(sku: "TEA-01").first { $0.warehouse == "s2" }?.on_hand == 10, "restocked")
            for node in stores {
                #expect(
                    try node.sync.status().state_hash
                        == central.sync.status(scopeOf: node.identity.node.rawValue).state_hash)
            }
        }
    }
}
