import FenxiaoTesting
import Foundation
import GRDB
import Replication
import Testing

@testable import Storage

/// The WAL is copied back by a thread of its own (`BackgroundCheckpoint`), not in a sale's commit.
@Suite struct BackgroundCheckpointTests {
    /// The WAL's frames, from its size (32-byte header, then frames of a 24-byte header and a page).
    static func walFrames(_ path: String, pageSize: Int) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return max(0, size - 32) / (pageSize + 24)
    }

    @Test func aThreadCopiesTheWALBackOnceEnoughIsWritten() throws {
        let dir = TempDirectory("background-checkpoint")
        defer { dir.remove() }
        let clock = ManualClock(1_800_000_000_000)
        let store = try WriterCacheTests.open(dir, clock)
        let path = try store.pool.read { WALWrites.databasePath($0) }
        let pageSize = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        #expect(BackgroundCheckpoint.finished.withLock { $0[path] } == nil, "a new file has had none")
        // Local writes until the WAL holds more than a step of frames.
        var writes = 0
        while Self.walFrames(path, pageSize: pageSize) <= Int(BackgroundCheckpoint.stepPages) + 10 {
            clock.advance(millis: 1)
            try WriterCacheTests.rename(store, "N\(writes)")
            writes += 1
            try #require(writes < 20_000, "the WAL did not grow")
        }
        // The thread was started by the commit that crossed the step; wait for it (bounded).
        let deadline = Date().addingTimeInterval(30)
        while BackgroundCheckpoint.finished.withLock({ $0[path] ?? 0 }) == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(BackgroundCheckpoint.finished.withLock { $0[path] ?? 0 } >= 1)
        // Nothing is lost: the last write is what every connection reads, and the file checks.
        #expect(try WALWritesTests.name(store) == "N\(writes - 1)")
        #expect(try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func aCheckpointOfItsOwnCopiesEveryFrameWhenNothingWrites() throws {
        let dir = TempDirectory("background-checkpoint-own")
        defer { dir.remove() }
        let clock = ManualClock(1_800_000_000_000)
        let store = try WriterCacheTests.open(dir, clock)
        for i in 0..<20 {
            clock.advance(millis: 1)
            try WriterCacheTests.rename(store, "N\(i)")
        }
        let path = try store.pool.read { WALWrites.databasePath($0) }
        let result = try #require(BackgroundCheckpoint.checkpoint(path))
        #expect(result.frames > 0 && result.copied == result.frames)
        #expect(BackgroundCheckpoint.checkpoint(dir.sub("missing.sqlite")) == nil, "never creates a file")
        #expect(!FileManager.default.fileExists(atPath: dir.sub("missing.sqlite")))
        #expect(try WALWritesTests.name(store) == "N19")
    }

    @Test func onlyTheWriterConnectionGetsTheHook() throws {
        let dir = TempDirectory("background-checkpoint-reader")
        defer { dir.remove() }
        let store = try WriterCacheTests.open(dir, ManualClock(1_800_000_000_000))
        #expect(try store.pool.read { db in BackgroundCheckpoint.install(db) } == nil)
        let memory = try DatabaseQueue()
        #expect(try memory.write { db in BackgroundCheckpoint.install(db) } == nil, "in memory: nothing to copy")
    }
}
