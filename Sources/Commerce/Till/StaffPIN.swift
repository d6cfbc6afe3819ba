import Replication

/// A staff member's PIN: 4 to 6 digits (full-width digits are read as ASCII at the CLI edge).
/// It never prints itself: its description is `****`.
public struct StaffPIN: Sendable, Equatable, CustomStringConvertible {
    /// The digits, for hashing and checking only.
    public let digits: String

    /// Reads a PIN; the error names `field` (`pin`, or `new_pin` when setting one).
    public init(_ text: String, field: Field = .pin) throws(CommerceError) {
        guard (4...6).contains(text.count), text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw CommerceError(.invalidInput, "\(field) must be 4 to 6 digits", field: field)
        }
        digits = text
    }

    public var description: String { "****" }
}

/// How wrong PINs lock a user out at a node: after ``maxFailures`` wrong PINs in a row the user
/// is locked for ``lockMillis``; a right PIN (or a new PIN set by a manager) starts again.
public enum PINLockout {
    /// Wrong PINs in a row before the lock.
    public static let maxFailures: Int64 = 5
    /// How long the lock lasts: 15 minutes.
    public static let lockMillis: Int64 = 15 * 60_000
}

/// How long a till session lives: at most ``absoluteMillis`` after login (a long shift), and
/// it ends after ``idleMillis`` without use (a till left open at lunch).
public enum SessionPolicy {
    /// 12 hours.
    public static let absoluteMillis: Int64 = 12 * 3_600_000
    /// 30 minutes.
    public static let idleMillis: Int64 = 30 * 60_000

    /// Why a session no longer works at `now`, or nil while it does.
    public enum Ended: Sendable, Equatable {
        case loggedOut(at: Int64), expired(at: Int64), idle(since: Int64)
    }

    /// Whether a session started at `startedAt`, last used at `lastSeenAt`, expiring at
    /// `expiresAt` (ended at `endedAt`, if so) still works at `now`.
    public static func ended(expiresAt: Int64, lastSeenAt: Int64, endedAt: Int64?, now: Int64) -> Ended? {
        if let endedAt { return .loggedOut(at: endedAt) }
        if now >= expiresAt { return .expired(at: expiresAt) }
        if now - lastSeenAt >= idleMillis { return .idle(since: lastSeenAt) }
        return nil
    }
}
