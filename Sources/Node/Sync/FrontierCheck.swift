import Replication
import Storage

/// The stability half of what central accepts from a store (sync/PROTOCOL.md §8.8): a change
/// central does not hold yet must be stamped above the stability frontier — below it, history
/// is final (stores may have dropped it from their logs). Every store promised as much with
/// its pulls and moves its clock past the frontier at each `hello`, so only a store that broke
/// its promise (a copy restored without `fenxiao recover`, a forged stamp) is refused: 409,
/// nothing applied, and head office sees the store blocked. Duplicates (seqs central holds)
/// are never refused.
struct FrontierCheck {
    let node: NodeID
    let reader: StoreReader
    /// The highest seq of the store central holds (older seqs are duplicates).
    let held: Int64
    /// Central's wall clock for this push.
    let wallMillis: Int64

    /// The first change refused, with the error for the whole batch; nil when all pass.
    func refusal(_ changes: [ChangeRecord]) throws -> (change: String, error: NodeError)? {
        guard changes.contains(where: { $0.seq > held }) else { return nil }
        let frontier = try reader.stabilityFrontier(wallMillis: wallMillis)
        guard frontier.hlc > 0,
            let late = changes.first(where: { $0.seq > held && $0.hlc.rawValue <= frontier.hlc })
        else { return nil }
        let id = late.stamp.changeID
        return (
            id,
            NodeError(
                .conflict,
                "change \(id) is stamped \(late.hlc), at or before the stability frontier \(HLC(rawValue: frontier.hlc)) this store promised to stay above; nothing applied. Run `fenxiao recover` on \(node): it re-issues the changes central does not hold with new stamps"
            )
        )
    }
}
