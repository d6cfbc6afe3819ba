import ArgumentParser
import Foundation
import Node
import Storage

struct Backup: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of this node's database to a file (safe while `serve` or `sync` runs).")
    @OptionGroup var common: CommonOptions
    @Option(help: "The backup file to write (must not exist).") var to: String

    func run(on node: FenxiaoNode) throws -> BackupSummary { try node.store.backup(to: to) }

    func human(_ summary: BackupSummary) -> String {
        "backed up \(summary.role) \(summary.node) to \(summary.file): \(summary.changes) changes, \(summary.bytes) bytes, "
            + (summary.consistent ? "consistency check passed" : "consistency check FAILED")
    }

    /// A copy that fails its consistency check exits 1 (its summary is printed first).
    func finish(_ summary: BackupSummary) throws {
        if !summary.consistent { throw ExitCode(1) }
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made with `fenxiao backup` in place (stop `serve`/`sync --watch` first).",
        discussion: """
            The file it replaces is kept as fenxiao.sqlite.before-restore-<time>. On central it opens a new epoch: \
            stores give back what central acknowledged after the backup at their next sync (sync/PROTOCOL.md §8.6). \
            On a store, run `fenxiao sync` next; it asks for `fenxiao recover` when central holds newer changes of the store.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "The backup file (written by `fenxiao backup`).") var from: String?
    @Option(
        help: ArgumentHelp(
            "Central on PostgreSQL, after the database was restored from its backup: make this server (a new --data folder) from the restored log and open a new epoch for every server.",
            discussion: "See docs/POSTGRES.md."))
    var database: String?
    @Option(
        name: .customLong("min-epoch"),
        help: "Central only: open at least this epoch (when a store reports a newer epoch than the backup's).")
    var minEpoch: Int64 = 0

    func run() throws {
        if let database {
            guard from == nil else { throw ValidationError("give --from FILE or --database URL, not both") }
            return try restoreShared(database)
        }
        guard let from else {
            throw ValidationError(
                "--from FILE (a `fenxiao backup`) or --database URL (central on PostgreSQL) is needed")
        }
        let restored = try attempt { try NodeStore.restoreFile(from: from, into: common.directory) }
        let node = try common.openNode()
        struct Out: Encodable {
            let node: String, role: String, previous: String?, epoch: Int64?, waiting: [String]?, central_seq: Int64?,
                own_seq_floor: Int64?
        }
        if restored.identity.role == .central {
            // Above the replaced file's epoch too: the stores may have seen it.
            // And above the epoch central last served (its mark), should the replaced file be older still.
            let served = (try? node.store.savedMark())??.epoch ?? 0
            let floorEpoch = max(minEpoch, (restored.previousEpoch ?? 0) + 1, served + 1)
            let state = try attempt { try node.sync.enterRestoreMode(minEpoch: floorEpoch) }
            common.emit(
                Out(
                    node: restored.identity.node.rawValue, role: "central", previous: restored.previous,
                    epoch: state.epoch,
                    waiting: state.waiting, central_seq: state.central_seq, own_seq_floor: state.own_seq_floor),
                human: "restored central from \(from) (epoch \(state.epoch))"
                    + (restored.previous.map { "; the replaced file is kept as \($0)" } ?? "")
                    + ". Start `fenxiao serve`; each store gives back what central had acknowledged after the backup at its next "
                    + "`fenxiao sync`"
                    + (state.waiting.isEmpty ? "" : " (waiting for \(state.waiting.joined(separator: ", ")))"))
        } else {
            common.emit(
                Out(
                    node: restored.identity.node.rawValue, role: "store", previous: restored.previous, epoch: nil,
                    waiting: nil,
                    central_seq: nil, own_seq_floor: nil),
                human: "restored store \(restored.identity.node) from \(from)"
                    + (restored.previous.map { "; the replaced file is kept as \($0)" } ?? "")
                    + ". Now run `fenxiao sync` before selling: it asks for `fenxiao recover` if central holds newer changes of this store"
            )
        }
    }

    /// Central on PostgreSQL: the database was restored by its own tools; this server's file
    /// is made from the restored log and a new epoch opens for every server (§8.6).
    func restoreShared(_ url: String) throws {
        let node = try attempt { try FenxiaoNode.initializeShared(directory: common.directory, url: url) }
        let state = try attempt { try node.sync.enterRestoreMode(minEpoch: minEpoch) }
        struct Out: Encodable {
            let node: String, role: String, database: String, epoch: Int64, waiting: [String], central_seq: Int64,
                own_seq_floor: Int64, log_end: Int64
        }
        common.emit(
            Out(
                node: "central", role: "central", database: node.store.shared?.location ?? url, epoch: state.epoch,
                waiting: state.waiting, central_seq: state.central_seq, own_seq_floor: state.own_seq_floor,
                log_end: state.base_pos),
            human:
                "made central from the restored log (up to position \(state.base_pos)) and opened epoch \(state.epoch)"
                + ". Re-make every other server (`fenxiao init --role central --node central --database …` in a new folder) and start `fenxiao serve`; each store gives back what central had acknowledged after the backup at its next `fenxiao sync`"
                + (state.waiting.isEmpty ? "" : " (waiting for \(state.waiting.joined(separator: ", ")))"))
    }
}
