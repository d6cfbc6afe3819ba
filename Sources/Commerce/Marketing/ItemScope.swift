/// Which cart lines a rule or coupon covers: listed SKUs and/or categories.
///
/// A line is in scope when its SKU is listed or its category is one of the listed categories or
/// below one of them (`Drinks` covers `Drinks/Tea/Green`). An empty scope covers every line.
/// Categories are written as `CategoryPath.description` prints them (`Drinks/Tea`).
public struct ItemScope: Sendable, Equatable, Codable {
    public var skus: [String]
    public var categories: [String]

    public init(skus: [String] = [], categories: [String] = []) {
        self.skus = skus
        self.categories = categories
    }

    /// Every line.
    public static let all = ItemScope()

    /// Exactly these SKUs.
    public static func skus(_ skus: String...) -> ItemScope { ItemScope(skus: skus) }

    /// These categories and everything below them.
    public static func categories(_ categories: String...) -> ItemScope { ItemScope(categories: categories) }

    /// True when nothing is listed, so every line is covered.
    public var coversEverything: Bool { skus.isEmpty && categories.isEmpty }

    /// Whether a line with this SKU and category is covered.
    public func contains(sku: String, category: CategoryPath?) -> Bool {
        if coversEverything || skus.contains(sku) { return true }
        guard let category, !categories.isEmpty else { return false }
        let ancestry = category.ancestry
        return categories.contains { ancestry.contains($0) }
    }
}
