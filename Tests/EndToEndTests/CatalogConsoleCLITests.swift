import FenxiaoTesting
import Foundation
import Testing

/// The CLI faces of the use cases the console's catalog and marketing screens added:
/// `catalog category-add`, `catalog images`, `catalog products` and `report promotions`.
@Suite struct CatalogConsoleCLITests {
    @Test func categoriesImagesProductsAndThePromotionReport() throws {
        try withTempDirectory("catalog-console-cli") { dir in
            let c = dir.sub("c")
            func run(_ args: [String]) throws -> FenxiaoBinary.Output {
                try FenxiaoBinary.run(args + ["--data", c])
            }
            _ = try run(["init", "--role", "central", "--node", "central"])
            _ = try run(["catalog", "add-product", "--sku", "MUG-01", "--name", "Mug", "--price", "45"])
            let category = try run(["catalog", "category-add", "--path", "Drinks/Coffee", "--name", "咖啡", "--json"])
            #expect(category.json?["path"] as? String == "Drinks/Coffee", "\(category.stderr)")
            #expect(category.json?["name"] as? String == "咖啡")
            let again = try run(["catalog", "category-add", "--path", "Drinks/Coffee"])
            #expect(again.status == 4, "a category that exists is refused by a business rule")
            _ = try run(["catalog", "images", "--product", "MUG-01", "--image", "https://img.example.com/mug.png"])
            let products = try run(["catalog", "products", "--query", "mug", "--json"])
            let mug = (products.json?["products"] as? [[String: Any]])?.first
            #expect(mug?["images"] as? [String] == ["https://img.example.com/mug.png"], "\(products.stderr)")
            #expect((mug?["skus"] as? [[String: Any]])?.first?["price_cents"] as? Int == 4500)
            _ = try run(["stock", "receive", "--sku", "MUG-01", "--qty", "10"])
            _ = try run(["promo", "add", "--id", "MJ", "--name", "满100减10", "--spend-save", "100:10"])
            _ = try run(["order", "create", "--line", "MUG-01:3", "--pay", "card"])
            let report = try run(["report", "promotions", "--json"])
            let row = (report.json?["rows"] as? [[String: Any]])?.first { $0["id"] as? String == "MJ" }
            #expect(row?["orders"] as? Int == 1, "\(report.stderr)")
            #expect(row?["discount_cents"] as? Int == 1000)
            #expect(row?["net_cents"] as? Int == 12500)
        }
    }
}
