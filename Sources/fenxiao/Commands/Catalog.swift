import ArgumentParser
import Foundation
import Node
import Replication

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "The product catalog (authored at central, replicated to stores).",
        subcommands: [AddProduct.self, SetPrice.self, Shelf.self, List.self, Import.self, Export.self, Category.self])

    struct Category: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename (--rename NAME), move (--parent PATH) or retire (--retire) a category.")
        @OptionGroup var common: CommonOptions
        @Option var path: String
        @Option var rename: String?
        @Option var parent: String?
        @Flag var retire = false
        func run() throws {
            let node = try common.openNode()
            let f = try attempt { try node.editCategory(path: path, rename: rename, retire: retire, parent: parent) }
            common.emit(JSONValue.object(f), human: "category \(path): \(f["name"]?.stringValue ?? "")\(f["retired"]?.boolValue == true ? " (retired)" : "")")
        }
    }

    struct AddProduct: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-product", abstract: "Add or update a product SKU.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option var name: String
        @Option(help: "Price in yuan, e.g. 12.50.") var price: String
        @Option(help: "Category path, e.g. Drinks/Tea.") var category: String?
        @Option(help: "Product the SKU belongs to (default: the SKU itself).") var product: String?
        @Option var brand: String?
        @Option var description: String?
        @Option(name: .customLong("image"), help: "Image URL or path (repeat).") var images: [String] = []
        @Option(help: "Video URL or path.") var video: String?
        @Option(name: .customLong("weight-grams")) var weightGrams: Int64?
        @Option(name: .customLong("spec"), help: "NAME=V1,V2 (repeat): one SKU per combination, codes SKU-V1-….") var specs: [String] = []

        func run() throws {
            let node = try common.openNode()
            if !specs.isEmpty {
                var map: [String: [String]] = [:]
                for spec in specs {
                    let parts = spec.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { throw ValidationError("--spec must be NAME=V1,V2 (got \(spec))") }
                    map[String(parts[0])] = parts[1].split(separator: ",").map(String.init)
                }
                let views = try attempt {
                    try node.addProductWithSpecs(product: sku, name: name, price: price, category: category, brand: brand, specs: map)
                }
                common.emit(Listing(key: "skus", items: views), human: views.map { "\($0.sku)  \($0.name)  \(yuan($0.price_cents))" }.joined(separator: "\n"))
                return
            }
            let views = try attempt {
                try node.upsertCatalog([
                    CatalogItem(
                        sku: sku, name: name, price: price, category: category, product: product, brand: brand,
                        description: description, images: images.isEmpty ? nil : images, video: video, weight_grams: weightGrams)
                ])
            }
            let v = views[0]
            common.emit(v, human: "\(v.sku)  \(v.name)  \(yuan(v.price_cents))  \(v.category ?? "")")
        }
    }

    struct SetPrice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-price", abstract: "Change a SKU's price.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String
        @Option(help: "New price in yuan.") var price: String
        @Option(help: "Effective from (2026-11-01, ISO 8601 or ms; default now). Stores apply it even if they learn of it late.") var at: String?
        func run() throws {
            let node = try common.openNode()
            let when = try at.map(parseInstant)
            let v = try attempt { try node.setPrice(sku: sku, price: price, effectiveAt: when) }
            common.emit(v, human: "\(v.sku) costs \(yuan(v.price_cents)) now\(when.map { "; the new price applies from \($0)" } ?? "")")
        }
    }

    struct Shelf: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a SKU (--sku) or every SKU of a product (--product) on or off the shelf.")
        @OptionGroup var common: CommonOptions
        @Option var sku: String?
        @Option var product: String?
        @Flag(inversion: .prefixedNo, help: "--on or --no-on (off the shelf).") var on: Bool
        func run() throws {
            guard (sku == nil) != (product == nil) else { throw ValidationError("give exactly one of --sku or --product") }
            let node = try common.openNode()
            if let product {
                let vs = try attempt { try node.setProductOnShelf(product: product, on) }
                common.emit(Listing(key: "skus", items: vs), human: "\(vs.count) SKUs of \(product) are \(on ? "on" : "off") the shelf")
                return
            }
            let v = try attempt { try node.setOnShelf(sku: sku ?? "", on) }
            common.emit(v, human: "\(v.sku) is \(v.on_shelf ? "on" : "off") the shelf")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalog.")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let items = try attempt { try node.catalog() }
            common.emit(
                Listing(key: "skus", items: items),
                human: items.map { "\($0.sku)  \($0.name)  \(yuan($0.price_cents))  \($0.category ?? "")\($0.on_shelf ? "" : "  (off shelf)")" }
                    .joined(separator: "\n"))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a whole catalog, all or nothing: JSON ({\"items\": [{sku, name, price, category}]}) or CSV (*.csv).")
        @OptionGroup var common: CommonOptions
        @Argument var file: String
        func run() throws {
            let node = try common.openNode()
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail(NodeError(.invalidInput, "cannot read \(file)"))
            }
            struct File: Decodable { let items: [CatalogItem] }
            let items: [CatalogItem]
            if file.lowercased().hasSuffix(".csv") {
                items = try attempt { try CatalogCSV.parse(String(decoding: data, as: UTF8.self)) }
            } else {
                do {
                    items = try JSONDecoder().decode(File.self, from: data).items
                } catch {
                    throw fail(NodeError(.invalidInput, "\(file) is not a catalog file: \(describe(error))"))
                }
            }
            let views = try attempt { try node.upsertCatalog(items) }
            struct Out: Encodable { let imported: Int }
            common.emit(Out(imported: views.count), human: "imported \(views.count) SKUs")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the catalog as JSON or CSV (*.csv), the import formats.")
        @OptionGroup var common: CommonOptions
        @Argument var file: String
        func run() throws {
            let node = try common.openNode()
            let items = try attempt { try node.catalog() }.map {
                CatalogItem(sku: $0.sku, name: $0.name, price: yuanPlain($0.price_cents), category: $0.category, product: $0.product)
            }
            struct File: Encodable { let items: [CatalogItem] }
            do {
                let text = file.lowercased().hasSuffix(".csv") ? CatalogCSV.render(items) : CommonOptions.encode(File(items: items))
                try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            } catch {
                throw fail(NodeError(.invalidInput, "cannot write \(file): \(error.localizedDescription)"))
            }
            struct Out: Encodable { let exported: Int }
            common.emit(Out(exported: items.count), human: "exported \(items.count) SKUs to \(file)")
        }
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
