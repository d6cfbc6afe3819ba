/// A hybrid logical clock timestamp: wall-clock milliseconds in the high bits, a logical
/// counter in the low 16 bits.
///
/// Packed into one `Int64` (`wallMillis << 16 | counter`) so it sorts as an integer, fits an
/// SQLite INTEGER column and travels as a plain JSON number. Ties between nodes are broken by
/// the origin node id (see ``ChangeStamp``).
public struct HLC: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Packs a wall time and a counter. The wall time is clamped into `0...HLC.maxWallMillis`
    /// (the range that fits the 48 high bits), so the shift never overflows or wraps negative.
    public init(wallMillis: Int64, counter: Int) {
        let wall = Swift.min(Swift.max(wallMillis, 0), HLC.maxWallMillis)
        self.rawValue = (wall << 16) | Int64(counter & 0xFFFF)
    }

    /// The largest wall time an HLC can carry (year ~6429); nothing real comes near it, and
    /// the push check refuses stamps far before it (see ``ClockBound``).
    public static let maxWallMillis: Int64 = Int64.max >> 16
    /// The largest stamp: the clock never goes past it (it saturates instead of wrapping).
    public static let maximum = HLC(rawValue: Int64.max)

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
    ///
    /// Checked: a clock at ``HLC/maximum`` (reachable only from a corrupt file, since received
    /// stamps are bounded) stays there instead of wrapping to a negative stamp.
    public mutating func tick(wallMillis: Int64) -> HLC {
        if last.rawValue < 0 { last = .zero }  // a wrapped value from an older binary: restart at 0
        if wallMillis > last.wallMillis && wallMillis <= HLC.maxWallMillis {
            last = HLC(wallMillis: wallMillis, counter: 0)
        } else if last.counter < 0xFFFF {
            last = HLC(wallMillis: last.wallMillis, counter: last.counter + 1)
        } else if last.wallMillis < HLC.maxWallMillis {
            // Counter exhausted within one millisecond: borrow the next millisecond.
            last = HLC(wallMillis: last.wallMillis + 1, counter: 0)
        }
        return last
    }

    /// Moves the clock past a timestamp received from another node, so anything this node
    /// writes afterwards sorts after what it has seen. Unbounded: a node uses
    /// ``observe(_:wallMillis:bound:)``; this form is for pure models and tests.
    public mutating func observe(_ remote: HLC) {
        if remote > last { last = remote }
    }

    /// Moves the clock past a received stamp, but never further than `bound.maxOffsetMillis`
    /// past `wallMillis` (this node's own wall clock, or central's as the node last measured
    /// it, whichever is later): a store whose clock runs a day fast cannot drag this node a
    /// day ahead (as in the hybrid-logical-clock paper and CockroachDB's maximum offset).
    /// Returns true when the received stamp was beyond the bound (and was not followed).
    @discardableResult
    public mutating func observe(_ remote: HLC, wallMillis: Int64, bound: ClockBound) -> Bool {
        let ceiling = bound.ceiling(wallMillis: wallMillis)
        observe(min(remote, ceiling))
        return remote > ceiling
    }
}
