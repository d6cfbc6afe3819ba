import Commerce
import Node

/// One SKU as the catalog's import and export files hold it (JSON `{"items": [...]}` or a CSV
/// row): the price as yuan text (`12.50`), parsed here, at the edge, into the use case's
/// ``CatalogItem``.
struct CatalogFileItem: Codable {
    var sku: String
    var name: String
    var price: String
    var category: String?
    var product: String?
    var brand: String?
    var specs: [String: String]?
    var barcode: String?
    var description: String?
    var images: [String]?
    var video: String?
    var weight_grams: Int64?

    /// The file's form of a catalog SKU (the price as plain yuan, `12.50`).
    init(_ view: SKUView) {
        sku = view.sku
        name = view.name
        price = yuanPlain(view.price_cents)
        category = view.category
        product = view.product
    }

    init(
        sku: String, name: String, price: String, category: String?, product: String?, brand: String?,
        barcode: String?
    ) {
        (self.sku, self.name, self.price, self.category) = (sku, name, price, category)
        (self.product, self.brand, self.barcode) = (product, brand, barcode)
    }

    /// The use case's item; `row` (1-based, when the file has several) names it in the error.
    func item(row: Int?) throws(NodeError) -> CatalogItem {
        guard let money = Money(parsing: price) else {
            let at = row.map { "row \($0): " } ?? ""
            throw NodeError(
                .invalidInput,
                "\(at)price '\(price)' of \(sku) is not an amount in yuan with at most two decimals (e.g. 12.50)")
        }
        return CatalogItem(
            sku: sku, name: name, price: money, category: category, product: product, brand: brand, specs: specs,
            barcode: barcode, description: description, images: images, video: video, weight_grams: weight_grams)
    }

    /// The items of a file, all parsed before any is written.
    static func items(_ rows: [CatalogFileItem]) throws(NodeError) -> [CatalogItem] {
        var items: [CatalogItem] = []
        for (i, row) in rows.enumerated() { items.append(try row.item(row: rows.count > 1 ? i + 1 : nil)) }
        return items
    }
}
