import Foundation

/// A wall clock a test moves by hand (ms since the epoch), for rules about time (sessions,
/// lockouts) without sleeping.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    public init(_ start: Int64 = 1_800_000_000_000) { millis = start }

    /// Now, as the node reads it.
    public func now() -> Int64 { lock.withLock { millis } }

    /// Moves the clock forward.
    public func advance(minutes: Int64 = 0, millis delta: Int64 = 0) {
        lock.withLock { millis += minutes * 60_000 + delta }
    }
}
