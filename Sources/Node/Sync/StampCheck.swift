import Replication
import Storage

/// The clock half of what central accepts from a store (sync/PROTOCOL.md §3.1): every pushed
/// stamp lies in `[2020-01-01, central's wall clock + refuseAhead]`, and `clock_clamp`s are
/// central's alone. Runs inside the push transaction before anything is applied; a failure
/// refuses the whole batch with 400 and a message naming the change.
struct StampCheck {
    let node: NodeID
    let wallMillis: Int64
    let bound: ClockBound

    func run(_ changes: [ChangeRecord]) throws(NodeError) {
        // Borrowed, not `for c in changes`: copying a change retains each of its parts.
        try changes.withUnsafeBufferPointer { (batch) throws(NodeError) in
            for i in batch.indices { try check(batch[i]) }
        }
    }

    /// One change's stamp and kind.
    func check(_ c: ChangeRecord) throws(NodeError) {
        if c.kind == .clockClamp {
            throw NodeError(
                .forbidden,
                "\(node) may not author clock_clamp (change \(c.stamp.changeID)): central dates changes; nothing applied"
            )
        }
        if let why = bound.refusal(c.hlc, wallMillis: wallMillis) {
            throw NodeError(.invalidInput, "change \(c.stamp.changeID) refused: \(why); nothing applied")
        }
    }
}
