/// The root a conflict record is filed under: the derived value whose recomputation writes it
/// (and replaces every record under it). One spelling for the applier, quarantine and folding.
enum ConflictRoot {
    static func register(_ key: EntityKey) -> String { "\(key.kind):\(key.id)" }
    static func order(_ id: String) -> String { "order:\(id)" }
    static func stock(_ key: StockKey) -> String { stock(sku: key.sku, warehouse: key.warehouse) }
    static func stock(sku: String, warehouse: String) -> String { "stock:\(sku)@\(warehouse)" }
    static func ledger(_ key: LedgerKey) -> String { ledger(account: key.account, member: key.member) }
    static func ledger(account: String, member: String) -> String { "ledger:\(account):\(member)" }
    static func claim(_ key: String) -> String { "claim:\(key)" }
    static func points(_ key: PointsOrderKey) -> String { points(member: key.member, order: key.order) }
    static func points(member: String, order: String) -> String { "points:\(member):\(order)" }
}
