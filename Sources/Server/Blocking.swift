import NIOPosix

/// Runs blocking work — SQLite through GRDB, libcurl — on NIO's thread pool, so it never
/// occupies a thread of Swift's cooperative pool (two threads on a two-core shop PC), as GRDB's
/// concurrency guide asks of servers.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

/// One thread for logins, whose password and PIN checks are deliberately slow (bcrypt): a burst
/// of logins — a shift change, or someone guessing passwords — waits for itself here and never
/// holds up the pushes, pulls and sales waiting for `NIOThreadPool.singleton`.
private let loginPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    return pool
}()

/// Runs a login (a bcrypt check plus its few reads and writes) on the login thread.
public func loginWork<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await loginPool.runIfActive(body)
}
