import Commerce
import Foundation
import Replication
import Storage

/// A SKU as the counter shows it: scanned, typed or found by name or pinyin initials.
public struct CounterItem: Sendable, Equatable, Codable {
    public var sku: String
    public var name: String
    public var price_cents: Int64
    public var barcode: String?
    public var on_shelf: Bool
    /// Units available at this node's warehouse.
    public var available: Int64
    /// The name's pinyin initials (乌龙茶 → `wlc`).
    public var initials: String
}

extension Till {
    /// The SKU with this barcode, or else this SKU code (`6901234567890`, `TEA-01`).
    public func lookup(_ code: String) throws(NodeError) -> CounterItem {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.utf8.count <= 64 else {
            throw NodeError(.invalidInput, "\(Field.code) must be a barcode or a SKU code (1–64 characters)")
        }
        let now = store.wallNow()
        return try node.read { r in
            let id = try r.sku(barcode: code) ?? code
            guard let fields = try r.register(.sku, id) else {
                throw NodeError(
                    .notFound,
                    "no SKU has barcode or code \(code); search by name, or ask head office to add the barcode to the SKU",
                    field: .code)
            }
            return try Self.item(id, fields, r, now: now)
        }
    }

    /// The order line for a scanned barcode or typed SKU code (`6901234567890`, `TEA-01`) and a
    /// quantity: the SKU the code names, checked as ``lookup(_:)`` does.
    public func resolveLine(code: String, quantity: Int64 = 1) throws(NodeError) -> LineRequest {
        LineRequest(sku: try lookup(code).sku, quantity: quantity)
    }

    /// Products whose SKU code, barcode or name contains `query`, or whose name's pinyin
    /// initials start with it (`wlc` finds 乌龙茶), on the shelf first, at most `limit`.
    public func search(_ query: String, limit: Int = 20) throws(NodeError) -> [CounterItem] {
        let q = query.trimmingCharacters(in: .whitespaces).lowercased()
        guard !q.isEmpty, q.count <= 64 else {
            throw NodeError(
                .invalidInput, "\(Field.name) to search must be 1–64 characters (a name, pinyin initials, a code)")
        }
        let now = store.wallNow()
        return try node.read { r in
            var hits: [CounterItem] = []
            for (id, fields) in try r.registers(.sku) {
                let sku = try SKURegister(fields: fields)
                let name = sku.name ?? id
                let initials = PinyinInitials.of(name)
                guard
                    id.lowercased().contains(q) || name.lowercased().contains(q) || (sku.barcode?.contains(q) ?? false)
                        || initials.hasPrefix(q)
                else { continue }
                hits.append(try Self.item(id, fields, r, now: now))
            }
            return hits.sorted { ($0.on_shelf ? 0 : 1, $0.sku) < ($1.on_shelf ? 0 : 1, $1.sku) }.prefix(
                max(1, min(limit, 200))
            ).map { $0 }
        }
    }

    static func item(_ id: String, _ fields: Fields, _ r: StoreReader, now: Int64) throws -> CounterItem {
        let sku = try SKURegister(fields: fields)
        let name = sku.name ?? id
        let warehouse = r.identity.node.rawValue
        return CounterItem(
            sku: id, name: name, price_cents: sku.price(at: now).cents, barcode: sku.barcode,
            on_shelf: sku.onShelf ?? true,
            available: try r.stockLevel(sku: id, warehouse: warehouse).available, initials: PinyinInitials.of(name))
    }
}
