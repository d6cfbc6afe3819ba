import Foundation
import GRDB
import Replication

/// Central's high-water mark, kept beside its database (`central.mark`): the chain, epoch and
/// change-log end central last served from. `fenxiao serve` writes it durably at start and
/// every 5 seconds while it runs (never ahead of what the database holds durably), and checks it before
/// serving: a data file older than the mark (copied back by hand, without `fenxiao restore`)
/// would serve a forked chain, so central refuses to start and says what to run.
public struct CentralMark: Sendable, Equatable, Codable {
    public var chain: String
    public var epoch: Int64
    /// The change-log end (highest position) central held.
    public var log_end: Int64
    /// Central's own highest seq.
    public var central_seq: Int64

    public static let fileName = "central.mark"

    /// Why `file` (the database's current mark) is older than `self` (the mark on disk), or
    /// nil when it may be served: same chain, and a later epoch, or the same epoch with at
    /// least the log it had.
    public func staleness(of file: CentralMark) -> String? {
        if file.chain != chain { return "it belongs to chain \(file.chain), central served chain \(chain)" }
        if file.epoch < epoch { return "it is at epoch \(file.epoch), central served epoch \(epoch)" }
        if file.epoch == epoch && (file.log_end < log_end || file.central_seq < central_seq) {
            return
                "it ends at log position \(file.log_end) (own seq \(file.central_seq)); central served up to \(log_end) (own seq \(central_seq))"
        }
        return nil
    }
}

extension NodeStore {
    var markPath: String { (directory as NSString).appendingPathComponent(CentralMark.fileName) }

    /// The mark of what the database holds now.
    public func currentMark() throws -> CentralMark {
        try read { r in
            let epoch = try r.centralEpoch()
            return CentralMark(
                chain: epoch.chain, epoch: epoch.epoch, log_end: try r.logEnd(),
                central_seq: try r.heldSeq(of: identity.node))
        }
    }

    /// The mark on disk, or nil when none was written yet (a central that never served).
    public func savedMark() throws -> CentralMark? {
        guard let data = FileManager.default.contents(atPath: markPath) else { return nil }
        do {
            return try JSONDecoder().decode(CentralMark.self, from: data)
        } catch {
            throw StorageError(
                .io,
                "\(markPath) is unreadable; if the database is the right one, delete the mark and start `fenxiao serve` again"
            )
        }
    }

    /// Refuses to serve a database older than the mark on disk (copied back by hand).
    public func checkMark() throws {
        guard identity.role == .central, let saved = try savedMark() else { return }
        if let why = saved.staleness(of: try currentMark()) {
            throw StorageError(
                .refused,
                "central's data file is older than what central last served (\(why)): it was put back without `fenxiao restore`. "
                    + "Serving it would fork the chain. Run `fenxiao restore --from <that backup file> --data \(directory)` "
                    + "(keep a copy of this file first and restore from the copy if the backup is gone); the stores then give back what is missing"
            )
        }
    }

    static let markLock = NSLock()

    /// Writes the database's current mark durably (temporary file, fsync, rename), never lowering it.
    public func writeMark() throws {
        guard identity.role == .central else { return }
        Self.markLock.lock()
        defer { Self.markLock.unlock() }
        let mark = try currentMark()
        if let saved = try? savedMark(), saved.staleness(of: mark) != nil || saved == mark { return }
        // The mark must never be ahead of what survives a power cut (synchronous=NORMAL leaves the
        // last commits in the WAL unsynced): a checkpoint syncs the WAL, so everything the mark
        // counts is durable before the mark is.
        try pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        let temporary = markPath + ".tmp"
        let data = try JSONEncoder().encode(mark)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw StorageError(.io, "cannot write \(temporary)")
        }
        let fd = Foundation.open(temporary, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
        guard rename(temporary, markPath) == 0 else { throw StorageError(.io, "cannot write \(markPath)") }
        let dir = Foundation.open(directory, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}
