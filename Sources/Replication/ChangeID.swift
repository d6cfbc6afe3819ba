/// A change as `fenxiao sync` names it: the node that wrote it and its sequence number there
/// (`s1/42`). The wire keeps its text form (``ChangeStamp/changeID``); this is the typed value a
/// use case takes.
public struct ChangeID: Hashable, Sendable, CustomStringConvertible {
    public let origin: NodeID
    /// The change's number at its origin, from 1.
    public let seq: Int64

    public init(origin: NodeID, seq: Int64) {
        self.origin = origin
        self.seq = seq
    }

    /// `s1/42`; nil unless a node id, `/` and a sequence number of at least 1.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let origin = NodeID(String(parts[0])),
            parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seq = Int64(parts[1]), seq >= 1
        else { return nil }
        self.init(origin: origin, seq: seq)
    }

    /// `s1/42`.
    public var description: String { "\(origin.rawValue)/\(seq)" }
}

extension ChangeStamp {
    /// The change's identity as a value (``changeID`` is its text).
    public var id: ChangeID { ChangeID(origin: origin, seq: seq) }
}
