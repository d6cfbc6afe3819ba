import NIOPosix

/// Runs blocking work — SQLite through GRDB, libcurl — on NIO's thread pool, so it never
/// occupies a thread of Swift's cooperative pool (two threads on a two-core shop PC), as GRDB's
/// concurrency guide asks of servers.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
