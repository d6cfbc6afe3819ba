import PropertyBased
import Testing

@testable import Replication

@Suite struct SyncSessionTests {
    typealias Session = SyncSession

    static let config = Session.Configuration(
        batchSize: 100, maxAttempts: 4, baseDelayMillis: 200, maxDelayMillis: 1000)

    static func session(acked: Int64 = 10, cursor: Int64 = 50, pending: Int = 250, seed: UInt64 = 1) -> Session {
        Session(ackedSeq: acked, cursor: cursor, pending: pending, configuration: config, jitterSeed: seed)
    }

    @Test func anAckThatDoesNotMoveStopsInsteadOfLoopingForever() {
        var s = Self.session()
        let action = s.handle(.pushed(ackedSeq: 10, sent: 100, remaining: 250, newConflicts: 0))
        guard case .fail(let message) = action else {
            Issue.record("expected fail, got \(action)")
            return
        }
        #expect(message.contains("acknowledged none"))
        #expect(s.phase == .failed)
    }

    @Test func startsByPushingWhenChangesArePending() {
        let s = Self.session()
        #expect(s.phase == .pushing)
        #expect(s.start == .push(afterSeq: 10, limit: 100))
    }

    /// Unless told a size, pushes carry 5,000 changes (central applies each in one transaction)
    /// and pull pages 1,000 (a store's till waits for each); a size given is both.
    @Test func pushesAreLargerThanPullPagesUnlessASizeIsGiven() {
        let plain = Session(ackedSeq: 0, cursor: 7, pending: 1, jitterSeed: 1)
        #expect(plain.start == .push(afterSeq: 0, limit: 5000))
        #expect(Session(ackedSeq: 0, cursor: 7, pending: 0, jitterSeed: 1).start == .pull(cursor: 7, limit: 1000))
        let sized = Session.Configuration(batchSize: 200)
        #expect(sized.pushBatchSize == 200 && sized.pullBatchSize == 200)
    }

    @Test func startsByPullingWhenNothingIsPending() {
        let s = Self.session(pending: 0)
        #expect(s.phase == .pulling)
        #expect(s.start == .pull(cursor: 50, limit: 100))
    }

    @Test func pushesInBatchesThenPullsUntilCaughtUp() {
        var s = Self.session()
        #expect(
            s.handle(.pushed(ackedSeq: 110, sent: 100, remaining: 150, newConflicts: 1))
                == .push(afterSeq: 110, limit: 100))
        #expect(
            s.handle(.pushed(ackedSeq: 210, sent: 100, remaining: 50, newConflicts: 0))
                == .push(afterSeq: 210, limit: 100))
        #expect(
            s.handle(.pushed(ackedSeq: 260, sent: 50, remaining: 0, newConflicts: 2)) == .pull(cursor: 50, limit: 100))
        #expect(s.phase == .pulling)
        #expect(
            s.handle(.pulled(count: 100, cursor: 400, more: true, newConflicts: 0)) == .pull(cursor: 400, limit: 100))
        // Central found 3 conflicts on push; the pull recorded 1 here: each conflict central found
        // on push is found again on pull, so the larger count is the number of conflicts.
        let expected = Session.Summary(pushed: 250, pulled: 130, conflicts_new: 3, retries: 0)
        #expect(s.handle(.pulled(count: 30, cursor: 470, more: false, newConflicts: 1)) == .finish(expected))
        #expect(s.phase == .done)
        #expect(s.ackedSeq == 260)
        #expect(s.cursor == 470)
        #expect(s.summary == expected)
    }

    @Test func aConflictFoundOnPushAndAgainOnPullCountsOnce() {
        var s = Self.session(pending: 10)
        _ = s.handle(.pushed(ackedSeq: 20, sent: 10, remaining: 0, newConflicts: 1))
        let done = s.handle(.pulled(count: 5, cursor: 60, more: false, newConflicts: 1))
        #expect(done == .finish(Session.Summary(pushed: 10, pulled: 5, conflicts_new: 1, retries: 0)))
    }

    @Test func anEmptyPageEndsThePullEvenIfMoreIsClaimed() {
        var s = Self.session(pending: 0)
        let action = s.handle(.pulled(count: 0, cursor: 50, more: true, newConflicts: 0))
        #expect(action == .finish(Session.Summary(pushed: 0, pulled: 0, conflicts_new: 0, retries: 0)))
    }

    @Test func theCursorNeverMovesBack() {
        var s = Self.session(pending: 0)
        _ = s.handle(.pulled(count: 5, cursor: 40, more: true, newConflicts: 0))
        #expect(s.cursor == 50)
    }

    @Test func anAckBelowThePreviousOneStopsTheSession() {
        var s = Self.session()
        let action = s.handle(.pushed(ackedSeq: 9, sent: 100, remaining: 200, newConflicts: 0))
        guard case .fail(let message) = action else {
            Issue.record("expected fail, got \(action)")
            return
        }
        #expect(message.contains("seq 9 below 10"))
        #expect(s.phase == .failed)
    }

    @Test func transientErrorsWaitWithGrowingCappedJitteredBackoff() {
        var s = Self.session()
        var waits: [Int64] = []
        for _ in 1..<Self.config.maxAttempts {
            guard case .wait(let millis, let retry) = s.handle(.transientError("timeout")) else {
                Issue.record("expected a wait")
                return
            }
            #expect(retry == .push)
            waits.append(millis)
        }
        // Attempt n waits uniformly in [exp/2, exp] with exp = min(1000, 200·2^(n-1)).
        for (n, millis) in waits.enumerated() {
            let exp = min(Int64(1000), Int64(200) << Int64(n))
            #expect((exp / 2...exp).contains(millis), "attempt \(n + 1): \(millis)")
        }
        #expect(s.summary.retries == 3)
    }

    @Test func giveUpAfterMaxAttemptsWithAnActionableMessage() {
        var s = Self.session(pending: 0)
        for _ in 1..<Self.config.maxAttempts {
            guard case .wait(_, let retry) = s.handle(.transientError("HTTP 503")) else {
                Issue.record("expected a wait")
                return
            }
            #expect(retry == .pull)
        }
        guard case .fail(let message) = s.handle(.transientError("HTTP 503")) else {
            Issue.record("expected fail")
            return
        }
        #expect(message.contains("HTTP 503"))
        #expect(message.contains("fenxiao sync"))
        #expect(s.phase == .failed)
    }

    @Test func successResetsTheAttemptCount() {
        var s = Self.session()
        for _ in 1..<Self.config.maxAttempts { _ = s.handle(.transientError("x")) }
        _ = s.handle(.pushed(ackedSeq: 20, sent: 10, remaining: 5, newConflicts: 0))
        for _ in 1..<Self.config.maxAttempts {
            guard case .wait = s.handle(.transientError("x")) else {
                Issue.record("a success should reset the attempts")
                return
            }
        }
        #expect(s.phase == .pushing)
    }

    @Test func permanentErrorsStopImmediately() {
        var s = Self.session()
        #expect(
            s.handle(.permanentError("token refused; run `fenxiao join` again"))
                == .fail("token refused; run `fenxiao join` again"))
        #expect(s.phase == .failed)
    }

    @Test(arguments: [
        (Session.Event.pulled(count: 1, cursor: 2, more: false, newConflicts: 0), 250),
        (.pushed(ackedSeq: 20, sent: 1, remaining: 0, newConflicts: 0), 0),
    ])
    func anEventForTheOtherPhaseIsAProtocolError(event: Session.Event, pending: Int) {
        var s = Self.session(pending: pending)
        guard case .fail(let message) = s.handle(event) else {
            Issue.record("expected fail")
            return
        }
        #expect(message.contains("sync protocol error"))
        #expect(s.phase == .failed)
    }

    @Test func aFinishedSessionRefusesMoreEvents() {
        var s = Self.session(pending: 0)
        _ = s.handle(.pulled(count: 1, cursor: 60, more: false, newConflicts: 0))
        #expect(s.phase == .done)
        guard case .fail = s.handle(.pulled(count: 1, cursor: 70, more: false, newConflicts: 0)) else {
            Issue.record("expected fail")
            return
        }
    }

    @Test func jitterIsAPureFunctionOfTheSeed() {
        func waits(seed: UInt64) -> [Session.Action] {
            var s = Self.session(seed: seed)
            return (1..<Self.config.maxAttempts).map { _ in s.handle(.transientError("x")) }
        }
        #expect(waits(seed: 42) == waits(seed: 42))
        #expect((1...20).map { waits(seed: $0) }.contains { $0 != waits(seed: 0) })
    }

    /// Random runs of answers and failures: acked seq and cursor only move forward, every wait
    /// stays within its backoff bounds, and the session ends in `done` or `failed`.
    @Test func randomRunsOnlyMoveForwardAndEnd() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            var pending = rng.int(0...500)
            var s = Session(
                ackedSeq: 0, cursor: 0, pending: pending, configuration: Self.config, jitterSeed: UInt64(seed))
            var action = s.start
            var acked: Int64 = 0
            var central: Int64 = 0
            var consecutive = 0
            run: for _ in 0..<500 {
                switch action {
                case .wait(let millis, let retry):
                    let exp = min(Self.config.maxDelayMillis, Self.config.baseDelayMillis << Int64(consecutive - 1))
                    #expect((exp / 2...exp).contains(millis), "seed \(seed)")
                    #expect(retry == (s.phase == .pushing ? .push : .pull), "seed \(seed)")
                    action =
                        retry == .push ? .push(afterSeq: s.ackedSeq, limit: 100) : .pull(cursor: s.cursor, limit: 100)
                    continue
                case .finish, .fail:
                    break run
                case .push, .pull:
                    break
                }
                let event: Session.Event
                if rng.chance(25) {
                    event = .transientError("flaky")
                } else if case .push(let after, let limit) = action {
                    #expect(after == acked, "seed \(seed)")
                    let sent = min(pending, limit)
                    pending -= sent
                    acked += Int64(sent)
                    event = .pushed(ackedSeq: acked, sent: sent, remaining: pending, newConflicts: 0)
                } else if case .pull(let cursor, let limit) = action {
                    #expect(cursor == central, "seed \(seed)")
                    let count = rng.int(0...limit)
                    central += Int64(count)
                    event = .pulled(count: count, cursor: central, more: rng.chance(60), newConflicts: 0)
                } else {
                    continue
                }
                consecutive = event == .transientError("flaky") ? consecutive + 1 : 0
                action = s.handle(event)
                #expect(s.ackedSeq == acked && s.cursor == central, "seed \(seed)")
                if case .fail = action { #expect(consecutive == Self.config.maxAttempts, "seed \(seed)") }
            }
            #expect([Session.Phase.done, .failed].contains(s.phase), "seed \(seed)")
            if s.phase == .done { #expect(pending == 0, "seed \(seed)") }
        }
    }
}
