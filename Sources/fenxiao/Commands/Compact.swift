import ArgumentParser
import Node
import Storage

/// `fenxiao compact [--keep-days N]`: a store drops from its log the changes that live on in its
/// tables, below central's stability frontier and older than the retention (docs/STABILITY.md).
/// Every full `fenxiao sync` does the same at its end; this runs it by hand or changes the setting.
struct Compact: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Store: drop settled changes from the log (every full sync also does this).",
        discussion: """
            A change leaves the log when its effect lives on whole in a table (order lines, payments, \
            refunds, stock movements, member-ledger entries, audit records), it is stamped at or below the \
            stability frontier central last announced and older than --keep-days, and — for this \
            store's own changes — central acknowledged it and central's latest `fenxiao backup` \
            holds it. Registers, orders and central's changes stay. The setting is kept for the \
            compaction after each sync.
            """)
    @OptionGroup var common: CommonOptions
    @Option(
        name: .customLong("keep-days"),
        help: "Keep changes at least this many days (1…3650; default: the stored setting, 30).")
    var keepDays: Int?

    func run(on node: FenxiaoNode) throws -> CompactionReport { try node.sync.compactLog(keepDays: keepDays) }

    func human(_ r: CompactionReport) -> String {
        let cutoff = r.cutoff_hlc > 0 ? Status.time(r.cutoff_hlc) : "none yet (sync with central first)"
        return """
            dropped \(r.dropped) change(s); \(r.remaining) left in the log
            kept: \(r.keep_days) day(s); settled up to: \(cutoff); own changes up to seq \(r.own_limit_seq)
            """
                + (r.outbox_dropped > 0
                    ? "\ndropped \(r.outbox_dropped) outbox event(s) older than \(r.keep_days) day(s)" : "")
                + (r.orders_dropped > 0
                    ? "\ndropped \(r.orders_dropped) closed order(s) (after-sale period over below the frontier; head office keeps them)"
                    : "")
                + (r.moves_folded > 0
                    ? "\nfolded \(r.moves_folded) settled stock movement(s) into their SKU's base (the levels are unchanged)"
                    : "")
                + (r.entries_folded > 0
                    ? "\nfolded \(r.entries_folded) settled points and stored-value entr(ies) into their member's base (balances, expiry and lifetime points are unchanged)"
                    : "")
    }
}
