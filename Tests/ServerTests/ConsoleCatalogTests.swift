import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Testing

/// The console's products, prices, shelf, images and categories over HTTP on a real central
/// (ConsoleShop: TEA-01 ¥12.50 in Drinks/Tea, BUN-01, MUG-01 with 96 on hand): pages in
/// Chinese with the node's data, each form changing exactly what the CLI's use case changes,
/// CSRF, the permission matrix, and bad input refused with the field named and nothing changed.
@Suite struct ConsoleCatalogTests {
    func withConsole(_ body: @Sendable (ConsoleBrowser, FenxiaoNode) async throws -> Void) async throws {
        let dir = TempDirectory("console-catalog")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            _ = try await browser.logIn("hana", "hana-pass-1")  // hq_staff: manage_catalog, change_prices, marketing
            try await body(browser, central)
        }
    }

    func sku(_ central: FenxiaoNode, _ code: String) throws -> SKUView? {
        try central.catalog.list().first { $0.sku == code }
    }

    @Test func theProductListShowsTheCatalogInChineseSearchesFiltersAndExportsCSV() async throws {
        try await withConsole { browser, _ in
            let page = try await browser.get("/console/products")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>商品</h1>"))
            #expect(page.body.contains(#"data-product="TEA-01""#) && page.body.contains("Green tea"))
            #expect(page.body.contains("¥12.50") && page.body.contains("Drinks/Tea"))
            // MUG-01: 100 received, 4 sold.
            let mug = try #require(page.body.range(of: #"data-product="MUG-01""#))
            #expect(
                page.body[mug.upperBound...].prefix(600).contains(#"<td class="num" data-label="库存（全部仓库）">96</td>"#))
            let found = try await browser.get("/console/products?q=mug")
            #expect(found.body.contains(#"data-product="MUG-01""#) && !found.body.contains(#"data-product="TEA-01""#))
            let drinks = try await browser.get("/console/products?category=Drinks")
            #expect(drinks.body.contains(#"data-product="TEA-01""#) && !drinks.body.contains(#"data-product="BUN-01""#))
            let csv = try await browser.get("/console/products.csv?q=&category=Drinks")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("\u{FEFF}product,product_name,category,sku,sku_name,specs,barcode,price,"))
            #expect(csv.body.contains("\r\nTEA-01,Green tea,Drinks/Tea,TEA-01,Green tea,,,12.50,yes,0,\r\n"))
            #expect(!csv.body.contains("BUN-01"))
            #expect(try await browser.get("/console/products?lang=en").body.contains("Stock (all warehouses)"))
        }
    }

    @Test func aPriceChangesNowOrFromAScheduledTimeAsSetPriceDoes() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/product?id=TEA-01")
            let now = try await browser.post(
                "/console/product/price",
                [("csrf", csrf), ("product", "TEA-01"), ("sku", "TEA-01"), ("price", "13.80")])
            #expect(now.status == .seeOther)
            #expect(now.location == "/console/product?id=TEA-01")
            #expect(try sku(central, "TEA-01")?.price_cents == 1380)
            #expect(
                try central.acting(as: "boss").access.auditLog(user: "hana").contains {
                    $0.action == "catalog.price" && $0.subject == "TEA-01"
                })
            // From 2099-01-01 09:00 in head office's time zone (+08:00 by default).
            let later = try await browser.post(
                "/console/product/price",
                [("csrf", csrf), ("product", "TEA-01"), ("sku", "TEA-01"), ("price", "15"), ("at", "2099-01-01T09:00")])
            #expect(later.status == .seeOther)
            let at: Int64 = 4_070_941_200_000 - 8 * 3_600_000  // 2099-01-01T09:00:00Z, less 8 hours
            let product = try central.catalog.product("TEA-01")
            #expect(product.skus.first?.price_cents == 1380)
            #expect(product.skus.first?.scheduled == [ScheduledPrice(at: at, price_cents: 1500)])
            let page = try await browser.get("/console/product?id=TEA-01")
            #expect(page.body.contains("2099-01-01 09:00 → ¥15.00"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("img-src 'self' https: data:") == true)
        }
    }

    @Test func shelfImagesAndANewProductWithSpecsChangeWhatTheCLIWould() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/product?id=TEA-01")
            _ = try await browser.post(
                "/console/product/shelf", [("csrf", csrf), ("product", "TEA-01"), ("sku", "TEA-01"), ("on", "0")])
            #expect(try sku(central, "TEA-01")?.on_shelf == false)
            #expect(
                try await browser.get("/console/products").body.contains(
                    #"<tr class="product off" data-product="TEA-01">"#))
            _ = try await browser.post("/console/product/shelf", [("csrf", csrf), ("product", "TEA-01"), ("on", "1")])
            #expect(try sku(central, "TEA-01")?.on_shelf == true)
            // Images: an HTTPS one is shown as a picture; a plain-HTTP one only as a link.
            let images = try await browser.post(
                "/console/product/images",
                [
                    ("csrf", csrf), ("product", "TEA-01"),
                    ("images", "https://img.example.com/tea.png\r\nhttp://old.example.com/tea.jpg"),
                ])
            #expect(images.status == .seeOther)
            #expect(
                try central.catalog.product("TEA-01").images == [
                    "https://img.example.com/tea.png", "http://old.example.com/tea.jpg",
                ])
            let page = try await browser.get("/console/product?id=TEA-01")
            #expect(page.body.contains(#"<img src="https://img.example.com/tea.png""#))
            #expect(!page.body.contains(#"<img src="http://old.example.com"#))
            #expect(page.body.contains(#"<a href="http://old.example.com/tea.jpg""#))
            // A reference the CLI stored that is no web address is shown as text, never a link.
            _ = try central.acting(as: "boss").catalog.setImages(product: "BUN-01", images: ["javascript:alert(1)"])
            let bun = try await browser.get("/console/product?id=BUN-01")
            #expect(!bun.body.contains(#"href="javascript:"#) && bun.body.contains("<span>javascript:alert(1)</span>"))
            // A product with specs: one SKU per combination, as `catalog add-product --spec`.
            let added = try await browser.post(
                "/console/products",
                [
                    ("csrf", csrf), ("sku", "TSHIRT"), ("name", "T恤"), ("price", "59"), ("category", "Clothes"),
                    ("specs", "size=S,M\ncolour=red"),
                ])
            #expect(added.location == "/console/product?id=TSHIRT")
            let shirt = try central.catalog.product("TSHIRT")
            #expect(shirt.skus.map(\.sku) == ["TSHIRT-red-M", "TSHIRT-red-S"])
            #expect(shirt.skus.allSatisfy { $0.price_cents == 5900 && $0.on_shelf })
            #expect(shirt.category == "Clothes")
            #expect(shirt.name == "T恤", "the product is named without a combination's specs")
            let shirtPage = try await browser.get("/console/product?id=TSHIRT")
            #expect(shirtPage.body.contains("colour: red · size: M"))
        }
    }

    @Test func categoriesAreAddedRenamedMovedAndRetired() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/categories")
            let tree = try await browser.get("/console/categories")
            #expect(tree.status == .ok && tree.body.contains(#"data-path="Drinks/Tea""#))
            _ = try await browser.post("/console/categories", [("csrf", csrf), ("path", "Drinks/Coffee")])
            #expect(try central.catalog.categories().contains { $0.path == "Drinks/Coffee" && $0.parent == "Drinks" })
            _ = try await browser.post(
                "/console/categories/edit", [("csrf", csrf), ("path", "Drinks/Tea"), ("rename", "茶")])
            _ = try await browser.post(
                "/console/categories/edit", [("csrf", csrf), ("path", "Drinks/Coffee"), ("parent", "Food")])
            _ = try await browser.post(
                "/console/categories/edit", [("csrf", csrf), ("path", "Food/Buns"), ("retire", "1")])
            let cats = try central.catalog.categories()
            #expect(cats.first { $0.path == "Drinks/Tea" }?.name == "茶")
            #expect(cats.first { $0.path == "Drinks/Coffee" }?.parent == "Food")
            #expect(cats.first { $0.path == "Food/Buns" }?.retired == true)
            #expect(cats.first { $0.path == "Drinks" }?.products == 1, "TEA-01, in Drinks/Tea, counts in Drinks")
            let again = try await browser.post("/console/categories", [("csrf", csrf), ("path", "Drinks/Coffee")])
            #expect(again.status == .conflict && again.body.contains("分类 Drinks/Coffee 已存在；请改名或移动它"))
            let loop = try await browser.post(
                "/console/categories/edit", [("csrf", csrf), ("path", "Drinks"), ("parent", "Drinks/Coffee")])
            #expect(loop.status == .badRequest)
            let nothing = try await browser.post("/console/categories/edit", [("csrf", csrf), ("path", "Food")])
            #expect(nothing.status == .badRequest && nothing.body.contains("新名称（rename）"))
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndChangesNothing() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/product?id=TEA-01")
            for price in ["", "-1", "12.345", "99999999999", "1e5", "abc", "10000000.01"] {
                let answer = try await browser.post(
                    "/console/product/price",
                    [("csrf", csrf), ("product", "TEA-01"), ("sku", "TEA-01"), ("price", price)])
                #expect(answer.status == .badRequest, "\(price)")
                #expect(answer.body.contains("价格（price）"), "\(price)")
            }
            let badTime = try await browser.post(
                "/console/product/price",
                [("csrf", csrf), ("product", "TEA-01"), ("sku", "TEA-01"), ("price", "1"), ("at", "2026-02-30T09:00")])
            #expect(badTime.status == .badRequest && badTime.body.contains("生效时间（at）"))
            let unknown = try await browser.post(
                "/console/product/price", [("csrf", csrf), ("product", "NOPE"), ("sku", "NOPE"), ("price", "1")])
            #expect(unknown.status == .notFound && unknown.body.contains("商品目录中没有 NOPE"))
            #expect(try await browser.get("/console/product?id=NOPE").status == .notFound)
            let hostileImage = try await browser.post(
                "/console/product/images", [("csrf", csrf), ("product", "TEA-01"), ("images", "javascript:alert(1)")])
            #expect(hostileImage.status == .badRequest && hostileImage.body.contains("图片网址（images）"))
            let badSpec = try await browser.post(
                "/console/products", [("csrf", csrf), ("sku", "X1"), ("name", "x"), ("price", "1"), ("specs", "size")])
            #expect(badSpec.status == .badRequest && badSpec.body.contains("规格"))
            let badCode = try await browser.post(
                "/console/products", [("csrf", csrf), ("sku", "a b"), ("name", "x"), ("price", "1")])
            #expect(badCode.status == .badRequest && badCode.body.contains("商品编码（sku）"))
            let longName = try await browser.post(
                "/console/products",
                [("csrf", csrf), ("sku", "X2"), ("name", String(repeating: "名", count: 100)), ("price", "1")])
            #expect(longName.status == .badRequest && longName.body.contains("名称（name）"))
            let product = try central.catalog.product("TEA-01")
            #expect(product.skus.first?.price_cents == 1250 && product.skus.first?.scheduled == [])
            #expect(product.images == [])
            #expect(try central.catalog.list().map(\.sku).sorted() == ["BUN-01", "MUG-01", "TEA-01"])
        }
    }

    /// Every catalog route: GETs and POSTs with a valid form.
    static let routes: [(post: Bool, uri: String, form: [(String, String)])] = [
        (false, "/console/products", []), (false, "/console/products.csv", []),
        (false, "/console/product?id=TEA-01", []), (false, "/console/products/new", []),
        (false, "/console/categories", []),
        (true, "/console/product/price", [("product", "TEA-01"), ("sku", "TEA-01"), ("price", "1")]),
        (true, "/console/product/shelf", [("product", "TEA-01"), ("on", "0")]),
        (true, "/console/product/images", [("product", "TEA-01"), ("images", "https://x.example/a.png")]),
        (true, "/console/products", [("sku", "NEW-1"), ("name", "n"), ("price", "1")]),
        (true, "/console/categories", [("path", "New")]),
        (true, "/console/categories/edit", [("path", "Drinks"), ("retire", "1")]),
    ]

    @Test func withoutCSRFOrWithoutThePermissionEveryRouteIs403AndNothingChanges() async throws {
        try await withConsole { hana, central in
            let before = try central.catalog.products()
            let categories = try central.catalog.categories()
            for route in Self.routes where route.post {
                let answer = try await hana.post(route.uri, route.form)
                #expect(answer.status == .forbidden, "\(route.uri) without CSRF")
            }
            for user in ["fay", "max"] {  // finance, store manager: no manage_catalog
                var browser = ConsoleBrowser(client: hana.client)
                _ = try await browser.logIn(user, ConsoleShop.passwords[user] ?? "")
                let csrf = try await browser.csrf()
                #expect(!(try await browser.get("/console").body.contains(#"href="/console/products""#)))
                for route in Self.routes {
                    let answer =
                        route.post
                        ? try await browser.post(route.uri, [("csrf", csrf)] + route.form)
                        : try await browser.get(route.uri)
                    #expect(answer.status == .forbidden, "\(user) \(route.uri)")
                }
            }
            #expect(try central.catalog.products() == before)
            #expect(try central.catalog.categories() == categories)
        }
    }
}
