/// splitmix64: a tiny seedable generator with identical output in every language (the
/// benchmark's C and Python generators, backoff jitter, seeded tests and simulations).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// Current internal state.
    public var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    /// Advances the state and returns the next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `next() % n` for `n` in `1...UInt32.max` (the C generator's `wl_below`).
    @inlinable
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "below(n) needs 0 < n <= UInt32.max")
        return Int(truncatingIfNeeded: next() % UInt64(n))
    }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// A generator seeded from a signed integer (property-test seeds).
    public init(seed: Int) { self.init(seed: UInt64(truncatingIfNeeded: seed)) }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A uniform 64-bit integer in `range`.
    public mutating func int64(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &self) }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}
