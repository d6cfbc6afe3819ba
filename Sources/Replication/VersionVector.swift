/// How two version vectors relate.
public enum CausalOrder: Sendable, Equatable {
    case equal, before, after, concurrent
}

/// A map from origin node to the highest sequence number seen from it.
///
/// Used both for a node's overall progress and, per entity, as the causal context a writer
/// attaches to a change ("I had seen these edits of this entity").
public struct VersionVector: Hashable, Sendable, Codable, CustomStringConvertible {
    public private(set) var entries: [NodeID: Int64]

    public init(_ entries: [NodeID: Int64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    public subscript(origin: NodeID) -> Int64 {
        get { entries[origin] ?? 0 }
        set {
            if newValue > 0 { entries[origin] = newValue } else { entries[origin] = nil }
        }
    }

    /// Records that `seq` from `origin` has been seen (keeps the maximum).
    public mutating func record(origin: NodeID, seq: Int64) {
        if seq > self[origin] { self[origin] = seq }
    }

    /// True when this vector has seen the change `(origin, seq)`.
    public func includes(origin: NodeID, seq: Int64) -> Bool { self[origin] >= seq }

    /// The element-wise maximum of two vectors.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = self
        for (origin, seq) in other.entries { result.record(origin: origin, seq: seq) }
        return result
    }

    /// True when this vector has seen everything `other` has.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// Compares two vectors: equal, strictly before, strictly after, or concurrent.
    public func compare(_ other: VersionVector) -> CausalOrder {
        let geq = dominates(other)
        let leq = other.dominates(self)
        switch (geq, leq) {
        case (true, true): return .equal
        case (true, false): return .after
        case (false, true): return .before
        case (false, false): return .concurrent
        }
    }

    public var description: String {
        "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}"
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int64].self)
        var entries: [NodeID: Int64] = [:]
        for (key, value) in raw {
            guard let id = NodeID(key) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "invalid node id '\(key)'"))
            }
            guard value >= 0 else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "negative seq for '\(key)'"))
            }
            entries[id] = value
        }
        self.init(entries)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.rawValue, $0.value) }))
    }

    /// Canonical JSON text: keys sorted, no spaces.
    public var canonicalJSON: String {
        // Most changes are written with an empty context (ledger entries, orders, payments).
        if entries.isEmpty { return "{}" }
        return JSONValue.object(entries.reduce(into: [:]) { $0[$1.key.rawValue] = .int($1.value) }).canonicalText
    }
}
