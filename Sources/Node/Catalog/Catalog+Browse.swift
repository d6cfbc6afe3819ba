import Commerce
import Foundation
import Replication
import Storage

/// A product as head office browses it: what its SKUs share (name, brand, category, images)
/// and each SKU with its specs, price, scheduled prices, shelf state and stock.
public struct ProductView: Sendable, Equatable, Codable {
    public var product: String
    public var name: String
    public var brand: String?
    public var category: String?
    public var description: String?
    /// Image URLs or file paths, in display order.
    public var images: [String]
    public var skus: [ProductSKU]

    /// SKUs on the shelf.
    public var on_shelf: Int { skus.filter(\.on_shelf).count }
    /// Units on hand over every warehouse this node knows (all of them at central).
    public var on_hand: Int64 { skus.reduce(0) { $0 + $1.on_hand } }
}

/// One SKU of a ``ProductView``.
public struct ProductSKU: Sendable, Equatable, Codable {
    public var sku: String
    public var name: String
    /// Spec values by spec name (`size` → `M`).
    public var specs: [String: String]
    public var barcode: String?
    /// The price in effect now.
    public var price_cents: Int64
    /// Price changes that start later, earliest first.
    public var scheduled: [ScheduledPrice]
    public var on_shelf: Bool
    /// Units on hand over every warehouse this node knows.
    public var on_hand: Int64
}

/// A price that takes effect at `at` (ms since the epoch).
public struct ScheduledPrice: Sendable, Equatable, Codable {
    public var at: Int64
    public var price_cents: Int64

    public init(at: Int64, price_cents: Int64) {
        self.at = at
        self.price_cents = price_cents
    }
}

extension Catalog {
    /// Products whose code, name, SKU code or barcode contains `query` (any case), in
    /// `category` or below it, by product code. Without a query or category: every product.
    public func products(matching query: String? = nil, category: String? = nil) throws(NodeError) -> [ProductView] {
        let q = (query ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard q.utf8.count <= 64 else {
            throw NodeError(
                .invalidInput, "\(BrowseField.query) must be at most 64 characters (a code or part of a name)")
        }
        let now = store.wallNow()
        return try read { r in
            try Self.productViews(r, now: now).filter { p in
                let inCategory = category.map { c in p.category.map { $0 == c || $0.hasPrefix(c + "/") } ?? false }
                guard inCategory ?? true else { return false }
                guard !q.isEmpty else { return true }
                return p.product.lowercased().contains(q) || p.name.lowercased().contains(q)
                    || p.skus.contains {
                        $0.sku.lowercased().contains(q) || $0.name.lowercased().contains(q) || $0.barcode == q
                    }
            }
        }
    }

    /// One product with its SKUs; not found when the catalog has no SKU of it.
    public func product(_ id: String) throws(NodeError) -> ProductView {
        let now = store.wallNow()
        return try read { r in
            guard let p = try Self.productViews(r, now: now, only: id).first else {
                throw NodeError(.notFound, "product \(id) has no SKUs in the catalog; check the code")
            }
            return p
        }
    }

    /// Every product built from the SKU and product registers (one pass over each).
    static func productViews(_ r: StoreReader, now: Int64, only: String? = nil) throws -> [ProductView] {
        var stock: [String: Int64] = [:]
        for level in try r.stockLevels() { stock[level.sku, default: 0] += level.on_hand }
        var byProduct: [String: [ProductSKU]] = [:]
        var fallbackName: [String: String] = [:]
        var fallbackCategory: [String: String] = [:]
        for (id, fields) in try r.registers(.sku) {
            let s = try SKURegister(fields: fields)
            let product = s.product ?? id
            if let only, product != only { continue }
            byProduct[product, default: []].append(
                ProductSKU(
                    sku: id, name: s.name ?? id, specs: s.specs ?? [:], barcode: s.barcode,
                    price_cents: s.price(at: now).cents,
                    scheduled: s.scheduledPrices.filter { $0.key > now }.sorted { $0.key < $1.key }.map {
                        ScheduledPrice(at: $0.key, price_cents: $0.value.cents)
                    }, on_shelf: s.onShelf ?? true, on_hand: stock[id] ?? 0))
            if fallbackName[product] == nil { fallbackName[product] = s.name }
            if fallbackCategory[product] == nil { fallbackCategory[product] = s.category }
        }
        return try byProduct.keys.sorted().map { product in
            let p = try r.register(ProductRegister.self, product)
            return ProductView(
                product: product, name: p?.name ?? fallbackName[product] ?? product, brand: p?.brand,
                category: p?.category ?? fallbackCategory[product], description: p?.description,
                images: p?.images ?? [], skus: (byProduct[product] ?? []).sorted { $0.sku < $1.sku })
        }
    }

    /// Replaces a product's images (URLs or file paths, in display order; empty removes them)
    /// (central only). The SKUs, prices and shelf state are untouched.
    public func setImages(product: String, images: [String]) throws(NodeError) -> ProductView {
        try requireCentral("editing the catalog")
        guard images.count <= 20 else { throw NodeError(.invalidInput, "at most 20 images per product") }
        for ref in images where ref.isEmpty || ref.utf8.count > 1000 || ref.hasPrefix("data:") {
            throw NodeError(
                .invalidInput, "\(BrowseField.image) must be a URL or file path of 1–1000 bytes (no inline data)")
        }
        try write(.manageCatalog, "catalog.images", subject: product) { tx in
            guard
                try tx.reader.registers(.sku).contains(where: {
                    (try SKURegister(fields: $0.fields).product ?? $0.id) == product
                })
            else { throw NodeError(.notFound, "product \(product) has no SKUs in the catalog; check the code") }
            try tx.emit(ProductRegister(images: images), entity: product, scope: .global)
        }
        return try self.product(product)
    }
}

/// The request fields these use cases name (the shared `Field` constants have no such names).
enum BrowseField {
    static let query: Field = "query"
    static let image: Field = "image"
    static let category: Field = "category"
}
