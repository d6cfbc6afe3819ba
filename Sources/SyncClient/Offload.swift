import Dispatch

/// Runs blocking work (libcurl, SQLite) on a Dispatch thread instead of a Swift-concurrency
/// thread, so a process with several syncs or an in-process server never starves its
/// cooperative pool (2 threads on a 2-core machine).
public func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try body() })
        }
    }
}
