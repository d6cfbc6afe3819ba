import GRDB
import GRDBSQLite
import Replication

/// Log rows written many to a statement instead of one a change: a received batch's before
/// its changes are applied, a local write's when it finishes.
///
/// Why: the log row was the largest statement of central's apply (a third of its SQLite
/// time) and eight of a sale's forty (``MultiRowInsert``).
///
/// Same result as inserting each change's row as it is applied:
/// - a received batch's statements are `INSERT OR IGNORE`; when one inserted fewer rows than
///   it carried (a change held already, or a second copy in the batch), the rows it did insert
///   are read back by `pos` (SQLite gives a new row the next rowid, so they are the last ones),
///   and ``ChangeApplier/apply(_:)`` takes each change's answer from the set of new ones —
///   what `INSERT OR IGNORE` answered change by change;
/// - a local write's changes carry the node's next seqs: all must be new, or the write fails;
/// - nothing applying a change reads the log before ``ChangeApplier/finish()``, which reads the
///   histories of registers and orders after these rows are in (a received batch's) or writes
///   them first (a local write's); rows keep the batch's order in `pos`.
struct LogRowsAhead {
    /// The changes whose rows this batch inserted, by origin and seq.
    private var new: Set<Key> = []

    struct Key: Hashable {
        let origin: NodeID
        let seq: Int64
    }

    /// The log's insert (``MultiRowInsert``).
    static let insert = MultiRowInsert(
        "INSERT OR IGNORE INTO change_log(origin, seq, hlc, kind, entity, op, fields, ctx, scope) VALUES ", columns: 9,
        arenaBytes: 32 * 1024)

    /// Inserts the rows of a received `batch`; remembers which were new.
    init(_ batch: UnsafeBufferPointer<ChangeRecord>, db: Database) throws {
        var found = Set<Key>(minimumCapacity: batch.count)
        try Self.insert.run(count: batch.count, db: db, bind: { $0.logRow(batch[$1]) }) { rows, inserted, handle in
            if inserted == rows.count {
                for i in rows { found.insert(Key(origin: batch[i].origin, seq: batch[i].seq)) }
            } else if inserted > 0 {
                let last = sqlite3_last_insert_rowid(sqlite3_db_handle(handle))
                try db.eachRow(
                    "SELECT origin, seq FROM change_log WHERE pos > ? AND pos <= ?",
                    { bind in
                        bind(last - Int64(inserted))
                        bind(last)
                    }
                ) { row in
                    if let origin = NodeID(row.text(0)) { found.insert(Key(origin: origin, seq: row.int64(1))) }
                }
            }
        }
        new = found
    }

    /// Inserts the rows of a local write's `changes` (new by construction: the node's next
    /// seqs); throws if one was held already, as applying it again would be wrong.
    static func insertLocal(_ changes: [ChangeRecord], db: Database) throws {
        try changes.withUnsafeBufferPointer { batch in
            try insert.run(count: batch.count, db: db, bind: { $0.logRow(batch[$1]) }) { rows, inserted, _ in
                guard inserted == rows.count else {
                    throw StorageError(
                        .refused,
                        "this node's log already holds a change numbered like one of its new ones (from \(batch[rows.lowerBound].stamp.changeID)): "
                            + "its sequence numbers were reused (restored from an old backup?); run `fenxiao recover`"
                    )
                }
            }
        }
    }

    /// Whether `c`'s row was new in this batch (and not taken yet).
    func isNew(_ c: ChangeRecord) -> Bool { new.contains(Key(origin: c.origin, seq: c.seq)) }

    /// Whether `c`'s row was new in this batch; its first copy takes the answer.
    mutating func takeNew(_ c: ChangeRecord) -> Bool {
        new.remove(Key(origin: c.origin, seq: c.seq)) != nil
    }
}

extension SQLBinder {
    /// A change's `change_log` row, in the column order of every insert into the log:
    /// origin, seq, hlc, kind, entity, op, fields, ctx, scope.
    mutating func logRow(_ c: ChangeRecord) {
        callAsFunction(c.origin.rawValue)
        callAsFunction(c.seq)
        callAsFunction(c.hlc.rawValue)
        callAsFunction(c.kind.rawValue)
        callAsFunction(c.entity)
        callAsFunction(c.op.rawValue)
        callAsFunction(c.canonicalFields)
        callAsFunction(c.canonicalContext)
        callAsFunction(c.scope.description)
    }
}
