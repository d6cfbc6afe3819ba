import GRDB
import GRDBSQLite

/// An `INSERT` of many rows a statement, run in statements of up to ``rowsPerStatement`` rows.
///
/// Why: for each execution SQLite resets and binds a statement and opens and closes the
/// table's b-tree cursors; a statement of 64 rows does that once for all of them (the log's
/// rows, a received batch's order lines and payments: ``LogRowsAhead``, ``RecordRowsAhead``).
/// The texts for 1…``rowsPerStatement`` rows are built once, when the insert is made: keep it
/// in a `static let`, since the writer's statement shelf finds a statement by where its text lives.
struct MultiRowInsert: Sendable {
    static let rowsPerStatement = 64

    /// The statement for `n` rows at index `n`.
    let statements: [String]
    /// Most bytes of texts a statement binds in place (a larger text is bound with SQLite's copy).
    let arenaBytes: Int

    /// `head` is the statement up to and including `VALUES `; each row has `columns` parameters.
    init(_ head: String, columns: Int, arenaBytes: Int) {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        statements = (0...Self.rowsPerStatement).map {
            head + Array(repeating: row, count: max($0, 1)).joined(separator: ", ")
        }
        self.arenaBytes = arenaBytes
    }

    /// Inserts rows `0..<count` in order: `bind` binds row `i`; `chunk` hears of each
    /// statement's rows, how many it inserted, and its handle.
    func run(
        count: Int, db: Database, bind: (inout SQLBinder, Int) -> Void,
        chunk: (Range<Int>, Int, OpaquePointer) throws -> Void = { _, _, _ in }
    ) throws {
        guard count > 0 else { return }
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: min(arenaBytes, 512 * count), alignment: 1)
        defer { arena.deallocate() }
        var start = 0
        while start < count {
            let end = min(count, start + Self.rowsPerStatement)
            let handle = try db.scanRows(
                statements[end - start], arena: arena, { binder in for i in start..<end { bind(&binder, i) } },
                until: { _ in true })
            try chunk(start..<end, Int(sqlite3_changes(sqlite3_db_handle(handle))), handle)
            start = end
        }
    }
}
