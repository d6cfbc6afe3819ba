import ArgumentParser
import Node
import Replication

/// `fenxiao quarantine`: unblocks a store whose push central refuses for one change's content.
struct Quarantine: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Store: make a change central refused inert (kept locally), so the rest syncs.",
        discussion: """
            `fenxiao sync` names the refused change (e.g. s1/42) and why. Quarantining replaces it with an
            inert change of the same number: the store's sequence stays gap-free, its effect is undone here,
            central records it as quarantined, and everything after it flows again. Redo the action correctly
            afterwards (e.g. `member add` with a shorter name). `--list` shows what was quarantined.
            """)
    @OptionGroup var common: CommonOptions
    @Argument(help: "The refused change, as `fenxiao sync` names it (e.g. s1/42).") var change: String?
    @Option(help: "Why (kept with the change).") var reason = "refused by central"
    @Flag(help: "List quarantined changes with their original content.") var list = false

    /// The change quarantined, or the list.
    enum Out: Encodable {
        case done(QuarantineResult)
        case list([QuarantinedChange])
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .done(let r): try r.encode(to: encoder)
            case .list(let rows): try Listing(key: "quarantined", items: rows).encode(to: encoder)
            }
        }
    }

    func validate() throws {
        if !list && change == nil { throw ValidationError("give the refused change (e.g. s1/42), or --list") }
    }

    func run(on node: FenxiaoNode) throws -> Out {
        guard !list, let change else {
            return .list(try node.sync.quarantinedChanges())
        }
        // `s1/42`, or `42` for this store's own.
        let own = node.identity.node
        guard let id = ChangeID(parsing: change) ?? Int64(change).map({ ChangeID(origin: own, seq: $0) }) else {
            throw NodeError(
                .invalidInput, "change '\(change)' must be \(own)/SEQ (as `fenxiao sync` names it) — this store's own")
        }
        return .done(try node.sync.quarantine(change: id, reason: reason))
    }

    func human(_ out: Out) -> String {
        switch out {
        case .done(let r):
            return "quarantined \(r.change) (\(r.kind) \(r.entity)); run `fenxiao sync`, then redo the action correctly"
        case .list(let rows):
            return rows.isEmpty
                ? "nothing quarantined" : rows.map { "\($0.change) \($0.original)" }.joined(separator: "\n")
        }
    }
}
