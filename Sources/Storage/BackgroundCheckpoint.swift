import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, so a sale (or a pushed
/// batch) does not wait for it.
///
/// SQLite's auto-checkpoint runs in the commit that crosses its threshold: every ~3,000 sales a
/// store's sale copied ~64 MiB of frames back and synced the file twice — 9 % of a store's sale
/// time in the profile, 4 % of central's apply. This hook, installed on a node's writer
/// connection in place of SQLite's, starts a passive checkpoint on a new thread (its own
/// connection) each time ``stepPages`` more frames were appended. A passive checkpoint never
/// waits for the writer or readers, so it copies what it can while sales go on.
///
/// The writer still checkpoints itself at ``inlinePages`` frames, as before: the WAL restarts
/// from its beginning only when a checkpoint has copied all of it before a write begins, which
/// a thread racing a stream of writes may never do. That checkpoint finds most pages already
/// copied. Durability is unchanged: a committed transaction is in the WAL whether or not it
/// was copied back (WAL, `synchronous=NORMAL`), and a crash in a checkpoint is recovered by
/// SQLite from the WAL.
final class BackgroundCheckpoint: Sendable {
    /// Frames appended between two background checkpoints (~8 MiB of 4 KiB pages).
    static let stepPages: CInt = 2_000
    /// Frames at which the writer checkpoints in its commit (SQLite's auto-checkpoint was
    /// set to this: ~64 MiB of 4 KiB pages).
    static let inlinePages: CInt = 16_000

    /// The database file.
    let path: String
    /// Whether a background checkpoint of this file runs now.
    private let running = Atomic<Bool>(false)
    /// The WAL's frame count at which the next one starts.
    private let nextMark = Atomic<CInt>(stepPages)
    /// The WAL's frame count after the last commit (a smaller one means it restarted).
    private let lastPages = Atomic<CInt>(0)
    /// Background checkpoints finished, by file (what tests look at; a file gets an entry
    /// only once ``stepPages`` frames were written to it).
    static let finished = Mutex<[String: Int]>([:])

    init(path: String) {
        self.path = path
    }

    /// Installs the hook on `db` when it is a writer connection of a file; returns its state
    /// (kept for the life of the process: SQLite gives a hook no destructor, and there is one
    /// writer connection a node).
    @discardableResult
    static func install(_ db: Database) -> BackgroundCheckpoint? {
        guard !db.configuration.readonly, let connection = db.sqliteConnection else { return nil }
        let path = WALWrites.databasePath(db)
        guard !path.isEmpty else { return nil }  // in memory: nothing to copy back
        let state = BackgroundCheckpoint(path: path)
        sqlite3_wal_hook(connection, walHook, Unmanaged.passRetained(state).toOpaque())
        return state
    }

    /// After each commit of the writer, with the WAL's frame count.
    fileprivate func committed(_ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?, pages: CInt) {
        if pages < lastPages.exchange(pages, ordering: .relaxed) { nextMark.store(Self.stepPages, ordering: .relaxed) }
        if pages >= Self.inlinePages {
            sqlite3_wal_checkpoint(connection, name)  // what SQLite's own hook does
            return
        }
        guard pages >= nextMark.load(ordering: .relaxed) else { return }
        nextMark.store(pages + Self.stepPages, ordering: .relaxed)
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        Thread { [self] in
            Thread.current.name = "fenxiao-ckpt"  // in `top -H` and profiles, not the writer's name
            Self.checkpoint(path)
            Self.finished.withLock { $0[path, default: 0] += 1 }
            running.store(false, ordering: .releasing)
        }.start()
    }

    /// A passive checkpoint of `path` over a connection of its own; returns the WAL's frames
    /// and how many of them are in the file now (nil when the file could not be opened).
    @discardableResult
    static func checkpoint(_ path: String) -> (frames: CInt, copied: CInt)? {
        var handle: OpaquePointer?
        defer { sqlite3_close(handle) }
        // Never creates the file: one removed meanwhile (a closed test node) is left alone.
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK
        else { return nil }
        sqlite3_exec(handle, "PRAGMA synchronous = NORMAL", nil, nil, nil)
        // A first read opens the WAL (a connection learns the file is in WAL mode from its header).
        guard sqlite3_exec(handle, "SELECT 1 FROM sqlite_master LIMIT 1", nil, nil, nil) == SQLITE_OK else {
            return nil
        }
        var frames: CInt = 0
        var copied: CInt = 0
        guard sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) == SQLITE_OK
        else { return nil }
        return (frames, copied)
    }
}

/// SQLite's WAL hook (a C function: no captures); `context` is the connection's state.
private func walHook(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ pages: CInt
) -> CInt {
    guard let context else { return SQLITE_OK }
    Unmanaged<BackgroundCheckpoint>.fromOpaque(context).takeUnretainedValue().committed(
        connection, name, pages: pages)
    return SQLITE_OK
}
