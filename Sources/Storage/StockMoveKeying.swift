import GRDB

/// Stock movements enter the `(sku, warehouse, hlc)` index in batches (schema 29): a new
/// movement is written with `keyed = 0`, found through the small `stock_moves_unkeyed` index,
/// and ``keyAll(_:)`` moves the unkeyed ones into the key index a few thousand at a time, where
/// many share a page — one movement a page was 42 % of what central wrote per pushed batch.
///
/// Which movements are keyed is local and physical: it never changes a result. Every read of
/// one key's movements takes both halves (``byKey(_:where:orderBy:)``); the state hash, the
/// snapshot and the wire do not know the column.
enum StockMoveKeying {
    /// Unkeyed movements that make the next batch key them all.
    static let batch = 4_096
    /// Received changes that make one transaction write its movements keyed at once: a batch
    /// this large shares the key index's pages by itself, without the unkeyed stage.
    static let directBatch = 2_000

    /// A `SELECT columns` over alias `m` of the movements with `m.sku = ?1 AND
    /// m.warehouse = ?2` (or only `m.sku = ?1` when `warehouse` is false) and `condition`,
    /// from the key index and from the unkeyed rows; `orderBy` names result columns.
    static func byKey(
        _ columns: String, warehouse: Bool = true, where condition: String = "", orderBy: String? = nil
    ) -> String {
        let key = warehouse ? "m.sku = ?1 AND m.warehouse = ?2" : "m.sku = ?1"
        let extra = condition.isEmpty ? "" : " AND \(condition)"
        let half = { (keyed: Int) in "SELECT \(columns) FROM stock_moves m WHERE m.keyed = \(keyed) AND \(key)\(extra)"
        }
        return half(1) + " UNION ALL " + half(0) + (orderBy.map { " ORDER BY \($0)" } ?? "")
    }

    /// Keys every unkeyed movement when there are at least ``batch`` of them; returns how many
    /// it keyed. Reads at most `batch` index entries to decide.
    @discardableResult
    static func keyIfDue(_ db: Database) throws -> Int {
        try waiting(db) >= batch ? try keyAll(db) : 0
    }

    /// The unkeyed movements, counted up to ``batch`` (reads at most that many index entries).
    static func waiting(_ db: Database) throws -> Int {
        Int(
            try db.firstRow(
                "SELECT COUNT(*) FROM (SELECT 1 FROM stock_moves WHERE keyed = 0 LIMIT ?)", { $0(Int64(batch)) }
            ) { $0.int64(0) } ?? 0)
    }

    /// Moves every unkeyed movement into the key index.
    @discardableResult
    static func keyAll(_ db: Database) throws -> Int {
        try db.step("UPDATE stock_moves SET keyed = 1 WHERE keyed = 0") { _ in }
    }
}
