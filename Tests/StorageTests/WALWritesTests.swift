import FenxiaoTesting
import Foundation
import GRDB
import GRDBSQLite
import Replication
import Testing

@testable import Storage

/// The VFS that writes a WAL commit in one system call (`Sources/CWalWrites`): it must put
/// the same frames in the file as SQLite's own VFS, each commit whole before it returns, and
/// a failed write must fail the commit and change nothing.
@Suite struct WALWritesTests {
    static let node = WriterCacheTests.node
    // A store with member M1, renamed by local writes (as in `WriterCacheTests`).
    static let open = WriterCacheTests.open
    static let rename = WriterCacheTests.rename

    /// M1's name as a reader connection sees it (what is committed).
    static func name(_ store: NodeStore) throws -> String? {
        try store.read { r in try r.register(.member, "M1")?["name"]?.stringValue }
    }

    @Test func eachCommitReachesTheFileInOneCall() throws {
        #expect(WALWrites.installed, "node databases must open through the WAL-writes VFS")
        let dir = TempDirectory("wal-writes-one-call")
        defer { dir.remove() }
        let clock = ManualClock(1_800_000_000_000)
        let store = try Self.open(dir, clock)
        try Self.rename(store, "A")
        let wal = try store.pool.read { WALWrites.walPath($0) }
        let before = WALWrites.counts(walPath: wal)
        #expect(before.files >= 1)
        for i in 0..<10 {
            clock.advance(millis: 1)
            try Self.rename(store, "N\(i)")
        }
        let after = WALWrites.counts(walPath: wal)
        // Every commit dirties several pages (log, register, history, version vector…):
        // SQLite writes each frame in two calls, the VFS hands each commit over in one.
        #expect(after.writes - before.writes >= 10 * 2 * 3)
        #expect(after.flushes - before.flushes == 10)
        #expect(try Self.name(store) == "N9")
    }

    /// SQLite's memory statistics are off from the program's start (`wal_writes.c`): with them
    /// on, every allocation of any connection is counted under a process-wide mutex.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let dir = TempDirectory("wal-writes-memstatus")
        defer { dir.remove() }
        let store = try Self.open(dir, ManualClock(1_800_000_000_000))
        try Self.rename(store, "A")
        #expect(try Self.name(store) == "A")
        #expect(sqlite3_memory_used() == 0, "allocations are counted: SQLITE_CONFIG_MEMSTATUS is on")
    }

    @Test func aFailedWriteFailsTheCommitAndChangesNothing() throws {
        let dir = TempDirectory("wal-writes-failure")
        defer { dir.remove() }
        let clock = ManualClock(1_800_000_000_000)
        let store = try Self.open(dir, clock)
        try Self.rename(store, "A")
        let wal = try store.pool.read { WALWrites.walPath($0) }
        let seq = try store.read { r in try Meta.clockAndLastSeq(r.db, node: Self.node).1 }
        #expect(WALWrites.failNextFlush(walPath: wal) >= 1)
        clock.advance(millis: 1)
        #expect(throws: StorageError.self) { try Self.rename(store, "B") }
        #expect(try Self.name(store) == "A")
        #expect(try store.read { r in try Meta.clockAndLastSeq(r.db, node: Self.node).1 } == seq)
        // The node goes on: the next write commits, and another process on the file sees it.
        clock.advance(millis: 1)
        try Self.rename(store, "C")
        #expect(try Self.name(store) == "C")
        let other = try NodeStore.open(directory: dir.sub("s1"), wallClock: { clock.now() })
        #expect(try Self.name(other) == "C")
        #expect(try other.read { r in try Meta.clockAndLastSeq(r.db, node: Self.node).1 } == seq + 1)
        try other.quickCheck()
    }

    /// The same statements through SQLite's own VFS and through this one leave the same
    /// frames (page number, commit size, page bytes) in the same order; salts and checksums
    /// are random per WAL and not compared. Covers commits larger than the VFS's buffer,
    /// a rolled-back transaction and pages rewritten within a transaction (a tiny cache spills).
    @Test func framesAreThoseOfSQLitesOwnVFS() throws {
        let dir = TempDirectory("wal-writes-frames")
        defer { dir.remove() }
        _ = WALWrites.installed
        let plain = try RawConnection(path: dir.sub("plain.sqlite"), vfs: "unix")
        let shim = try RawConnection(path: dir.sub("shim.sqlite"), vfs: WALWrites.vfsName)
        var generator = SplitMix(seed: 7)
        var script = [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA wal_autocheckpoint=0",
            "PRAGMA cache_size=4",
            "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB)", "CREATE INDEX t_v ON t(v)",
        ]
        for round in 0..<40 {
            script.append(round % 7 == 3 ? "BEGIN" : "BEGIN IMMEDIATE")
            for _ in 0..<(1 + generator.next() % 30) {
                let id = generator.next() % 500
                let size = generator.next() % 3_000
                script.append(
                    "INSERT OR REPLACE INTO t(id, v, b) VALUES (\(id), 'v\(generator.next() % 10_000)', zeroblob(\(size)))"
                )
            }
            if round % 5 == 0 { script.append("UPDATE t SET b = zeroblob(300000) WHERE id = (SELECT max(id) FROM t)") }
            if round % 9 == 4 { script.append("DELETE FROM t WHERE id % 3 = \(round % 3)") }
            script.append(round % 7 == 3 ? "ROLLBACK" : "COMMIT")
        }
        let content = "SELECT group_concat(id || ':' || v || ':' || length(b)) FROM t"
        for sql in script {
            try plain.execute(sql)
            try shim.execute(sql)
            guard sql == "COMMIT" else { continue }
            // A kill right after the commit returned: a copy of the files as they are (no
            // wal-index) must recover exactly what the same commit gave through SQLite's VFS.
            #expect(try Self.recoveredCopy(of: dir.sub("shim.sqlite"), in: dir, content) == plain.text(content))
        }
        let plainFrames = try WALFrames(path: dir.sub("plain.sqlite-wal"))
        let shimFrames = try WALFrames(path: dir.sub("shim.sqlite-wal"))
        #expect(plainFrames.frames.count > 500, "the script should write many frames")
        #expect(plainFrames.pageSize == shimFrames.pageSize)
        #expect(plainFrames.frames.count == shimFrames.frames.count)
        #expect(plainFrames.frames == shimFrames.frames)
        // Through the VFS, not around it (with a cache of 4 pages most calls are reads of
        // spilled pages, each after a flush: `eachCommitReachesTheFileInOneCall` counts calls).
        #expect(WALWrites.counts(walPath: dir.sub("shim.sqlite-wal")).writes >= plainFrames.frames.count)
        #expect(try plain.text(content) == shim.text(content))
        #expect(try shim.text("PRAGMA integrity_check") == "ok")
    }
}

extension WALWritesTests {
    /// Copies `file` and its WAL (not its wal-index, as after a crash) and reads `sql` from
    /// the copy through SQLite's own VFS: SQLite rebuilds the index from the WAL's frames,
    /// keeping only those whose checksums hold.
    static func recoveredCopy(of file: String, in dir: TempDirectory, _ sql: String) throws -> String? {
        let fm = FileManager.default
        let copy = dir.sub("crash.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: copy + suffix) }
        try fm.copyItem(atPath: file, toPath: copy)
        if fm.fileExists(atPath: file + "-wal") { try fm.copyItem(atPath: file + "-wal", toPath: copy + "-wal") }
        return try RawConnection(path: copy, vfs: "unix").text(sql)
    }
}

/// A connection through SQLite's C API on a chosen VFS (GRDB opens with the default one).
private final class RawConnection {
    let handle: OpaquePointer

    init(path: String, vfs: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs)
        guard code == SQLITE_OK, let handle else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        self.handle = handle
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)))
        }
    }

    func text(_ sql: String) throws -> String? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw DatabaseError(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
        return String(cString: text)
    }
}

/// The frames of a WAL file: page number, database size after commit (0 inside a
/// transaction) and the page's bytes, in file order.
private struct WALFrames {
    struct Frame: Equatable {
        var page: UInt32
        var commitSize: UInt32
        var bytes: Data
    }

    var pageSize = 0
    var frames: [Frame] = []

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        func word(_ at: Int) -> UInt32 { data[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        guard data.count >= 32 else { return }
        pageSize = Int(word(8))
        var offset = 32
        while offset + 24 + pageSize <= data.count {
            frames.append(
                Frame(
                    page: word(offset), commitSize: word(offset + 4), bytes: data[offset + 24..<offset + 24 + pageSize])
            )
            offset += 24 + pageSize
        }
    }
}

/// A small deterministic generator (the script must be the same for both connections).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
}
