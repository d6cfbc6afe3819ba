import Logging
import Server
import ServiceLifecycle
import Synchronization
import Testing

/// Background work as a service beside the HTTP server: it runs off the cooperative pool,
/// survives a failing round, and stops when the group shuts down gracefully.
@Suite struct PeriodicServiceTests {
    final class Rounds: Sendable {
        let done = Mutex<[Int]>([])
    }

    struct StopAfter: Service {
        let rounds: Rounds
        let count: Int
        func run() async throws {
            for _ in 0..<1000 {  // bounded: 10 s
                if rounds.done.withLock({ $0.count }) >= count { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            // Returning ends this service, and with it the group (graceful shutdown of the rest).
        }
    }

    @Test func aFailingRoundIsLoggedAndTheNextRoundRunsUntilShutdown() async throws {
        let rounds = Rounds()
        let work = PeriodicService(name: "test", every: .milliseconds(5), logger: Logger(label: "test")) { round in
            rounds.done.withLock { $0.append(round) }
            if round == 1 { throw CancellationError() }  // a failing round
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: work),
                    .init(
                        service: StopAfter(rounds: rounds, count: 4),
                        successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: Logger(label: "test")))
        try await group.run()
        let seen = rounds.done.withLock { $0 }
        #expect(seen.count >= 4)
        #expect(Array(seen.prefix(4)) == [0, 1, 2, 3], "round 2 ran after round 1 failed")
    }
}
