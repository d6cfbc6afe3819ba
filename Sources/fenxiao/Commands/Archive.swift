import ArgumentParser
import Node
import Storage

/// `fenxiao archive [--keep-days N]`: central moves the stores' settled changes out of its hot
/// log into its archive (docs/STABILITY.md, "Central's archive"). `fenxiao serve` does the
/// same every 10 minutes; this runs it by hand or changes the retention.
struct Archive: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Central: move the stores' settled changes out of the hot log (serve also does this).",
        discussion: """
            A store's change moves to central's archive when its effect lives on whole in a table \
            (order lines, payments, refunds, stock movements, member-ledger entries, audit records), it \
            is stamped at or below the stability frontier and older than --keep-days, every store has \
            pulled it, and it is not the newest central holds of its store. Registers, orders and \
            central's own changes stay. Pulls from far behind, `recover`, a rejoining store's \
            snapshot and an order's story still read the archive; backups copy it.
            """)
    @OptionGroup var common: CommonOptions
    @Option(
        name: .customLong("keep-days"),
        help: "Keep changes in the hot log at least this many days (1…3650; default: the stored setting, 30).")
    var keepDays: Int?

    func run(on node: FenxiaoNode) throws -> ArchiveReport { try node.sync.archiveLog(keepDays: keepDays) }

    func human(_ r: ArchiveReport) -> String {
        let cutoff = r.cutoff_hlc > 0 ? Status.time(r.cutoff_hlc) : "none yet (every enrolled store must sync once)"
        return """
            archived \(r.archived) change(s); \(r.remaining) left in the hot log, \(r.in_archive) in the archive
            kept: \(r.keep_days) day(s); settled up to: \(cutoff); every store pulled up to position \(r.pulled_pos)
            """
    }
}
