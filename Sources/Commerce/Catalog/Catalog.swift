/// A stock-keeping unit code, as printed on the shelf label (`TEA-01`).
public struct SKUCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// 1–64 characters from `[A-Za-z0-9._-]`.
    public init?(_ raw: String) {
        guard !raw.isEmpty, raw.utf8.count <= 64,
            raw.utf8.allSatisfy({ b in
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 46 || b == 95
            })
        else { return nil }
        rawValue = raw
    }
    public var description: String { rawValue }
    public static func < (a: SKUCode, b: SKUCode) -> Bool { a.rawValue < b.rawValue }
}

/// A sellable item: one spec combination of a product with its own price.
public struct SKU: Equatable, Sendable, Codable {
    public var code: SKUCode
    public var product: String
    public var name: String
    public var price: Money
    /// Spec values, e.g. `["size": "L", "colour": "red"]`.
    public var specs: [String: String]
    public var category: CategoryPath?
    public var onShelf: Bool

    public init(
        code: SKUCode, product: String, name: String, price: Money, specs: [String: String] = [:],
        category: CategoryPath? = nil, onShelf: Bool = true
    ) {
        self.code = code
        self.product = product
        self.name = name
        self.price = price
        self.specs = specs
        self.category = category
        self.onShelf = onShelf
    }
}

/// A product groups the SKUs of its specs (size × colour) under one name and category.
public struct Product: Equatable, Sendable, Codable {
    public var id: String
    public var name: String
    public var brand: String?
    public var category: CategoryPath?

    public init(id: String, name: String, brand: String? = nil, category: CategoryPath? = nil) {
        self.id = id
        self.name = name
        self.brand = brand
        self.category = category
    }

    /// Expands spec options (e.g. size: [S, M], colour: [red, blue]) into every combination,
    /// in a stable order (spec names sorted, option order kept).
    public static func expand(specs: [String: [String]]) -> [[String: String]] {
        var combos: [[String: String]] = [[:]]
        for name in specs.keys.sorted() {
            let options = specs[name] ?? []
            combos = combos.flatMap { combo in
                options.map { option in combo.merging([name: option]) { $1 } }
            }
        }
        return combos
    }
}

/// A path in the category tree, e.g. `Drinks/Tea/Green`. Any depth; each level is an id.
public struct CategoryPath: Hashable, Sendable, Codable, CustomStringConvertible {
    public let levels: [String]

    /// Parses `A/B/C`; empty levels or more than 16 levels are refused.
    public init?(_ text: String) {
        let levels = text.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).trimmingWhitespace()
        }
        guard !levels.isEmpty, levels.count <= 16, levels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
            return nil
        }
        self.levels = levels
    }

    public var description: String { levels.joined(separator: "/") }
    /// Every ancestor path including this one, root first: `A`, `A/B`, `A/B/C`.
    public var ancestry: [String] {
        (1...levels.count).map { levels.prefix($0).joined(separator: "/") }
    }
    public var parent: String? { levels.count > 1 ? levels.dropLast().joined(separator: "/") : nil }
}
