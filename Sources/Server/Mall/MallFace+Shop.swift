import Commerce
import Foundation
import Hummingbird
import Node

/// The shop: home (active promotions, new products, search), the category tree, product lists
/// and the product page (images, specs → SKU, price with any flash sale or member price for the
/// signed-in member from the pricing engine, stock of the online warehouse). Browsing needs no
/// sign-in; buying does.
extension MallFace {
    func addShopRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/shop") { request, _ in
            let signed = try await signedIn(request)
            let language = signed?.language ?? TillLanguage.of(request)
            let node = self.node
            let (promotions, products) = try await blocking {
                (try node.catalog.activePromotions(), try node.catalog.products(matching: nil))
            }
            let t = MallText.catalog(language)
            let newest = Array(Self.onSale(products).reversed().prefix(Self.newProductCount))
            return page(request, signed, title: t["shop_home"] ?? "") {
                MallTemplates.render(
                    "mall_shop_home",
                    [
                        "t": t, "promotions": promotions.map { Self.promotionRow($0, language) },
                        "has_promotions": !promotions.isEmpty, "products": newest.map(Self.productRow),
                    ])
            }
        }
        router.get("/mall/categories") { request, _ in
            if let category = request.uri.queryParameters.get("category") {
                return try await productList(request, category: category, query: nil)
            }
            let signed = try await signedIn(request)
            let node = self.node
            let categories = try await blocking { try node.catalog.categories() }.filter { !$0.retired }
            let t = MallText.catalog(signed?.language ?? TillLanguage.of(request))
            return page(request, signed, title: t["nav_categories"] ?? "") {
                MallTemplates.render(
                    "mall_shop_categories",
                    [
                        "t": t,
                        "categories": categories.map { c in
                            [
                                "name": c.name, "href": "/mall/categories?category=" + Self.queryEncoded(c.path),
                                "indent": String(min(c.depth, 5)), "products": String(c.products),
                            ]
                        },
                    ])
            }
        }
        router.get("/mall/categories/:id") { request, context in
            try await productList(request, category: context.parameters.get("id") ?? "", query: nil)
        }
        router.get("/mall/search") { request, _ in
            try await productList(request, category: nil, query: request.uri.queryParameters.get("q") ?? "")
        }
        router.get("/mall/products/:id") { request, context in
            try await productPage(request, id: context.parameters.get("id") ?? "")
        }
    }

    static let newProductCount = 10

    /// Products with at least one SKU on the shelf.
    static func onSale(_ products: [ProductView]) -> [ProductView] { products.filter { $0.on_shelf > 0 } }

    /// A list of products: a category's (and its subcategories') or a search's.
    func productList(_ request: Request, category: String?, query: String?) async throws -> Response {
        let signed = try await signedIn(request)
        let language = signed?.language ?? TillLanguage.of(request)
        let t = MallText.catalog(language)
        let node = self.node
        let q = query?.trimmingCharacters(in: .whitespaces)
        do {
            if let category, category.isEmpty || category.utf8.count > 200 {
                throw NodeError(.notFound, "category \(category) is unknown; check the code")
            }
            let products = try await blocking {
                Self.onSale(try node.catalog.products(matching: q?.isEmpty == false ? q : nil, category: category))
            }
            let categoryName = try await blocking {
                try category.map { c in try node.catalog.categories().first { $0.path == c }?.name ?? c }
            }
            let title = categoryName ?? (t["search"] ?? "")
            return page(request, signed, title: title) {
                MallTemplates.render(
                    "mall_shop_list",
                    [
                        "t": t, "q": q ?? "", "products": products.map(Self.productRow), "empty": products.isEmpty,
                    ])
            }
        } catch let error as NodeError {
            return message(
                request, signed, MallText.sentence(error, language), back: "/mall/shop", status: error.status)
        }
    }

    /// The product page.
    func productPage(_ request: Request, id: String) async throws -> Response {
        let signed = try await signedIn(request)
        let language = signed?.language ?? TillLanguage.of(request)
        let t = MallText.catalog(language)
        let node = self.node
        let member = signed?.session.member
        let product: ProductView
        do {
            guard SKUCode(id) != nil else { throw NodeError(.notFound, "product \(id) is unknown; check the code") }
            product = try await blocking { try node.catalog.product(id) }
            guard product.on_shelf > 0 else {
                throw NodeError(.notFound, "product \(id) is not on sale")
            }
        } catch let error as NodeError {
            return message(
                request, signed, MallText.sentence(error, language), back: "/mall/shop", status: error.status)
        }
        let skus = product.skus.filter(\.on_shelf)
        let (prices, available) = try await blocking {
            var prices: [String: PricingEngine.Quote] = [:]
            for s in skus {
                prices[s.sku] = try? node.orders.quote(
                    OrderRequest(lines: [LineRequest(sku: s.sku, quantity: 1)], member: member, channel: .online))
            }
            return (prices, try node.catalog.onlineAvailable(skus: skus.map(\.sku)))
        }
        let wanted = request.uri.queryParameters.get("sku")
        let chosen = skus.first { $0.sku == wanted } ?? skus.first { (available[$0.sku] ?? 0) > 0 } ?? skus[0]
        let rows: [[String: Any]] = skus.map { s in
            let quote = prices[s.sku]
            let price = quote?.goodsTotal.cents ?? s.price_cents
            let stock = ShopStockStatus(available: available[s.sku] ?? 0)
            return [
                "sku": s.sku, "specs": Self.specText(s), "price": Money(cents: price).yuan,
                "list": price < s.price_cents ? Money(cents: s.price_cents).yuan : false,
                "why": quote?.discounts.map { PricingText.sentence($0.note, in: language.language) }.joined(
                    separator: "；") ?? "",
                "stock": t["stock_" + stock.rawValue] ?? "", "stock_class": stock.rawValue,
                "checked": s.sku == chosen.sku, "sold_out": stock == .soldOut,
            ]
        }
        let chosenPrice = prices[chosen.sku]?.goodsTotal.cents ?? chosen.price_cents
        let context: [String: Any] = [
            "t": t, "product": product.product, "name": product.name, "brand": product.brand ?? false,
            "description": product.description ?? false, "images": Self.images(product.images),
            "skus": rows, "price": Money(cents: chosenPrice).yuan,
            "stock": t["stock_" + ShopStockStatus(available: available[chosen.sku] ?? 0).rawValue] ?? "",
            "signed": signed.map { ["csrf": $0.session.csrf] } ?? false,
            "login_href": "/mall/login?next=" + Self.queryEncoded("/mall/products/" + product.product),
        ]
        return page(request, signed, title: product.name) { MallTemplates.render("mall_product", context) }
    }

    /// A product in a list: name, from-price of its SKUs on the shelf, first image.
    static func productRow(_ p: ProductView) -> [String: Any] {
        let price = p.skus.filter(\.on_shelf).map(\.price_cents).min() ?? 0
        let image = images(p.images).first
        return [
            "id": p.product, "name": p.name, "price": Money(cents: price).yuan,
            "href": "/mall/products/" + p.product, "image": image ?? false,
        ]
    }

    /// The images a page may show: same-origin paths only (the style policy allows `'self'`).
    static func images(_ refs: [String]) -> [String] {
        refs.filter { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") && $0.utf8.count <= 1000 }
    }

    static func specText(_ s: ProductSKU) -> String {
        s.specs.isEmpty
            ? s.name : s.specs.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " / ")
    }

    /// A promotion on the home page: its name and rule in the reader's language, and its end.
    static func promotionRow(_ p: Promotion, _ language: TillLanguage) -> [String: Any] {
        [
            "id": p.id, "name": p.name, "rule": PricingText.rule(p.rule, in: language.language),
            "flash": { if case .flashSale = p.rule { return true } else { return false } }(),
            "ends": p.endsAt.map { Self.shanghaiTime($0) } ?? false,
        ]
    }

    static func queryEncoded(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

}
