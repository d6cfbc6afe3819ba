import ArgumentParser
import Commerce
import Foundation
import Node
import Replication

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "The product catalog (authored at central, replicated to stores).",
        subcommands: [
            AddProduct.self, SetPrice.self, Shelf.self, List.self, Import.self, Export.self, Category.self, Lookup.self,
            Search.self, Images.self, AddCategory.self, Products.self,
        ])

    struct Lookup: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "lookup",
            abstract: "The SKU of a barcode or SKU code, with its price and stock here.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "A barcode (6901234567890) or a SKU code (TEA-01).") var code: String
        func run(on node: FenxiaoNode) throws -> CounterItem { try node.till.lookup(code) }
        func human(_ i: CounterItem) -> String { describeCounterItem(i) }
    }

    struct Search: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Find products by name, code, barcode or pinyin initials (wlc finds 乌龙茶).")
        @OptionGroup var common: CommonOptions
        @Argument var query: String
        @Option var limit = 20
        func run(on node: FenxiaoNode) throws -> Listing<CounterItem> {
            Listing(key: "items", items: try node.till.search(query, limit: limit))
        }
        func human(_ items: Listing<CounterItem>) -> String {
            items.items.map(describeCounterItem).joined(separator: "\n")
        }
    }

    struct Category: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "category",
            abstract: "Rename (--rename NAME), move (--parent PATH) or retire (--retire) a category.")
        @OptionGroup var common: CommonOptions
        @Option var path: String
        @Option var rename: String?
        @Option var parent: String?
        @Flag var retire = false
        func run(on node: FenxiaoNode) throws -> JSONValue {
            JSONValue.object(
                try node.catalog.editCategory(path: path, rename: rename, retire: retire, parent: parent).fields)
        }
        func human(_ f: JSONValue) -> String {
            "category \(path): \(f.objectValue?["name"]?.stringValue ?? "")\(f.objectValue?["retired"]?.boolValue == true ? " (retired)" : "")"
        }
    }

    struct AddProduct: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-product", abstract: "Add or update a product SKU.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var name: String
        @Option(help: "Price in yuan, e.g. 12.50.") var price: Money
        @Option(help: "Category path, e.g. Drinks/Tea.") var category: String?
        @Option(help: "Product the SKU belongs to (default: the SKU itself).") var product: String?
        @Option var brand: String?
        @Option var description: String?
        @Option(name: .customLong("image"), help: "Image URL or path (repeat).") var images: [String] = []
        @Option(help: "Video URL or path.") var video: String?
        @Option(name: .customLong("weight-grams")) var weightGrams: Int64?
        @Option(name: .customLong("spec"), help: "NAME=V1,V2 (repeat): one SKU per combination, codes SKU-V1-….")
        var specs: [String] = []
        @Option(help: "The SKU's barcode (EAN-13 etc.), scanned at the till.") var barcode: String?

        /// One SKU, or every SKU of a product with specs.
        enum Out: Encodable {
            case one(SKUView)
            case many([SKUView])
            func encode(to encoder: any Encoder) throws {
                switch self {
                case .one(let v): try v.encode(to: encoder)
                case .many(let vs): try Listing(key: "skus", items: vs).encode(to: encoder)
                }
            }
        }

        func validate() throws {
            for spec in specs where spec.split(separator: "=", maxSplits: 1).count != 2 {
                throw ValidationError("--spec must be NAME=V1,V2 (got \(spec))")
            }
        }

        func run(on node: FenxiaoNode) throws -> Out {
            if !specs.isEmpty {
                var map: [String: [String]] = [:]
                for spec in specs {
                    let parts = spec.split(separator: "=", maxSplits: 1)
                    map[String(parts[0])] = parts[1].split(separator: ",").map(String.init)
                }
                return .many(
                    try node.catalog.addProductWithSpecs(
                        product: sku, name: name, price: price, category: category, brand: brand, specs: map))
            }
            let views = try node.catalog.upsert([
                CatalogItem(
                    sku: sku, name: name, price: price, category: category, product: product, brand: brand,
                    barcode: barcode,
                    description: description, images: images.isEmpty ? nil : images, video: video,
                    weight_grams: weightGrams)
            ])
            return .one(views[0])
        }

        func human(_ out: Out) -> String {
            switch out {
            case .one(let v): return "\(v.sku)  \(v.name)  \(yuan(v.price_cents))  \(v.category ?? "")"
            case .many(let vs):
                return vs.map { "\($0.sku)  \($0.name)  \(yuan($0.price_cents))" }.joined(separator: "\n")
            }
        }
    }

    struct SetPrice: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "set-price", abstract: "Change a SKU's price.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(help: "New price in yuan.") var price: Money
        @Option(
            help:
                "Effective from (2026-11-01, ISO 8601 or ms; default now). Stores apply it even if they learn of it late."
        ) var at: Instant?
        func run(on node: FenxiaoNode) throws -> SKUView {
            try node.catalog.setPrice(sku: sku, price: price, effectiveAt: at?.millis)
        }
        func human(_ v: SKUView) -> String {
            "\(v.sku) costs \(yuan(v.price_cents)) now\(at.map { "; the new price applies from \($0.millis)" } ?? "")"
        }
    }

    struct Shelf: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "shelf",
            abstract: "Put a SKU (--sku) or every SKU of a product (--product) on or off the shelf.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String?
        @Option var product: String?
        @Flag(inversion: .prefixedNo, help: "--on or --no-on (off the shelf).") var on: Bool

        /// One SKU, or every SKU of a product.
        enum Out: Encodable {
            case one(SKUView)
            case product(String, [SKUView])
            func encode(to encoder: any Encoder) throws {
                switch self {
                case .one(let v): try v.encode(to: encoder)
                case .product(_, let vs): try Listing(key: "skus", items: vs).encode(to: encoder)
                }
            }
        }

        func validate() throws {
            guard (sku == nil) != (product == nil) else {
                throw ValidationError("give exactly one of --sku or --product")
            }
        }
        func run(on node: FenxiaoNode) throws -> Out {
            if let product { return .product(product, try node.catalog.setProductOnShelf(product: product, on)) }
            return .one(try node.catalog.setOnShelf(sku: sku ?? "", on))
        }
        func human(_ out: Out) -> String {
            switch out {
            case .one(let v): return "\(v.sku) is \(v.on_shelf ? "on" : "off") the shelf"
            case .product(let p, let vs): return "\(vs.count) SKUs of \(p) are \(on ? "on" : "off") the shelf"
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the catalog.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<SKUView> {
            Listing(key: "skus", items: try node.catalog.list())
        }
        func human(_ items: Listing<SKUView>) -> String {
            items.items.map {
                "\($0.sku)  \($0.name)  \(yuan($0.price_cents))  \($0.category ?? "")\($0.on_shelf ? "" : "  (off shelf)")"
            }
            .joined(separator: "\n")
        }
    }

    struct Import: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract:
                "Import a whole catalog, all or nothing: JSON ({\"items\": [{sku, name, price, category}]}) or CSV (*.csv, UTF-8 or GB18030)."
        )
        @OptionGroup var common: CommonOptions
        @Argument var file: String
        @Option(
            help:
                "The CSV file's encoding (utf8 or gb18030); by default UTF-8 if the bytes are valid UTF-8, else GB18030."
        )
        var encoding: TextEncoding?
        struct Out: Encodable { let imported: Int }
        func run(on node: FenxiaoNode) throws -> Out {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw NodeError(.invalidInput, "cannot read \(file)")
            }
            struct File: Decodable { let items: [CatalogFileItem] }
            let rows: [CatalogFileItem]
            if file.lowercased().hasSuffix(".csv") {
                rows = try CatalogCSV.parse(CatalogCSV.text(of: data, file: file, encoding: encoding))
            } else {
                do {
                    rows = try JSONDecoder().decode(File.self, from: data).items
                } catch {
                    throw NodeError(.invalidInput, "\(file) is not a catalog file: \(describe(error))")
                }
            }
            return Out(imported: try node.catalog.upsert(CatalogFileItem.items(rows)).count)
        }
        func human(_ out: Out) -> String { "imported \(out.imported) SKUs" }
    }

    struct Export: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract:
                "Export the catalog as JSON or CSV (*.csv, UTF-8 with a byte order mark for Excel), the import formats."
        )
        @OptionGroup var common: CommonOptions
        @Argument var file: String
        struct Out: Encodable { let exported: Int }
        func run(on node: FenxiaoNode) throws -> Out {
            let items = try node.catalog.list().map(CatalogFileItem.init)
            struct File: Encodable { let items: [CatalogFileItem] }
            do {
                let bytes =
                    file.lowercased().hasSuffix(".csv")
                    ? CatalogCSV.fileBytes(items) : Data(CommonOptions.encode(File(items: items)).utf8)
                try bytes.write(to: URL(fileURLWithPath: file))
            } catch {
                throw NodeError(.invalidInput, "cannot write \(file): \(error.localizedDescription)")
            }
            return Out(exported: items.count)
        }
        func human(_ out: Out) -> String { "exported \(out.exported) SKUs to \(file)" }
    }
}

func yuanPlain(_ cents: Int64) -> String {
    "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
}

/// A short description of a decoding error that names the field.
func describe(_ error: any Error) -> String {
    guard let e = error as? DecodingError else { return "\(error)" }
    func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.map { $0.intValue.map { "row \($0 + 1)" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch e {
    case .keyNotFound(let key, let ctx): return "\(path(ctx)): missing field '\(key.stringValue)'"
    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "\(path(ctx)): \(ctx.debugDescription)"
    case .dataCorrupted(let ctx): return "\(path(ctx).isEmpty ? "" : path(ctx) + ": ")\(ctx.debugDescription)"
    @unknown default: return "\(error)"
    }
}

/// One SKU as the counter lists it.
func describeCounterItem(_ i: CounterItem) -> String {
    "\(i.sku)  \(i.name)  \(yuan(i.price_cents))  " + OutputLanguage.text("\(i.available) here", "本店库存 \(i.available)")
        + (i.barcode.map { "  \($0)" } ?? "") + (i.on_shelf ? "" : OutputLanguage.text("  (off the shelf)", "  （已下架）"))
}
