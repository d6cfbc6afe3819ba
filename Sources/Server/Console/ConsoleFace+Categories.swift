import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/categories`: the category tree with each category's products; add a category
/// (`Catalog.addCategory`), rename, move or retire one (`fenxiao catalog category`, the same
/// `editCategory` use case). Paths hold `/`, so they travel in the form.
extension ConsoleFace {
    func addCategoryRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/categories") { request, _ in
            try await catalogScreen(request, .products) { signed in
                let t = ConsoleText.catalog(signed.language)
                let tree = try signed.node.catalog.categories()
                let rows: [[String: Any]] = tree.map { c in
                    [
                        "path": c.path, "name": c.name, "indent": String(repeating: "　", count: c.depth),
                        "parent": c.parent ?? "—", "retired": c.retired, "products": c.products,
                        "productsHref": "/console/products?category=\(Self.queryValue(c.path))",
                    ]
                }
                let context: [String: Any] = [
                    "t": t, "csrf": signed.session.csrf, "empty": rows.isEmpty, "categories": rows,
                    "paths": tree.filter { !$0.retired }.map(\.path),
                ]
                return page(request, signed, .products, title: t["cat_categories"] ?? "") {
                    ConsoleTemplates.render("categories", context)
                }
            }
        }
        router.post("/console/categories") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                _ = try signed.node.catalog.addCategory(
                    path: try f.required("path", max: 1000), name: try f.optional("name", max: 64))
                return "/console/categories"
            }
        }
        router.post("/console/categories/edit") { request, _ in
            try await catalogAction(request, .products) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let path = try f.required("path", max: 1000)
                let rename = try f.optional("rename", max: 64)
                let parent = try f.optional("parent", max: 1000)
                let retire = form["retire"] == "1"
                guard rename != nil || parent != nil || retire else {
                    throw f.refuse(
                        "rename", zh: "请填写新名称、选择新的上级分类，或停用", en: "give a new name, a new parent, or retire it")
                }
                _ = try signed.node.catalog.editCategory(path: path, rename: rename, retire: retire, parent: parent)
                return "/console/categories"
            }
        }
    }
}
