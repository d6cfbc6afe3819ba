import CWalWrites
import Foundation
import GRDB
import GRDBSQLite

/// SQLite appends each WAL frame in two system calls (header, then page): ~40 a sale. The
/// VFS in `Sources/CWalWrites` hands a commit's frames to the kernel in one call, with the
/// same bytes at the same offsets, before the commit returns (its comment says why that
/// keeps every guarantee). Registered once, as the default VFS, before the first node
/// database opens.
enum WALWrites {
    /// The VFS's name, for a connection that asks for it explicitly.
    static let vfsName = FENXIAO_WAL_WRITES_VFS

    /// Whether the VFS is in use. `FENXIAO_WAL_WRITES=plain` keeps SQLite's own VFS (for
    /// comparing the two: README, Performance). The same C file turns SQLite's memory
    /// statistics off when the program loads (`FENXIAO_SQLITE_MEMSTATUS=on` keeps them).
    static let installed: Bool = {
        if ProcessInfo.processInfo.environment["FENXIAO_WAL_WRITES"] == "plain" { return false }
        return fenxiao_wal_writes_register(1) == SQLITE_OK
    }()

    /// The file of `db`'s main database, as SQLite names it ("" in memory).
    static func databasePath(_ db: Database) -> String {
        guard let main = sqlite3_db_filename(db.sqliteConnection, "main") else { return "" }
        return String(cString: main)
    }

    /// The WAL file of `db`'s main database, as SQLite names it.
    static func walPath(_ db: Database) -> String { databasePath(db) + "-wal" }

    /// Calls SQLite made to the WAL files open under `walPath` and calls they made to the
    /// disk's VFS (all connections together), and how many such files are open.
    static func counts(walPath: String) -> (files: Int, writes: Int64, flushes: Int64) {
        var writes: Int64 = 0
        var flushes: Int64 = 0
        let files = fenxiao_wal_writes_counts(walPath, &writes, &flushes)
        return (Int(files), writes, flushes)
    }

    /// Test hook: the next flush of each WAL file open under `walPath` fails as a failing
    /// disk would. Returns how many files it armed.
    @discardableResult
    static func failNextFlush(walPath: String) -> Int { Int(fenxiao_wal_writes_fail_next_flush(walPath)) }
}
