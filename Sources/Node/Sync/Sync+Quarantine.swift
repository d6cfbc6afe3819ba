import Replication
import Storage

/// What `fenxiao sync quarantine` did.
public struct QuarantineResult: Sendable, Equatable, Codable {
    /// The quarantined change, `origin/seq`.
    public var change: String
    public var kind: String
    public var entity: String
    public var reason: String
}

/// A change this store quarantined: its id (`s1/42`) and its original content (the change's
/// JSON, to redo the action correctly).
public struct QuarantinedChange: Sendable, Equatable, Codable {
    public var change: String
    public var original: String
}

extension Sync {
    /// Store: makes one of its own changes that central refused for its content inert (a
    /// ``ChangeOp/void`` change with the same origin, seq and stamp), undoing its effect here,
    /// so the next sync pushes everything after it. The original content is kept locally
    /// (`fenxiao sync quarantined`) so the operator can redo the action correctly.
    public func quarantine(change: ChangeID, reason: String) throws(NodeError) -> QuarantineResult {
        guard identity.role == .store else {
            throw NodeError(
                .wrongRole, "only a store quarantines its own refused changes; central never refuses its own")
        }
        guard change.origin == identity.node, change.seq >= 1 else {
            throw NodeError(
                .invalidInput,
                "change '\(change)' must be \(identity.node)/SEQ (as `fenxiao sync` names it) — this store's own")
        }
        let seq = change.seq
        guard !reason.isEmpty, reason.utf8.count <= Limits.maxNoteBytes else {
            throw NodeError(.invalidInput, "\(Field.reason) must be 1–\(Limits.maxNoteBytes) bytes")
        }
        let acked = try read { r in
            try check(.resolveConflicts, r)
            return Int64(try r.meta("acked_seq") ?? "0") ?? 0
        }
        do {
            let original = try store.quarantine(seq: seq, reason: reason, ackedSeq: acked)
            return QuarantineResult(
                change: original.stamp.changeID, kind: original.kind.rawValue, entity: original.entity, reason: reason)
        } catch {
            throw NodeError.wrap(error)
        }
    }

    /// Store: the changes it quarantined, with their original content (JSON), by change id
    /// (as text, `s1/10` before `s1/9`), each once.
    public func quarantinedChanges() throws(NodeError) -> [QuarantinedChange] {
        do {
            var seen = Set<String>()
            return try store.quarantined().filter { seen.insert($0.change).inserted }.map {
                QuarantinedChange(change: $0.change, original: $0.original)
            }.sorted { $0.change < $1.change }
        } catch {
            throw NodeError.wrap(error)
        }
    }
}
