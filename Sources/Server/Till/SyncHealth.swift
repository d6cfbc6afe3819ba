import NIOConcurrencyHelpers

/// What the store's own sync loop (`serve --sync-every`) last saw of central, shared by the
/// loop that records it and the till pages that show it (the status light).
///
/// Only the process that runs the loop knows that attempts fail; the database alone knows the
/// last successful sync and how many changes wait. Without a loop the light says when the
/// store last synced.
public final class SyncHealth: Sendable {
    /// One snapshot of the loop's knowledge.
    public struct State: Sendable, Equatable {
        /// Whether this process runs a sync loop at all.
        public var looping = false
        /// When the last attempt succeeded (wall ms), if one did since start.
        public var lastSuccessMillis: Int64?
        /// When the first failed attempt after the last success began (wall ms); nil while online.
        public var failingSinceMillis: Int64?
        /// The last failure's sentence, for the back office (never shown with a token).
        public var lastError: String?
    }

    private let box = NIOLockedValueBox(State())

    public init() {}

    /// The current snapshot.
    public var state: State { box.withLockedValue { $0 } }

    /// The loop runs in this process.
    public func startLooping() { box.withLockedValue { $0.looping = true } }

    /// An attempt that reached central and finished.
    public func succeeded(at millis: Int64) {
        box.withLockedValue {
            $0.lastSuccessMillis = millis
            $0.failingSinceMillis = nil
            $0.lastError = nil
        }
    }

    /// An attempt that failed (central unreachable, refused…): the light turns to offline since
    /// the first such attempt.
    public func failed(at millis: Int64, error: String) {
        box.withLockedValue {
            if $0.failingSinceMillis == nil { $0.failingSinceMillis = millis }
            $0.lastError = error
        }
    }
}
