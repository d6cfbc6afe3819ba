import Commerce
import Foundation
import Replication
import Storage

/// A category as the tree shows it.
public struct CategoryView: Sendable, Equatable, Codable {
    /// Its path, the key products use (`Drinks/Tea`).
    public var path: String
    /// The display name (the last level of the path unless renamed).
    public var name: String
    /// The parent's path; nil at the top.
    public var parent: String?
    public var retired: Bool
    /// How deep it sits under the top (0 at the top), following parents as moved.
    public var depth: Int
    /// Products in this category or below it.
    public var products: Int
}

extension Catalog {
    /// The category tree, depth first: each category followed by its children, by name.
    public func categories() throws(NodeError) -> [CategoryView] {
        try read { r in
            var productCount: [String: Int] = [:]
            var seen = Set<String>()
            for (id, fields) in try r.registers(.sku) {
                let s = try SKURegister(fields: fields)
                guard let c = s.category, seen.insert(s.product ?? id).inserted else { continue }
                productCount[c, default: 0] += 1
            }
            var all: [String: CategoryRegister] = [:]
            for (path, fields) in try r.registers(.category) { all[path] = try CategoryRegister(fields: fields) }
            var children: [String?: [String]] = [:]
            for (path, c) in all {
                // A parent that is not a category (never expected) puts the child at the top.
                let parent = c.parent.flatMap { all[$0] == nil ? nil : $0 }
                children[parent, default: []].append(path)
            }
            var out: [CategoryView] = []
            func visit(_ parent: String?, depth: Int) {
                let kids = (children[parent] ?? []).sorted {
                    (all[$0]?.name ?? $0, $0) < (all[$1]?.name ?? $1, $1)
                }
                for path in kids where !out.contains(where: { $0.path == path }) && depth < 32 {
                    let c = all[path]
                    out.append(
                        CategoryView(
                            path: path, name: c?.name ?? path, parent: c?.parent, retired: c?.retired ?? false,
                            depth: depth,
                            products: productCount.filter { $0.key == path || $0.key.hasPrefix(path + "/") }.values
                                .reduce(0, +)))
                    visit(path, depth: depth + 1)
                }
            }
            visit(nil, depth: 0)
            return out
        }
    }

    /// Adds a category at `path` (`Drinks/Tea`) with its missing ancestors (central only); a
    /// category that exists already is a conflict.
    public func addCategory(path text: String, name: String? = nil) throws(NodeError) -> CategoryView {
        try requireCentral("editing categories")
        guard let path = CategoryPath(text) else {
            throw NodeError(
                .invalidInput,
                "\(BrowseField.category) '\(text)' must look like Drinks/Tea (no empty levels, 1–16 levels)")
        }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.utf8.count > 64 {
            throw NodeError(.invalidInput, "\(Field.name) of a category must be 1–64 bytes")
        }
        let key = path.description
        try write(.manageCatalog, "category.add", subject: key) { tx in
            guard try tx.reader.register(.category, key) == nil else {
                throw NodeError(.conflict, "category \(key) exists already; rename or move it instead")
            }
            for (depth, ancestor) in path.ancestry.enumerated()
            where try tx.flushed().register(.category, ancestor) == nil {
                let level = ancestor == key ? (name ?? path.levels[depth]) : path.levels[depth]
                try tx.emit(
                    CategoryRegister.created(name: level, parent: depth == 0 ? nil : path.ancestry[depth - 1]),
                    entity: ancestor, scope: .global)
            }
        }
        guard let view = try categories().first(where: { $0.path == key }) else {
            throw NodeError(.notFound, "category \(key) was not stored")
        }
        return view
    }
}
