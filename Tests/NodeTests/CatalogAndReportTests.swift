import Commerce
import FenxiaoTesting
import Foundation
import Storage
import Testing

@testable import Node

@Suite struct CatalogAndReportTests {
    @Test(arguments: [
        (Int64(1_795_651_200_000), "2026-W48"),  // Thu 2026-11-26 08:00 CST
        (1_609_459_200_000, "2020-W53"),  // Fri 2021-01-01 08:00 CST
        (1_735_516_800_000, "2025-W01"),  // Mon 2024-12-30 08:00 CST
        (1_735_487_999_000, "2024-W52"),  // Sun 2024-12-29 23:59:59 CST
    ])
    func isoWeeksUseShanghaiDays(millis: Int64, week: String) {
        #expect(NodeCalendar.isoWeek(millis) == week)
    }

    @Test func scheduledPricesApplyFromTheirInstantEvenWhenLearnedLate() throws {
        try withCentral("sched") { central, dir in
            let now = central.store.wallNow()
            let later = now + 3_600_000
            let v = try central.catalog.setPrice(sku: "TEA-01", price: Money(cents: 990), effectiveAt: later)
            #expect(v.price_cents == 1250, "not in effect yet")
            // A store that learns of the change only after it took effect charges the new price.
            _ = try Fixtures.store("s1", in: dir, from: central)
            let tomorrow = FenxiaoNode(
                store: try NodeStore.open(directory: dir.sub("s1"), wallClock: { later + 60_000 }))
            _ = try tomorrow.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            let order = try tomorrow.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash))
            #expect(order.total_cents == 1980)
        }
    }

    @Test func weeklyAndTopSellerReports() throws {
        try withCentral("reports") { central, _ in
            _ = try central.inventory.receive([("TEA-01", "central", 20), ("MUG-01", "central", 5)], note: "x")
            _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 4)], pay: .cash))
            _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 1), .line("TEA-01", 1)], pay: .card))
            let weeks = try central.reports.sales(by: .week)
            #expect(weeks.count == 1)
            #expect(weeks.first?.orders == 2)
            let revenue: Int64 = 5000 + 4500 + 1250
            #expect(weeks.first.map(\.revenue_cents) == revenue)
            let top = try central.reports.topSellers(by: .sku)
            #expect(top.map(\.key) == ["TEA-01", "MUG-01"])
            #expect(top.first?.units == 5)
            #expect(try central.reports.topSellers(by: .category).first?.key == "Drinks/Tea")
        }
    }
}

@Suite struct SpecTests {
    @Test func specsExpandIntoSKUsAndCategoriesCanBeRetired() throws {
        try withCentral("specs") { central, _ in
            let skus = try central.catalog.addProductWithSpecs(
                product: "TSHIRT", name: "T-shirt", price: Money(cents: 5900), category: "Apparel/Tops", brand: "Fx",
                specs: ["size": ["S", "M", "L"], "colour": ["red", "blue"]])
            #expect(skus.count == 6)
            #expect(skus.map(\.sku).contains("TSHIRT-red-M"))
            #expect(skus.allSatisfy { $0.product == "TSHIRT" && $0.price_cents == 5900 })
            #expect(throws: NodeError.self) {
                try central.catalog.addProductWithSpecs(
                    product: "X", name: "x", price: Money(cents: 100), category: nil, brand: nil, specs: ["size": []])
            }
            let retired = try central.catalog.editCategory(path: "Apparel/Tops", rename: "上衣", retire: true)
            #expect(retired.retired == true && retired.name == "上衣")
            #expect(throws: NodeError.self) {
                try central.catalog.editCategory(path: "Nope", rename: "x", retire: false)
            }
            let moved = try central.catalog.editCategory(
                path: "Apparel/Tops", rename: nil, retire: false, parent: "Drinks")
            #expect(moved.parent == "Drinks" && moved.name == "上衣")
            #expect(throws: NodeError.self) {
                try central.catalog.editCategory(path: "Drinks", rename: nil, retire: false, parent: "Drinks/Tea")
            }
            // Media are references, never blobs.
            _ = try central.catalog.upsert([
                CatalogItem(
                    sku: "CUP-9", name: "Cup", price: Money(cents: 900), description: "Celadon",
                    images: ["https://img.example/cup.jpg"],
                    video: "media/cup.mp4", weight_grams: 180)
            ])
            #expect(
                try central.read { try $0.register(.product, "CUP-9") }?["images"]
                    == .array(["https://img.example/cup.jpg"]))
            #expect(throws: NodeError.self) {
                try central.catalog.upsert([
                    CatalogItem(
                        sku: "CUP-8", name: "Cup", price: Money(cents: 900), images: ["data:image/png;base64,AAAA"])
                ])
            }
        }
    }
}

@Suite struct ShelfAndTimeZoneTests {
    @Test func productsGoOffTheShelfWithAllTheirSKUs() throws {
        try withCentral("shelf") { central, _ in
            _ = try central.catalog.addProductWithSpecs(
                product: "CAP", name: "Cap", price: Money(cents: 2000), category: nil, brand: nil,
                specs: ["size": ["S", "M"]])
            _ = try central.inventory.receive([("CAP-S", "central", 3)], note: "x")
            let off = try central.catalog.setProductOnShelf(product: "CAP", false)
            #expect(off.count == 2 && off.allSatisfy { !$0.on_shelf })
            #expect(throws: NodeError.self) {
                try central.orders.create(OrderRequest(lines: [.line("CAP-S", 1)], pay: .cash))
            }
        }
    }

    @Test func reportDaysFollowTheConfiguredOffset() throws {
        try withTempDirectory("tz") { dir in
            _ = try Fixtures.central(in: dir)
            // 2026-11-26 15:30 UTC: 23:30 in Shanghai (+08:00), already the 27th at +09:00.
            let late: Int64 = 1_795_707_000_000
            let node = FenxiaoNode(store: try NodeStore.open(directory: dir.sub("central"), wallClock: { late }))
            _ = try node.inventory.move(sku: "TEA-01", quantity: 2, reason: .receive)
            _ = try node.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
            #expect(try node.reports.sales(by: .day).first?.period == "2026-11-26")
            try node.store.setMeta(["utc_offset_minutes": "540"])
            #expect(try node.reports.sales(by: .day).first?.period == "2026-11-27")
        }
    }
}
