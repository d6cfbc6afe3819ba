import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/products`: the catalog by product (search by code or name, filter by category),
/// each with its SKUs, prices, shelf state and stock; `/console/product?id=P`: one product with
/// its SKUs — change a price now or from a time (`catalog set-price`, needs `change_prices`),
/// put it or one SKU on or off the shelf (`catalog shelf`), its images by URL; and
/// `/console/products/new` (`catalog add-product`, with specs). Categories are in
/// ``addCategoryRoutes(_:)``. The product id travels in the query or the form, never in the
/// path (a product code is not checked for `/`).
extension ConsoleFace {
    func addCatalogRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/products") { request, _ in
            try await catalogScreen(request, .products) { signed in
                let t = ConsoleText.catalog(signed.language)
                let filter = ProductFilter(request)
                let products = try filter.apply(signed)
                let categories = try signed.node.catalog.categories()
                let rows: [[String: Any]] = products.map { p in
                    let prices = p.skus.map(\.price_cents)
                    let low = prices.min() ?? 0, high = prices.max() ?? 0
                    return [
                        "href": Self.productHref(p.product), "product": p.product, "name": p.name,
                        "category": p.category ?? "—", "skus": p.skus.count,
                        "codes": p.skus.prefix(6).map(\.sku).joined(separator: ", ") + (p.skus.count > 6 ? " …" : ""),
                        "price": low == high ? HTML.yuan(low) : "\(HTML.yuan(low)) – \(HTML.yuan(high))",
                        "shelf": "\(p.on_shelf)/\(p.skus.count)", "off": p.on_shelf == 0, "stock": p.on_hand,
                        "scheduled": p.skus.contains { !$0.scheduled.isEmpty },
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "q": filter.query ?? "", "csvQuery": filter.queryString, "empty": rows.isEmpty,
                    "products": rows, "count": rows.count,
                    "categories": categories.map { c in
                        [
                            "path": c.path, "label": String(repeating: "　", count: c.depth) + c.name,
                            "selected": c.path == filter.category,
                        ] as [String: Any]
                    },
                ]
                return page(request, signed, .products, title: t["products"] ?? "") {
                    ConsoleTemplates.render("products", context)
                }
            }
        }
        router.get("/console/products.csv") { request, _ in
            try await catalogScreen(request, .products) { signed in
                let offset = try signed.node.dayOffsetMillis()
                var rows = [
                    [
                        "product", "product_name", "category", "sku", "sku_name", "specs", "barcode", "price",
                        "on_shelf",
                        "on_hand", "scheduled_prices",
                    ]
                ]
                for p in try ProductFilter(request).apply(signed) {
                    for s in p.skus {
                        rows.append([
                            p.product, p.name, p.category ?? "", s.sku, s.name, Self.specText(s.specs),
                            s.barcode ?? "", CSV.yuan(s.price_cents), s.on_shelf ? "yes" : "no", String(s.on_hand),
                            s.scheduled.map {
                                "\(ConsoleCatalogForm.localText($0.at, offsetMillis: offset)) \(CSV.yuan($0.price_cents))"
                            }.joined(separator: "; "),
                        ])
                    }
                }
                return CSV.response(rows, name: "products")
            }
        }
        router.get("/console/product") { request, _ in
            try await catalogScreen(request, .products) { signed in
                let id = request.uri.queryParameters.get("id") ?? ""
                let p = try signed.node.catalog.product(id)
                let t = ConsoleText.catalog(signed.language)
                let offset = try signed.node.dayOffsetMillis()
                let skus: [[String: Any]] = p.skus.map { s in
                    [
                        "sku": s.sku, "name": s.name, "specs": Self.specText(s.specs), "barcode": s.barcode ?? "—",
                        "price": HTML.yuan(s.price_cents), "priceValue": CSV.yuan(s.price_cents), "on": s.on_shelf,
                        "stock": s.on_hand,
                        "scheduled": s.scheduled.map { sp in
                            [
                                "at": ConsoleCatalogForm.localText(sp.at, offsetMillis: offset),
                                "price": HTML.yuan(sp.price_cents),
                            ]
                        },
                    ]
                }
                let images: [[String: Any]] = p.images.map { url in
                    let lower = url.lowercased()
                    // Only web addresses become links (the CLI also takes file paths; never `javascript:`).
                    return [
                        "url": url, "picture": lower.hasPrefix("https://"),
                        "link": lower.hasPrefix("https://") || lower.hasPrefix("http://"),
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "product": p.product, "name": p.name,
                    "brand": p.brand ?? "—", "category": p.category ?? "—", "description": p.description ?? false,
                    "skus": skus, "images": images, "hasImages": !images.isEmpty,
                    "imageText": p.images.joined(separator: "\n"), "prices": signed.may(.changePrices),
                    "allOn": p.on_shelf == p.skus.count, "allOff": p.on_shelf == 0,
                ]
                var response = page(request, signed, .products, title: "\(t["cat_product"] ?? "") \(p.product)") {
                    ConsoleTemplates.render("product", context)
                }
                // Product pictures may live on the chain's own HTTPS image host.
                response.headers[.contentSecurityPolicy] = Self.productPagePolicy
                return response
            }
        }
        router.post("/console/product/price") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let product = try f.required("product", max: 200)
                let sku = try f.required("sku", max: 64)
                let price = try f.money("price")
                let at = try f.instant("at", offsetMillis: try signed.node.dayOffsetMillis())
                _ = try signed.node.catalog.setPrice(sku: sku, price: price, effectiveAt: at)
                return Self.productHref(product)
            }
        }
        router.post("/console/product/shelf") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let product = try f.required("product", max: 200)
                let on = try Self.shelfChoice(f)
                if let sku = try f.optional("sku", max: 64) {
                    _ = try signed.node.catalog.setOnShelf(sku: sku, on)
                } else {
                    _ = try signed.node.catalog.setProductOnShelf(product: product, on)
                }
                return Self.productHref(product)
            }
        }
        router.post("/console/product/images") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let product = try f.required("product", max: 200)
                let images = try f.lines("images")
                for url in images where !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                    throw f.refuse(
                        "images", zh: "每行一个以 https:// 开头的网址（“\(url)”不是）",
                        en: "must be one https:// URL per line (not '\(url)')")
                }
                _ = try signed.node.catalog.setImages(product: product, images: images)
                return Self.productHref(product)
            }
        }
        router.get("/console/products/new") { request, _ in
            try await catalogScreen(request, .products) { signed in
                let t = ConsoleText.catalog(signed.language)
                let categories = try signed.node.catalog.categories().filter { !$0.retired }.map(\.path)
                let context: [String: Any] = ["t": t, "csrf": signed.session.csrf, "categories": categories]
                return page(request, signed, .products, title: t["cat_new_product"] ?? "") {
                    ConsoleTemplates.render("product_new", context)
                }
            }
        }
        router.post("/console/products") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let code = try f.code("sku")
                let name = try f.required("name")
                let price = try f.money("price")
                let category = try f.optional("category", max: 200)
                let brand = try f.optional("brand", max: 100)
                let specs = try f.specs("specs")
                let image = try f.optional("image", max: 1000)
                if let image, !image.hasPrefix("https://"), !image.hasPrefix("http://") {
                    throw f.refuse("image", zh: "必须是以 https:// 开头的网址", en: "must be an https:// URL")
                }
                if specs.isEmpty {
                    _ = try signed.node.catalog.upsert([
                        CatalogItem(
                            sku: code, name: name, price: price, category: category, brand: brand,
                            barcode: try f.optional("barcode", max: 64), images: image.map { [$0] })
                    ])
                } else {
                    // As `fenxiao catalog add-product --spec`: one SKU per combination, the code is the product's.
                    _ = try signed.node.catalog.addProductWithSpecs(
                        product: code, name: name, price: price, category: category, brand: brand, specs: specs)
                    if let image { _ = try signed.node.catalog.setImages(product: code, images: [image]) }
                }
                return Self.productHref(code)
            }
        }
        addCategoryRoutes(router)
        addMarketingRoutes(router)
    }

    /// Console pages allow images from the console itself and `data:`; a product page also
    /// shows pictures from HTTPS hosts (never plain HTTP, which would be mixed content).
    static let productPagePolicy =
        "default-src 'self'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'"

    static func productHref(_ product: String) -> String { "/console/product?id=" + queryValue(product) }

    /// `colour: red · size: M`.
    static func specText(_ specs: [String: String]) -> String {
        specs.keys.sorted().map { "\($0): \(specs[$0] ?? "")" }.joined(separator: " · ")
    }

    static func shelfChoice(_ f: ConsoleCatalogForm) throws(NodeError) -> Bool {
        switch f.form["on"] {
        case "1": return true
        case "0": return false
        default: throw f.refuse("on", zh: "必须是上架（1）或下架（0）", en: "must be 1 (on the shelf) or 0 (off)")
        }
    }

    /// The list's search and category filter, read from the query.
    struct ProductFilter: Sendable {
        var query: String?
        var category: String?

        init(_ request: Request) {
            let q = request.uri.queryParameters
            query = q.get("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            category = q.get("category").flatMap { $0.isEmpty ? nil : $0 }
        }

        func apply(_ signed: ConsoleRequest) throws(NodeError) -> [ProductView] {
            try signed.node.catalog.products(matching: query, category: category)
        }

        var queryString: String {
            "q=\(ConsoleFace.queryValue(query))&category=\(ConsoleFace.queryValue(category))"
        }
    }
}
