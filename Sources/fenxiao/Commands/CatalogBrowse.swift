import ArgumentParser
import Node

extension CatalogCommand {
    struct Images: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "images",
            abstract: "Replace a product's images (URLs or paths, in order; none removes them). SKUs are untouched.")
        @OptionGroup var common: CommonOptions
        @Option var product: String
        @Option(name: .customLong("image"), help: "Image URL or path (repeat).") var images: [String] = []
        func run(on node: FenxiaoNode) throws -> ProductView {
            try node.catalog.setImages(product: product, images: images)
        }
        func human(_ p: ProductView) -> String { "\(p.product): \(p.images.count) images" }
    }

    struct AddCategory: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "category-add",
            abstract: "Add a category (and its missing parents) before any product uses it.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Category path, e.g. Drinks/Coffee.") var path: String
        @Option(help: "Display name (default: the last level of the path).") var name: String?
        func run(on node: FenxiaoNode) throws -> CategoryView {
            try node.catalog.addCategory(path: path, name: name)
        }
        func human(_ c: CategoryView) -> String { "category \(c.path): \(c.name)" }
    }

    struct Products: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "products",
            abstract: "Products with their SKUs, specs, prices (and scheduled ones), shelf state and stock.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Code, name or barcode contains this.") var query: String?
        @Option(help: "In this category or below it.") var category: String?
        func run(on node: FenxiaoNode) throws -> Listing<ProductView> {
            Listing(key: "products", items: try node.catalog.products(matching: query, category: category))
        }
        func human(_ ps: Listing<ProductView>) -> String {
            ps.items.map { p in
                "\(p.product)  \(p.name)  \(p.category ?? "")  \(p.on_shelf)/\(p.skus.count) on the shelf  stock \(p.on_hand)"
                    + p.skus.map { s in
                        "\n    \(s.sku)  \(yuan(s.price_cents))\(s.on_shelf ? "" : "  (off shelf)")"
                            + s.scheduled.map { "  from \($0.at): \(yuan($0.price_cents))" }.joined()
                    }.joined()
            }.joined(separator: "\n")
        }
    }
}
