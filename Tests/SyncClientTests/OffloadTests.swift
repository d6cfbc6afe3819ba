import Foundation
import SyncClient
import Synchronization
import Testing

/// `offload` carries blocking work (a libcurl request, a transaction) off the cooperative pool.
@Suite struct OffloadTests {
    /// Work offloaded while many earlier offloads are blocked (as libcurl calls waiting on a
    /// slow peer are) still runs at once. On Dispatch's shared queue it waited about a second
    /// for each blocked item beyond the cores (32 blocked: ~30 s), which is how a fault-proxy
    /// test under the whole suite's load timed out with 0 bytes.
    @Test func runsWhileEarlierOffloadedWorkIsBlocked() async throws {
        let release = DispatchSemaphore(value: 0)
        let blocked = 32
        let submitted = Submitted()
        let waiters = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<blocked {
                    group.addTask {
                        submitted.count.withLock { $0 += 1 }
                        try await offload { release.wait() }
                    }
                }
                try await group.waitForAll()
            }
        }
        defer {
            for _ in 0..<blocked { release.signal() }
        }
        // Every blocking offload is on its way before the one that must not wait behind them.
        for _ in 0..<100_000 where submitted.count.withLock({ $0 }) < blocked { await Task.yield() }
        #expect(submitted.count.withLock { $0 } == blocked)
        // The bound is a timeout for a failing run (the fix answers in milliseconds), not a
        // measurement: the waiters stay blocked until the answer came or the bound passed.
        let answer = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { try await offload { 42 } }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(answer == 42, "offloaded work waited behind \(blocked) blocked offloads")
        for _ in 0..<blocked { release.signal() }
        try await waiters.value
    }

    final class Submitted: Sendable {
        let count = Mutex(0)
    }
}
