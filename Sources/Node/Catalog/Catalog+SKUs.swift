import Commerce
import Foundation
import Replication
import Storage

/// One SKU to add or update: typed on the CLI, or a row of an import file (the face parses the
/// file's yuan text into `price`).
public struct CatalogItem: Sendable, Equatable {
    public var sku: String
    public var name: String
    public var price: Money
    public var category: String?
    public var product: String?
    public var brand: String?
    public var specs: [String: String]?
    public var barcode: String?
    /// Description, and image and video references (URLs or file paths; never blobs).
    public var description: String?
    public var images: [String]?
    public var video: String?
    public var weight_grams: Int64?
    /// The product's own name when it differs from the SKU's (a SKU of a product with specs is
    /// named `T恤 (red, M)`, its product `T恤`); nil: the SKU's name.
    public var productName: String?

    public init(
        sku: String, name: String, price: Money, category: String? = nil, product: String? = nil,
        brand: String? = nil, specs: [String: String]? = nil, barcode: String? = nil, description: String? = nil,
        images: [String]? = nil, video: String? = nil, weight_grams: Int64? = nil, productName: String? = nil
    ) {
        self.productName = productName
        self.description = description
        self.images = images
        self.video = video
        self.weight_grams = weight_grams
        self.sku = sku
        self.name = name
        self.price = price
        self.category = category
        self.product = product
        self.brand = brand
        self.specs = specs
        self.barcode = barcode
    }
}

/// A SKU as shown by the catalog commands.
public struct SKUView: Sendable, Equatable, Codable {
    public var sku: String
    public var name: String
    public var price_cents: Int64
    public var category: String?
    public var product: String
    public var on_shelf: Bool
}

extension Catalog {
    /// Validates one catalog row; `row` names it in errors (1-based, for imports).
    static func validate(_ item: CatalogItem, row: Int?) throws(NodeError) -> (SKUCode, Money, CategoryPath?) {
        let at = row.map { "row \($0): " } ?? ""
        guard let code = SKUCode(item.sku) else {
            throw NodeError(.invalidInput, "\(at)sku '\(item.sku)' must be 1–64 letters, digits, '.', '-' or '_'")
        }
        guard !item.name.trimmingCharacters(in: .whitespaces).isEmpty, item.name.utf8.count <= 200 else {
            throw NodeError(.invalidInput, "\(at)name of \(item.sku) must be 1–200 characters")
        }
        for ref in (item.images ?? []) + [item.video].compactMap({ $0 })
        where ref.utf8.count > 1000 || ref.hasPrefix("data:") {
            throw NodeError(
                .invalidInput, "\(at)image/video of \(item.sku) must be a URL or file path (no inline data)")
        }
        if let grams = item.weight_grams, grams < 0 || grams > 1_000_000 {
            throw NodeError(.invalidInput, "\(at)weight of \(item.sku) must be 0–1,000,000 g")
        }
        let price = item.price
        guard price.cents >= 0 else { throw NodeError(.invalidInput, "\(at)price of \(item.sku) must not be negative") }
        var category: CategoryPath?
        if let text = item.category {
            guard let path = CategoryPath(text) else {
                throw NodeError(.invalidInput, "\(at)category '\(text)' must look like Drinks/Tea (no empty levels)")
            }
            category = path
        }
        return (code, price, category)
    }

    /// Adds or updates products in the catalog (central only), all or nothing.
    @discardableResult
    public func upsert(_ items: [CatalogItem]) throws(NodeError) -> [SKUView] {
        try requireCentral("editing the catalog")
        var validated: [(CatalogItem, SKUCode, Money, CategoryPath?)] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let (code, price, category) = try Self.validate(item, row: items.count > 1 ? i + 1 : nil)
            guard seen.insert(code.rawValue).inserted else {
                throw NodeError(.invalidInput, "row \(i + 1): sku \(code) appears twice in the file")
            }
            validated.append((item, code, price, category))
        }
        return try write(.manageCatalog, "catalog.upsert") { tx in
            var views: [SKUView] = []
            for (item, code, price, category) in validated {
                if let category {
                    for (depth, path) in category.ancestry.enumerated()
                    where try tx.flushed().register(.category, path) == nil {
                        let parent = depth == 0 ? nil : category.ancestry[depth - 1]
                        try tx.emit(
                            CategoryRegister.created(name: category.levels[depth], parent: parent), entity: path,
                            scope: .global)
                    }
                }
                let product = item.product ?? code.rawValue
                let productPatch = ProductRegister(
                    name: item.productName ?? item.name, brand: item.brand, description: item.description,
                    images: item.images,
                    video: item.video,
                    category: category?.description)
                try tx.emit(productPatch, entity: product, scope: .global)
                let sku = SKURegister(
                    name: item.name, price: price, product: product, category: category?.description, onShelf: true,
                    specs: item.specs, barcode: item.barcode, weightGrams: item.weight_grams,
                    cleared: category == nil ? [.category] : [])
                try tx.emit(sku, entity: code.rawValue, scope: .global)
                views.append(
                    SKUView(
                        sku: code.rawValue, name: item.name, price_cents: price.cents, category: category?.description,
                        product: product, on_shelf: true))
            }
            return views
        }
    }

    /// Changes a SKU's price (central only).
    /// Changes a SKU's price (central only), now or from a given instant. Each change is its own
    /// field `price@<ms>`, so every scheduled change survives the merge, and a store that learns
    /// of a change late still charges, at any moment, the price in effect at that moment.
    public func setPrice(sku: String, price money: Money, effectiveAt: Int64? = nil) throws(NodeError) -> SKUView {
        try requireCentral("changing prices")
        guard money.cents >= 0 else { throw NodeError(.invalidInput, "\(Field.price) \(money) must not be negative") }
        return try write(.changePrices, "catalog.price", subject: sku) { tx in
            _ = try Self.requireSKU(sku, tx.reader)
            let at = effectiveAt ?? tx.nowMillis
            try tx.emit(SKURegister(scheduledPrices: [at: money]), entity: sku, scope: .global)
            return try Self.requireSKU(sku, tx.flushed())
        }
    }

    /// Puts a SKU on or off the shelf (central only). An off-shelf SKU cannot be sold.
    public func setOnShelf(sku: String, _ onShelf: Bool) throws(NodeError) -> SKUView {
        try requireCentral("changing the shelf")
        return try write(.manageCatalog, "catalog.shelf") { tx in
            _ = try Self.requireSKU(sku, tx.reader)
            try tx.emit(SKURegister(onShelf: onShelf), entity: sku, scope: .global)
            return try Self.requireSKU(sku, tx.flushed())
        }
    }

    public func list() throws(NodeError) -> [SKUView] {
        try read { r in try r.registers(.sku).map { try Self.skuView($0.id, $0.fields) } }
    }

    static func skuView(_ id: String, _ f: Fields, at millis: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) throws
        -> SKUView
    {
        skuView(id, try SKURegister(fields: f), at: millis)
    }

    /// The view of SKU `id` from its typed register, priced at `millis`.
    static func skuView(_ id: String, _ sku: SKURegister, at millis: Int64) -> SKUView {
        SKUView(
            sku: id, name: sku.name ?? id, price_cents: sku.price(at: millis).cents, category: sku.category,
            product: sku.product ?? id, on_shelf: sku.onShelf ?? true)
    }

    /// The SKU's register, or a not-found error that says what to do.
    static func requireSKU(_ sku: String, _ r: StoreReader, at millis: Int64? = nil) throws -> SKUView {
        guard let register = try r.register(SKURegister.self, sku) else {
            throw NodeError(.notFound, "SKU \(sku) is not in the catalog; run `fenxiao sync` or check the code")
        }
        return skuView(sku, register, at: millis ?? Int64(Date().timeIntervalSince1970 * 1000))
    }
}
