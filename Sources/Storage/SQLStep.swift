import GRDB
import GRDBSQLite
import Replication

/// Runs one of GRDB's cached statements through SQLite's C API: values are bound by position
/// with their static type and result columns are read by index.
///
/// Why: on the apply path (a dozen statements per change, at stores and at central) GRDB's
/// `execute(arguments:)` boxes every argument in an existential and `Row` finds each column by
/// its lowercased name; the profile showed those costing more than SQLite's own work for the
/// same statements. Same SQL, same bound values (strings as GRDB binds them, booleans as 0/1),
/// same errors (a `DatabaseError` with SQLite's code, so `NodeStore.mapErrors` is unchanged).
///
/// Use it only for statements written for it: the statement is reset and its bindings are
/// cleared before and after each use, so GRDB's own calls on the same SQL rebind everything.
extension Database {
    /// Runs `body` with a subquery (`SELECT id FROM temp.…`) giving exactly `ids`, kept in a
    /// temporary table for the call: for folding a set of rows into `hash_folds` and deleting
    /// them by one condition.
    func withTemporaryIDs<T>(_ ids: [String], _ body: (String) throws -> T) throws -> T {
        try execute(sql: "CREATE TEMP TABLE IF NOT EXISTS folded_ids(id TEXT PRIMARY KEY)")
        try execute(sql: "DELETE FROM temp.folded_ids")
        for id in ids { _ = try step("INSERT INTO temp.folded_ids(id) VALUES (?)") { $0(id) } }
        let result = try body("SELECT id FROM temp.folded_ids")
        try execute(sql: "DELETE FROM temp.folded_ids")
        return result
    }

    /// Executes `sql` once with the values `bind` sets, in order; returns the rows it changed.
    @discardableResult
    func step(_ sql: String, _ bind: (inout SQLBinder) -> Void) throws -> Int {
        let handle = try scanRows(sql, bind) { _ in true }
        // Read from SQLite directly: GRDB's `changesCount` first checks that it runs on the
        // connection's queue, a cost of its own on the sales path.
        return Int(sqlite3_changes(sqlite3_db_handle(handle)))
    }

    /// Calls `row` for each result row of `sql` run with the values `bind` sets, in order.
    func eachRow(_ sql: String, _ bind: (inout SQLBinder) -> Void, _ row: (SQLColumns) throws -> Void) throws {
        try scanRows(
            sql, bind,
            until: { columns in
                try row(columns)
                return true
            })
    }

    /// Like ``eachRow(_:_:_:)``, but stops stepping as soon as `row` returns false. Returns
    /// the statement's handle (reset, still prepared).
    @discardableResult
    func scanRows(
        _ sql: String, _ bind: (inout SQLBinder) -> Void, until row: (SQLColumns) throws -> Bool
    ) throws -> OpaquePointer {
        // Texts are copied onto this stack buffer and bound where they are (`SQLITE_STATIC`):
        // they stay bound only while it lives, so the statement runs, is reset and is cleared
        // in here.
        try withUnsafeTemporaryAllocation(byteCount: SQLBinder.arenaBytes, alignment: 1) { arena in
            try scanRows(sql, arena: arena, bind, until: row)
        }
    }

    /// ``scanRows(_:_:until:)`` with the caller's `arena` for the texts it binds (a statement
    /// of many rows binds more than the stack buffer holds).
    @discardableResult
    func scanRows(
        _ sql: String, arena: UnsafeMutableRawBufferPointer, _ bind: (inout SQLBinder) -> Void,
        until row: (SQLColumns) throws -> Bool
    ) throws -> OpaquePointer {
        let statement = try self.statement(sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var binder = SQLBinder(handle: handle, arena: arena)
        bind(&binder)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return handle }
            guard code == SQLITE_ROW else { throw failure(code, sql: sql) }
            guard try row(SQLColumns(handle: handle)) else { return handle }
        }
    }

    /// The first result row of `sql` read by `read`, or nil when there is none.
    func firstRow<T>(_ sql: String, _ bind: (inout SQLBinder) -> Void, _ read: (SQLColumns) throws -> T) throws -> T? {
        var found: T?
        try eachRow(sql, bind) { row in
            if found == nil { found = try read(row) }
        }
        return found
    }

    private func failure(_ code: CInt, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: lastErrorMessage, sql: sql)
    }
}

/// Binds the `?` parameters of a statement in order (see ``Database/step(_:_:)``).
///
/// A text is copied into the caller's arena and bound where it is (`SQLITE_STATIC`); with
/// `SQLITE_TRANSIENT` SQLite allocated, copied and later freed every text parameter, ~8 % of
/// central's apply. A text that no longer fits the arena is bound with SQLite's own copy.
struct SQLBinder {
    /// The arena `Database.scanRows` gives each statement: a change's texts fit. Up to 1 KiB
    /// Swift always takes it from the stack; a larger one it first asks about and, measured
    /// here, got from the heap (`posix_memalign`, 0.5 % of a sale at 2 KiB).
    static let arenaBytes = 1_024

    let handle: OpaquePointer
    var index: CInt = 1
    private let arena: UnsafeMutableRawBufferPointer
    private var used = 0

    init(handle: OpaquePointer, arena: UnsafeMutableRawBufferPointer) {
        self.handle = handle
        self.arena = arena
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    /// SQLite reads the bytes where they are until the statement is reset and its bindings cleared.
    private static let isStatic = unsafeBitCast(OpaquePointer(bitPattern: 0), to: sqlite3_destructor_type.self)

    mutating func callAsFunction(_ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
        index += 1
    }

    mutating func callAsFunction(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    /// A boolean as GRDB stores it: 1 or 0.
    mutating func callAsFunction(_ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
        index += 1
    }

    mutating func callAsFunction(_ value: String) {
        bindText(value)
        index += 1
    }

    /// Binds `value`'s UTF-8 bytes with their length. Passing the `String` itself as a C string
    /// copies every small string (up to 15 bytes: most ids) into a new heap array first.
    private mutating func bindText(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            guard let source = bytes.baseAddress, !bytes.isEmpty else {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)  // "" (a nil pointer is NULL)
                return
            }
            guard let base = arena.baseAddress, used + bytes.count <= arena.count else {
                sqlite3_bind_text(handle, index, source, CInt(bytes.count), Self.transient)
                return
            }
            let target = base + used
            target.copyMemory(from: source, byteCount: bytes.count)
            used += bytes.count
            sqlite3_bind_text(
                handle, index, target.assumingMemoryBound(to: CChar.self), CInt(bytes.count), Self.isStatic)
        }
    }

    /// A change's stamp as three values: hlc, origin, seq (the column order of every table).
    mutating func stamp(_ stamp: ChangeStamp) {
        callAsFunction(stamp.hlc.rawValue)
        callAsFunction(stamp.origin.rawValue)
        callAsFunction(stamp.seq)
    }

    mutating func callAsFunction(_ value: String?) {
        if let value {
            bindText(value)
        } else {
            sqlite3_bind_null(handle, index)
        }
        index += 1
    }
}

/// The columns of the current result row, by index from 0 (see ``Database/eachRow(_:_:_:)``).
struct SQLColumns {
    let handle: OpaquePointer

    func int64(_ column: CInt) -> Int64 { sqlite3_column_int64(handle, column) }

    func bool(_ column: CInt) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    func isNull(_ column: CInt) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column as text ("" for NULL).
    func text(_ column: CInt) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        // The length SQLite knows (no strlen); read after the text, as SQLite asks.
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: CInt) -> String? { isNull(column) ? nil : text(column) }

    /// Appends the column's text to `out` as its bytes (nothing for NULL), without making a String.
    func appendText(_ column: CInt, to out: inout [UInt8]) {
        guard let bytes = sqlite3_column_text(handle, column) else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    func optionalInt64(_ column: CInt) -> Int64? { isNull(column) ? nil : int64(column) }
}

extension SQLColumns {
    /// The stamp in three columns from `column`: hlc, origin, seq (as `ChangeStamp(row:)` reads them).
    func stamp(at column: CInt) throws -> ChangeStamp {
        let originText = text(column + 1)
        guard let origin = NodeID(originText) else {
            throw StorageError(.corrupt, "row has an invalid origin '\(originText)'")
        }
        return ChangeStamp(hlc: HLC(rawValue: int64(column)), origin: origin, seq: int64(column + 2))
    }
}
