import Foundation

/// Runs blocking work (libcurl, SQLite) on a thread of its own instead of a Swift-concurrency
/// thread, so a process with several syncs or an in-process server never starves its
/// cooperative pool (2 threads on a 2-core machine).
///
/// Not on Dispatch's shared queue: on Linux it runs about one thread a core and adds one a
/// second while they stay blocked — measured here, with 8 items blocked the next one started
/// after 7 s — so a few libcurl calls waiting at once held every later sync request (and the
/// test suite's fault proxy) back past its timeout. A thread costs tens of microseconds; the
/// work it carries is a network request or a transaction.
public func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
