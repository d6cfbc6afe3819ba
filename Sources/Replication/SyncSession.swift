/// The store side of one sync, as a pure state machine: what to send next, what to do with
/// an answer or an error. `SyncClient` performs the actions over HTTP; tests drive it without
/// a network.
///
/// A sync pushes every pending own change in bounded batches (the acked seq only moves
/// forward), then pulls until central says there is no more. Transient failures are retried
/// with jittered exponential backoff; permanent ones (refused, unauthorized) stop the session.
public struct SyncSession: Sendable, Equatable {
    public struct Configuration: Sendable, Equatable {
        /// Changes per push request (a push body also stops at ``pushBodyBytes``).
        public var pushBatchSize: Int
        /// Changes per pull request.
        public var pullBatchSize: Int
        public var maxAttempts: Int
        public var baseDelayMillis: Int64
        public var maxDelayMillis: Int64

        /// Changes a push carries unless told otherwise: central applies a push in one
        /// transaction, and each transaction rewrites the pages its changes share (stock levels,
        /// balances, the key indexes), so a store catching up after a day offline costs central
        /// 12 % less at 5,000 a push than at 1,000 (README, Performance).
        public static let defaultPushBatch = 5000
        /// Changes a pull page carries unless told otherwise: a store applies a page in one
        /// transaction, which its till waits for, so pages stay short.
        public static let defaultPullBatch = 1000
        /// The largest push body a store writes (a push stops before the change that would pass
        /// it, and carries at least one): half of central's default body limit (8 MiB).
        public static let pushBodyBytes = 4 * 1024 * 1024

        /// `batchSize`, when given, is the size of both pushes and pull pages.
        public init(
            batchSize: Int? = nil, maxAttempts: Int = 6, baseDelayMillis: Int64 = 200, maxDelayMillis: Int64 = 10_000
        ) {
            self.pushBatchSize = batchSize ?? Self.defaultPushBatch
            self.pullBatchSize = batchSize ?? Self.defaultPullBatch
            self.maxAttempts = maxAttempts
            self.baseDelayMillis = baseDelayMillis
            self.maxDelayMillis = maxDelayMillis
        }
    }

    public enum Phase: Sendable, Equatable {
        case pushing, pulling, done, failed
    }

    /// What the driver must do next.
    public enum Action: Sendable, Equatable {
        /// Send own changes with seq > `afterSeq`, at most `limit`.
        case push(afterSeq: Int64, limit: Int)
        /// Fetch changes after `cursor`, at most `limit`.
        case pull(cursor: Int64, limit: Int)
        /// Sleep, then perform `retry`.
        case wait(millis: Int64, retry: Retry)
        /// The sync is complete.
        case finish(Summary)
        /// The sync stopped; `message` says why and what to do.
        case fail(String)
    }

    public enum Retry: Sendable, Equatable {
        case push, pull
    }

    /// What happened when the driver performed the last action.
    public enum Event: Sendable, Equatable {
        /// Central acknowledged up to `ackedSeq`; `sent` changes were in the batch; `remaining`
        /// own changes are still pending after it.
        case pushed(ackedSeq: Int64, sent: Int, remaining: Int, newConflicts: Int)
        /// A pull returned `count` changes, the new `cursor` and whether more are waiting.
        case pulled(count: Int, cursor: Int64, more: Bool, newConflicts: Int)
        /// Network trouble, timeouts, 5xx, 429: worth retrying.
        case transientError(String)
        /// 4xx: retrying will not help.
        case permanentError(String)
    }

    public struct Summary: Sendable, Equatable, Codable {
        public var pushed: Int
        public var pulled: Int
        /// Conflicts new in this sync, each counted once: the larger of those central recorded
        /// for the pushed changes and those this node recorded applying the pulled ones. Merge is
        /// deterministic, so a conflict central finds on push is recorded here again when the
        /// pull brings the other side; adding both counts would count it once per direction.
        public var conflicts_new: Int
        public var retries: Int
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .pushing
    public private(set) var ackedSeq: Int64
    public private(set) var cursor: Int64
    public private(set) var summary = Summary(pushed: 0, pulled: 0, conflicts_new: 0, retries: 0)
    var attempts = 0
    /// Conflicts central reported for the pushes, and this node recorded for the pulls.
    var pushConflicts = 0
    var pullConflicts = 0
    /// Jitter source: a splitmix64 state, seeded by the driver (random in production, fixed in tests).
    var jitterState: UInt64

    public init(
        ackedSeq: Int64, cursor: Int64, pending: Int, configuration: Configuration = Configuration(), jitterSeed: UInt64
    ) {
        self.ackedSeq = ackedSeq
        self.cursor = cursor
        self.configuration = configuration
        self.jitterState = jitterSeed
        self.phase = pending > 0 ? .pushing : .pulling
    }

    /// The first action.
    public var start: Action { phase == .pushing ? pushAction : pullAction }

    var pushAction: Action { .push(afterSeq: ackedSeq, limit: configuration.pushBatchSize) }
    var pullAction: Action { .pull(cursor: cursor, limit: configuration.pullBatchSize) }

    /// Feeds the outcome of the last action and returns the next one.
    public mutating func handle(_ event: Event) -> Action {
        switch (phase, event) {
        case (.pushing, .pushed(let acked, let sent, let remaining, let newConflicts)):
            attempts = 0
            if acked < ackedSeq {
                phase = .failed
                return .fail(
                    "central acknowledged seq \(acked) below \(ackedSeq) it had acknowledged before (central restored from an old backup?); contact head office"
                )
            }
            if acked == ackedSeq && sent > 0 && remaining > 0 {
                phase = .failed
                return .fail("central acknowledged none of the \(sent) changes sent; check central's log")
            }
            summary.pushed += Int(acked - ackedSeq)
            pushConflicts += newConflicts
            summary.conflicts_new = max(pushConflicts, pullConflicts)
            ackedSeq = acked
            if remaining > 0 && sent > 0 { return pushAction }
            phase = .pulling
            return pullAction
        case (.pulling, .pulled(let count, let newCursor, let more, let newConflicts)):
            attempts = 0
            summary.pulled += count
            pullConflicts += newConflicts
            summary.conflicts_new = max(pushConflicts, pullConflicts)
            cursor = max(cursor, newCursor)
            if more && count > 0 { return pullAction }
            phase = .done
            return .finish(summary)
        case (.pushing, .transientError(let why)), (.pulling, .transientError(let why)):
            attempts += 1
            summary.retries += 1
            if attempts >= configuration.maxAttempts {
                phase = .failed
                return .fail(
                    "central unreachable after \(attempts) attempts (\(why)); your changes are safe locally, try `fenxiao sync` later"
                )
            }
            return .wait(millis: backoff(), retry: phase == .pushing ? .push : .pull)
        case (.pushing, .permanentError(let why)), (.pulling, .permanentError(let why)):
            phase = .failed
            return .fail(why)
        default:
            phase = .failed
            return .fail("sync protocol error: unexpected \(event) while \(phase)")
        }
    }

    /// Exponential backoff with full jitter: uniform in [base·2^(n-1)/2, base·2^(n-1)], capped.
    mutating func backoff() -> Int64 {
        let exp = min(configuration.maxDelayMillis, configuration.baseDelayMillis << Int64(min(attempts - 1, 20)))
        var rng = SplitMix64(seed: jitterState)
        let z = rng.next()
        jitterState = rng.state
        let half = exp / 2
        return half + Int64(z % UInt64(max(1, exp - half + 1)))
    }
}
