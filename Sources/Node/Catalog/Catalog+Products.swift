import Commerce
import Foundation
import Replication
import Storage

extension Catalog {
    /// Expands a product with specs (size × colour…) into one SKU per combination:
    /// `TSHIRT` with size S,M and colour red,blue gives `TSHIRT-S-red`, `TSHIRT-S-blue`, …,
    /// each with the product's price (change one with `catalog set-price`).
    public func addProductWithSpecs(
        product: String, name: String, price: Money, category: String?, brand: String?, specs: [String: [String]]
    ) throws(NodeError) -> [SKUView] {
        guard !specs.isEmpty, specs.values.allSatisfy({ !$0.isEmpty }) else {
            throw NodeError(.invalidInput, "give specs as \(Field.spec) size=S,M,L (each with at least one value)")
        }
        let combos = Product.expand(specs: specs)
        guard combos.count <= 500 else {
            throw NodeError(.invalidInput, "\(combos.count) combinations; at most 500 SKUs per product")
        }
        let names = specs.keys.sorted()
        let items = combos.map { combo in
            CatalogItem(
                sku: ([product] + names.compactMap { combo[$0] }).joined(separator: "-"),
                name: "\(name) (\(names.compactMap { combo[$0] }.joined(separator: ", ")))", price: price,
                category: category,
                product: product, brand: brand, specs: combo, productName: name)
        }
        return try upsert(items)
    }

    /// Renames, moves or retires a category (central only) and returns it as it now stands.
    /// Products keep their category path; the category register carries the display name, the
    /// parent and whether it is retired.
    public func editCategory(path: String, rename: String?, retire: Bool, parent: String? = nil) throws(NodeError)
        -> CategoryRegister
    {
        try requireCentral("editing categories")
        guard rename != nil || retire || parent != nil else {
            throw NodeError(.invalidInput, "give \(Field.rename) NAME, \(Field.parent) PATH or \(Field.retire)")
        }
        if let parent, parent == path || parent.hasPrefix(path + "/") {
            throw NodeError(.invalidInput, "a category cannot move under itself")
        }
        return try write(.manageCatalog, "category.edit", subject: path) { tx in
            guard try tx.reader.register(.category, path) != nil else {
                throw NodeError(.notFound, "category \(path) does not exist; paths look like Drinks/Tea")
            }
            var patch = CategoryRegister(name: rename, retired: retire ? true : nil)
            if let parent {
                guard try tx.reader.register(.category, parent) != nil else {
                    throw NodeError(.notFound, "category \(parent) does not exist")
                }
                patch.parent = parent
            }
            try tx.emit(patch, entity: path, scope: .global)
            return try tx.flushed().register(CategoryRegister.self, path) ?? patch
        }
    }

    /// Puts every SKU of a product on or off the shelf (central only).
    public func setProductOnShelf(product: String, _ onShelf: Bool) throws(NodeError) -> [SKUView] {
        try requireCentral("changing the shelf")
        return try write(.manageCatalog, "catalog.shelf", subject: product) { tx in
            let skus = try tx.reader.registers(.sku).filter { try SKURegister(fields: $0.fields).product == product }
            guard !skus.isEmpty else { throw NodeError(.notFound, "product \(product) has no SKUs in the catalog") }
            for s in skus { try tx.emit(SKURegister(onShelf: onShelf), entity: s.id, scope: .global) }
            let r = try tx.flushed()
            return try skus.map { try Self.requireSKU($0.id, r) }
        }
    }
}
