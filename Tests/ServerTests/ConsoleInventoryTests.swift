import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// `/console/inventory` over HTTP on a real central: stock per SKU per warehouse with
/// thresholds and alerts (also on the dashboard), a SKU's history, transfers shipped and
/// received, thresholds set — each POST changing the node exactly as `fenxiao stock …` does,
/// and refusing bad input and forged forms with nothing changed.
@Suite struct ConsoleInventoryTests {
    /// ConsoleShop (MUG-01: 100 received at central, 4 sold), a cloud warehouse WH2, TEA-01
    /// with 3 on hand below its threshold 10; boss signed in.
    func withInventory(_ body: @Sendable (ConsoleBrowser, FenxiaoNode) async throws -> Void) async throws {
        let dir = TempDirectory("console-inventory")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let boss = central.acting(as: "boss")
        _ = try boss.inventory.addCentralWarehouse("WH2", name: "Cloud")
        _ = try boss.inventory.move(sku: "TEA-01", quantity: 3, reason: .receive)
        _ = try boss.inventory.setThreshold(sku: "TEA-01", quantity: 10, warehouse: nil)
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            try await body(browser, boss)
        }
    }

    func level(_ node: FenxiaoNode, _ sku: String, _ warehouse: String) throws -> StockLevelView? {
        try node.inventory.levels(sku: sku).first { $0.warehouse == warehouse }
    }

    @Test func theStockPageShowsLevelsThresholdsAndAlertsInChineseAndTheDashboardCountsThem() async throws {
        try await withInventory { browser, central in
            let page = try await browser.get("/console/inventory")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>库存</h1>") && page.body.contains("低库存预警"))
            #expect(page.body.contains("在库") && page.body.contains("已预留") && page.body.contains("可用"))
            // MUG-01 at central: 100 received, 4 sold.
            let mug = try #require(try level(central, "MUG-01", "central"))
            #expect(mug.on_hand == 96)
            #expect(
                page.body.contains(
                    #"data-sku="MUG-01" data-warehouse="central"><th><a href="/console/inventory/history?sku=MUG-01">MUG-01</a></th><td data-label="仓库">central</td><td class="num" data-label="在库">96</td>"#
                ))
            // TEA-01 is below its threshold: an alert row and a red stock row.
            #expect(try central.inventory.alerts().map(\.sku) == ["TEA-01"])
            #expect(page.body.contains(#"<tr class="low" data-sku="TEA-01" data-warehouse="central">"#))
            // Search by SKU (ignoring case).
            let tea = try await browser.get("/console/inventory?sku=tea")
            #expect(tea.body.contains(#"data-sku="TEA-01" data-warehouse="central""#))
            #expect(!tea.body.contains(#"data-sku="MUG-01""#))
            // The dashboard's low-stock panel links to the list.
            let dashboard = try await browser.get("/console")
            #expect(dashboard.body.contains(#"<a href="/console/inventory#alerts">低库存预警</a> <b class="count">1</b>"#))
            #expect(dashboard.body.contains("TEA-01 · central"))
            // English on request.
            #expect(try await browser.get("/console/inventory?lang=en").body.contains("Low-stock alerts"))
        }
    }

    @Test func aTransferShipsAndIsReceivedAsTheCLIDoesAndIsHighlightedWhileInTransit() async throws {
        try await withInventory { browser, central in
            let csrf = try await browser.csrf("/console/inventory")
            let shipped = try await browser.post(
                "/console/inventory/transfer",
                [("csrf", csrf), ("sku", "MUG-01"), ("qty", "5"), ("from", "central"), ("to", "WH2")])
            #expect(shipped.status == .seeOther)
            #expect(shipped.location == "/console/inventory#transfers")
            let transfer = try #require(try central.inventory.transfers(status: .inTransit).first)
            #expect(transfer.sku == "MUG-01" && transfer.qty == 5 && transfer.from == "central" && transfer.to == "WH2")
            #expect(try level(central, "MUG-01", "central")?.on_hand == 91)
            let page = try await browser.get("/console/inventory")
            #expect(page.body.contains(#"<tr id="transfer-\#(transfer.id)" class="transit">"#))
            #expect(page.body.contains("在途"))
            #expect(try central.access.auditLog(user: "boss").contains { $0.action == "stock.transfer" })
            // 4 of 5 arrive: received with the difference kept as a discrepancy, as `receive-transfer --qty 4`.
            let received = try await browser.post(
                "/console/inventory/transfers/\(transfer.id)/receive", [("csrf", csrf), ("qty", "4")])
            #expect(received.status == .seeOther)
            let after = try #require(try central.inventory.transfers().first { $0.id == transfer.id })
            #expect(after.status == "received" && after.received_qty == 4)
            #expect(try level(central, "MUG-01", "WH2")?.on_hand == 4)
            #expect(try central.sync.conflicts().contains { $0.rule == "transfer_discrepancy" })
            #expect(!(try await browser.get("/console/inventory")).body.contains("class=\"transit\""))
            // Receiving it again is the use case's refusal, nothing changes.
            let again = try await browser.post(
                "/console/inventory/transfers/\(transfer.id)/receive", [("csrf", csrf), ("qty", "1")])
            #expect(again.status == .conflict)
            #expect(try level(central, "MUG-01", "WH2")?.on_hand == 4)
        }
    }

    @Test func aThresholdIsSetAndASKUsHistoryListsItsMovements() async throws {
        try await withInventory { browser, central in
            let csrf = try await browser.csrf("/console/inventory")
            let set = try await browser.post(
                "/console/inventory/threshold",
                [("csrf", csrf), ("sku", "MUG-01"), ("qty", "200"), ("warehouse", "central")])
            #expect(set.status == .seeOther)
            #expect(set.location == "/console/inventory?sku=MUG-01")
            #expect(try central.inventory.alerts().contains { $0.sku == "MUG-01" && $0.threshold == 200 })
            let page = try await browser.get("/console/inventory?sku=MUG-01")
            #expect(page.body.contains(#"<tr class="low" data-sku="MUG-01" data-warehouse="central">"#))
            let history = try await browser.get("/console/inventory/history?sku=MUG-01")
            #expect(history.status == .ok)
            #expect(history.body.contains("出入库记录") && history.body.contains("入库") && history.body.contains("销售"))
            #expect(history.body.contains("+100") && history.body.contains("-4"))
            let sale = try #require(try central.inventory.history(sku: "MUG-01").first { $0.reason == "sale" })
            #expect(history.body.contains(#"<a href="/console/orders/\#(sale.ref ?? "")">"#))
            #expect(try await browser.get("/console/inventory/history?sku=NOPE-99").status == .notFound)
        }
    }

    @Test func theStockCSVHasABOMAndTheSearchedRows() async throws {
        try await withInventory { browser, _ in
            let csv = try await browser.get("/console/inventory.csv?sku=MUG")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("\u{FEFF}sku,warehouse,on_hand,reserved,available,threshold,low\r\n"))
            #expect(csv.body.contains("MUG-01,central,96,0,96,,\r\n"))
            #expect(!csv.body.contains("TEA-01"))
            let all = try await browser.get("/console/inventory.csv")
            #expect(all.body.contains("TEA-01,central,3,0,3,10,yes\r\n"))
        }
    }

    @Test func badInputAndMissingCSRFAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await withInventory { browser, central in
            let csrf = try await browser.csrf("/console/inventory")
            let before = try #require(try level(central, "MUG-01", "central"))
            let cases: [([(String, String)], String)] = [
                ([("sku", "MUG-01"), ("qty", "-1"), ("to", "WH2")], "quantity"),
                ([("sku", "MUG-01"), ("qty", "99999999999999999999999"), ("to", "WH2")], "quantity"),
                ([("sku", "MUG-01"), ("qty", "2000000"), ("to", "WH2")], "quantity"),
                ([("sku", String(repeating: "M", count: 65)), ("qty", "1"), ("to", "WH2")], "sku"),
                ([("sku", "MUG-01"), ("qty", "1")], "to"),
            ]
            for (fields, field) in cases {
                let answer = try await browser.post("/console/inventory/transfer", [("csrf", csrf)] + fields)
                #expect(answer.status == .badRequest, "\(fields)")
                #expect(answer.body.contains(field), "\(fields)")
            }
            // In the page's language, the field by its form name.
            let chinese = try await browser.post(
                "/console/inventory/transfer", [("csrf", csrf), ("sku", "MUG-01"), ("qty", "0"), ("to", "WH2")])
            #expect(chinese.body.contains("quantity 必须是 1 到 1000000 之间的整数"))
            let threshold = try await browser.post(
                "/console/inventory/threshold", [("csrf", csrf), ("sku", "MUG-01"), ("qty", "-3")])
            #expect(threshold.status == .badRequest && threshold.body.contains("threshold"))
            let unknown = try await browser.post(
                "/console/inventory/transfers/TR-nope/receive", [("csrf", csrf), ("qty", "1")])
            #expect(unknown.status == .notFound)
            let forged = try await browser.post(
                "/console/inventory/transfer", [("sku", "MUG-01"), ("qty", "1"), ("to", "WH2")])
            #expect(forged.status == .forbidden)
            #expect(try central.inventory.transfers().isEmpty)
            #expect(try level(central, "MUG-01", "central") == before)
            #expect(try central.inventory.alerts().map(\.sku) == ["TEA-01"])
        }
    }
}
