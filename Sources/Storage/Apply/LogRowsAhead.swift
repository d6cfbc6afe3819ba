import GRDB
import Replication

/// A received batch's `change_log` rows, written before its changes are applied: a few
/// multi-row `INSERT OR IGNORE … RETURNING` statements instead of one statement a change.
///
/// Why: the log row was the largest statement of central's apply (a third of its SQLite
/// time). SQLite opens and closes the log's three b-tree cursors, resets the statement and
/// binds it for each execution; a statement of many rows does that once for all of them.
///
/// Same result as inserting each change's row as it is applied: `RETURNING` names the rows
/// that were new (a row already held, or a second copy of a change in the batch, is ignored
/// and not returned), ``ChangeApplier/apply(_:)`` takes each change's answer from that set,
/// and nothing applying a change reads the log before ``ChangeApplier/finish()`` (which reads
/// the histories of registers and orders, complete either way). Rows get their `pos` in the
/// batch's order, as before.
struct LogRowsAhead {
    /// The changes whose rows this batch inserted, by origin and seq.
    private var new: Set<Key> = []

    struct Key: Hashable {
        let origin: NodeID
        let seq: Int64
    }

    /// Rows per statement (9 parameters each).
    static let rowsPerStatement = 64
    /// Bytes of texts a statement binds in place (larger texts are bound with SQLite's copy).
    static let arenaBytes = 64 * 1024

    /// The statement for `rows` rows (1…``rowsPerStatement``), one text each, built once:
    /// the writer's statement shelf finds a statement by where its text lives.
    static let statements: [String] = (0...rowsPerStatement).map { rows in
        "INSERT OR IGNORE INTO change_log(origin, seq, hlc, kind, entity, op, fields, ctx, scope) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: max(rows, 1)).joined(separator: ", ")
            + " RETURNING origin, seq"
    }

    /// Inserts the rows of `batch`; remembers which were new.
    init(_ batch: UnsafeBufferPointer<ChangeRecord>, db: Database) throws {
        new.reserveCapacity(batch.count)
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.arenaBytes, alignment: 1)
        defer { arena.deallocate() }
        var start = batch.startIndex
        while start < batch.endIndex {
            let end = min(batch.endIndex, start + Self.rowsPerStatement)
            try db.scanRows(
                Self.statements[end - start], arena: arena,
                { bind in
                    for i in start..<end {
                        let c = batch[i]
                        bind(c.origin.rawValue)
                        bind(c.seq)
                        bind(c.hlc.rawValue)
                        bind(c.kind.rawValue)
                        bind(c.entity)
                        bind(c.op.rawValue)
                        bind(c.canonicalFields)
                        bind(c.canonicalContext)
                        bind(c.scope.description)
                    }
                },
                until: { row in
                    if let origin = NodeID(row.text(0)) { new.insert(Key(origin: origin, seq: row.int64(1))) }
                    return true
                })
            start = end
        }
    }

    /// Whether `c`'s row was new in this batch; its first copy takes the answer.
    mutating func takeNew(_ c: ChangeRecord) -> Bool {
        new.remove(Key(origin: c.origin, seq: c.seq)) != nil
    }
}
