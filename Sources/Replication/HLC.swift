/// A hybrid logical clock timestamp: wall-clock milliseconds in the high bits, a logical
/// counter in the low 16 bits.
///
/// Packed into one `Int64` (`wallMillis << 16 | counter`) so it sorts as an integer, fits an
/// SQLite INTEGER column and travels as a plain JSON number. Ties between nodes are broken by
/// the origin node id (see ``ChangeStamp``).
public struct HLC: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(wallMillis: Int64, counter: Int) {
        self.rawValue = (wallMillis << 16) | Int64(counter & 0xFFFF)
    }

    /// Milliseconds since the Unix epoch.
    public var wallMillis: Int64 { rawValue >> 16 }
    /// The logical counter that orders events within one millisecond.
    public var counter: Int { Int(rawValue & 0xFFFF) }

    public static let zero = HLC(rawValue: 0)
    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(wallMillis).\(counter)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// The clock of one node: issues strictly increasing ``HLC`` timestamps even when the wall
/// clock jumps backwards or the node restarts (the last issued value is persisted and passed
/// back in as `last`).
///
/// A pure value: the wall time is an argument, so tests drive it without sleeping.
public struct HybridClock: Sendable, Equatable {
    /// The last timestamp this clock issued or observed.
    public private(set) var last: HLC

    public init(last: HLC = .zero) { self.last = last }

    /// Issues the next local timestamp: the wall time when it is ahead of everything seen,
    /// otherwise the last timestamp with its counter bumped.
    public mutating func tick(wallMillis: Int64) -> HLC {
        if wallMillis > last.wallMillis {
            last = HLC(wallMillis: wallMillis, counter: 0)
        } else if last.counter < 0xFFFF {
            last = HLC(wallMillis: last.wallMillis, counter: last.counter + 1)
        } else {
            // Counter exhausted within one millisecond: borrow the next millisecond.
            last = HLC(wallMillis: last.wallMillis + 1, counter: 0)
        }
        return last
    }

    /// Moves the clock past a timestamp received from another node, so anything this node
    /// writes afterwards sorts after what it has seen.
    public mutating func observe(_ remote: HLC) {
        if remote > last { last = remote }
    }
}
