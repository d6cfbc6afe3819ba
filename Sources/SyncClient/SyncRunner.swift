import Foundation
import Node
import Replication
import Storage

/// Where a store syncs to and with what credentials (stored in node_meta by `fenxiao join`).
public struct CentralLink: Sendable, Equatable {
    public var url: String
    public var token: String

    public init(url: String, token: String) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
    }
}

/// Which half of a sync to run (benchmarks measure them apart).
public enum SyncPhase: String, Sendable {
    case push, pull, both
}

/// Drives a ``SyncSession`` over libcurl for one store node.
/// `@unchecked Sendable`: one sync at a time; the runner is owned by the task that runs it.
public final class SyncRunner: @unchecked Sendable {
    let node: FenxiaoNode
    let link: CentralLink
    let http: CurlHTTPClient
    let configuration: SyncSession.Configuration
    /// Called after each batch with (pushed so far, pending total, pulled so far).
    public var progress: ((Int, Int, Int) -> Void)?
    /// Push only, pull only, or both (default).
    public var phase: SyncPhase = .both
    /// This store's clock against central's, from the first answer of the last run.
    public internal(set) var clockReading: ClockReading?
    /// Whether a full sync ends by compacting the log (docs/STABILITY.md); on by default.
    public var compactAfterSync = true
    /// What that compaction did in the last run (nil when it did not run or failed).
    public internal(set) var compaction: CompactionReport?
    /// Whether a blank store starts from central's snapshot of its scopes instead of pulling
    /// every change (docs/STABILITY.md); on by default, `fenxiao sync --full-pull` turns it off.
    public var startFromSnapshot = true
    /// The push size central's body limit allowed, once a push was refused as too large (413).
    var pushLimit: Int?
    /// The snapshot the last run started from (nil when it pulled from where it was).
    public internal(set) var snapshot: SnapshotManifest?
    /// Seconds the last snapshot took to arrive (central making it, and the transfer) and to load.
    public internal(set) var snapshotSeconds: (fetch: Double, load: Double)?

    public init(
        node: FenxiaoNode, link: CentralLink, configuration: SyncSession.Configuration = .init(),
        timeoutMillis: Int = 30_000
    ) throws {
        self.node = node
        self.link = link
        self.configuration = configuration
        self.http = try CurlHTTPClient(
            connectTimeoutMillis: min(3000, timeoutMillis), totalTimeoutMillis: timeoutMillis)
    }

    /// The link recorded by `fenxiao join`, or a clear error.
    public static func link(of node: FenxiaoNode) throws(NodeError) -> CentralLink {
        let (url, token) = try node.read { r in (try r.meta("central_url"), try r.meta("token")) }
        guard let url, let token else {
            throw NodeError(
                .invalidInput, "this store has not joined a central node; run `fenxiao join --url URL --token T`")
        }
        return CentralLink(url: url, token: token)
    }

    var headers: [String: String] {
        [
            "Authorization": "Bearer \(link.token)", "Content-Type": "application/json",
            SyncWire.protocolHeader: String(SyncWire.protocolVersion),
            SyncWire.schemaHeader: String(NodeSchema.version),
            SyncWire.wallClockHeader: String(node.store.wallNow()),
        ]
    }

    public var bytesOnWire: Int { http.bytesSent + http.bytesReceived }

    /// Runs one full sync: push everything pending, then pull until caught up.
    public func run() async throws(NodeError) -> SyncSession.Summary {
        clockReading = nil
        guard node.identity.role == .store else {
            throw NodeError(.wrongRole, "`fenxiao sync` runs on a store; central serves with `fenxiao serve`")
        }
        // Restores of this store or of central are handled before anything moves (§8.6).
        let standing = try await reconcileWithCentral()
        snapshot = nil
        if startFromSnapshot && phase != .push && standing.blank {
            do {
                let withOwn = standing.rejoining
                snapshot = try await offload { try self.bootstrapFromSnapshot(withOwnChanges: withOwn) }
            } catch {
                throw NodeError.wrap(error)
            }
        }
        let (acked, cursor, pending) = try node.read { r in
            let acked = Int64(try r.meta("acked_seq") ?? "0") ?? 0
            return (acked, Int64(try r.meta("pull_cursor") ?? "0") ?? 0, try r.ownChangeCount(after: acked))
        }
        var session = SyncSession(
            ackedSeq: acked, cursor: cursor, pending: phase == .pull ? 0 : pending, configuration: configuration,
            jitterSeed: UInt64.random(in: 0...UInt64.max))
        var action = session.start
        var lastRetry: SyncSession.Retry = .push
        while true {
            let event: SyncSession.Event
            switch action {
            case .push(let after, let limit):
                lastRetry = .push
                let snapshot = session
                event = try await step {
                    try self.push(
                        after: after, limit: limit, pendingTotal: pending, startAcked: acked, session: snapshot)
                }
            case .pull(let after, let limit):
                lastRetry = .pull
                if phase == .push {
                    try record(["last_sync": String(node.store.wallNow())])
                    try await confirmConverged(standing)
                    return session.summary
                }
                let snapshot = session
                event = try await step { try self.pull(after: after, limit: limit, session: snapshot) }
            case .wait(let millis, let retry):
                lastRetry = retry
                try? await Task.sleep(nanoseconds: UInt64(millis) * 1_000_000)
                action =
                    retry == .push
                    ? .push(afterSeq: session.ackedSeq, limit: configuration.pushBatchSize)
                    : .pull(cursor: session.cursor, limit: configuration.pullBatchSize)
                continue
            case .finish(let summary):
                try record(["last_sync": String(node.store.wallNow())])
                // Everything central held at this sync's `hello` is here now: history below the
                // frontier it announced is complete, and may be folded.
                if phase != .push, let frontier = try node.read({ try $0.meta(LogCompaction.Keys.frontier) }) {
                    try record([LogCompaction.Keys.foldFrontier: frontier])
                }
                try await confirmConverged(standing)
                // Housekeeping: a failure leaves the log as it was and never fails the sync.
                if compactAfterSync && phase == .both {
                    compaction = try? await offload { try self.node.sync.compactLog() }
                }
                return summary
            case .fail(let message):
                _ = lastRetry
                throw NodeError(.storage, message: message)
            }
            action = session.handle(event)
        }
    }

    /// One blocking step (HTTP + SQLite) off the cooperative pool.
    func step(_ body: @escaping @Sendable () throws -> SyncSession.Event) async throws(NodeError) -> SyncSession.Event {
        do {
            return try await offload { try body() }
        } catch {
            throw NodeError.wrap(error)
        }
    }

    func record(_ values: [String: String]) throws(NodeError) {
        do { try node.store.setMeta(values) } catch { throw NodeError.wrap(error) }
    }

    func push(after: Int64, limit: Int, pendingTotal: Int, startAcked: Int64, session: SyncSession) throws(NodeError)
        -> SyncSession.Event
    {
        // Written from the log's rows as stored (the same bytes as encoding the decoded changes).
        func pushBody(_ limit: Int) throws(NodeError) -> (body: [UInt8], count: Int) {
            try node.read { r in
                try r.ownChangesBody(after: after, limit: limit, maxBytes: SyncSession.Configuration.pushBodyBytes)
            }
        }
        var (body, sent) = try pushBody(min(limit, pushLimit ?? limit))
        var result: HTTPResult
        do {
            result = try http.request(method: "POST", url: link.url + "/v1/sync/push", headers: headers, body: body)
            // Central's body limit is its own setting (`serve --max-body-mb`): a push it finds too
            // large is halved until it fits, and the rest of this sync pushes at that size.
            while result.status == 413, sent > 1 {
                pushLimit = sent / 2
                (body, sent) = try pushBody(sent / 2)
                result = try http.request(
                    method: "POST", url: link.url + "/v1/sync/push", headers: headers, body: body)
            }
        } catch let error as NodeError {
            throw error
        } catch {
            return .transientError("\(error)")
        }
        readCentralClock(result)
        guard result.status == 200 else { return Self.classify(result) }
        guard let answer = try? JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(result.body)) else {
            return .transientError("central sent an unreadable push answer")
        }
        let localMax = try node.read { r in try r.heldSeq(of: node.identity.node) }
        if answer.acked_seq > localMax {
            return .permanentError(
                "central holds changes up to seq \(answer.acked_seq) from this store but it has only \(localMax): it was restored from an older copy. Run `fenxiao recover` before selling on"
            )
        }
        // The acked seq is bookkeeping: losing it only causes a harmless re-push.
        try record(["acked_seq": String(answer.acked_seq)])
        // Own seqs are gap-free, so what remains is the count at the start minus what central
        // now holds (changes written during the sync go with the next one).
        let remaining = max(0, pendingTotal - Int(answer.acked_seq - startAcked))
        progress?(
            Int(answer.acked_seq - session.ackedSeq) + session.summary.pushed, pendingTotal, session.summary.pulled)
        return .pushed(
            ackedSeq: answer.acked_seq, sent: sent, remaining: remaining, newConflicts: answer.conflicts_new)
    }

    func pull(after: Int64, limit: Int, session: SyncSession) throws(NodeError) -> SyncSession.Event {
        // The promise that comes with every pull (§8.8): no new change at or below it.
        let stable = try node.read { r in try r.ownStablePoint() }
        let result: HTTPResult
        do {
            result = try http.request(
                method: "GET", url: link.url + "/v1/sync/pull?after=\(after)&limit=\(limit)&stable=\(stable.rawValue)",
                headers: headers)
        } catch {
            return .transientError("\(error)")
        }
        readCentralClock(result)
        guard result.status == 200 else { return Self.classify(result) }
        let page: (changes: [ChangeRecord], cursor: String, more: Bool)
        do {
            page = try ChangeRecord.decodePullPage(result.body)
        } catch {
            return .transientError("central sent an unreadable pull answer: \(error)")
        }
        guard let cursor = Int64(page.cursor) else {
            return .permanentError("central sent an invalid cursor '\(page.cursor)'")
        }
        let report: ApplyReport
        do {
            // Changes and the cursor that covers them commit together.
            report = try node.store.applyPull(page.changes, cursor: cursor)
        } catch {
            throw NodeError.wrap(error)
        }
        progress?(session.summary.pushed, 0, session.summary.pulled + page.changes.count)
        return .pulled(count: page.changes.count, cursor: cursor, more: page.more, newConflicts: report.newConflicts)
    }

    static func classify(_ result: HTTPResult) -> SyncSession.Event {
        let message =
            (try? JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(result.body)))?.error
            ?? "HTTP \(result.status)"
        if result.status >= 500 || result.status == 429 || result.status == 408 {
            return .transientError("central answered \(result.status): \(message)")
        }
        if result.status == 409 && message.contains("reused sequence numbers") {
            return .permanentError("central refused (409): \(message). Run `fenxiao recover` on this store")
        }
        if result.status == 400 || result.status == 403, let change = refusedChange(in: message) {
            // Central refuses this change's content; nothing after it can be pushed until it is fixed.
            return .permanentError(
                "central refused (\(result.status)) change \(change): \(message). Nothing after it reaches head office until "
                    + "it is fixed: run `fenxiao quarantine \(change)` to make it inert (kept locally), then sync and redo the action correctly"
            )
        }
        return .permanentError("central refused (\(result.status)): \(message)")
    }

    /// The change a refusal names (`change <node>/<seq>`), if any.
    static func refusedChange(in message: String) -> String? {
        guard let range = message.range(of: "change ") else { return nil }
        let id = message[range.upperBound...].prefix {
            $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "/"
        }
        return id.contains("/") ? String(id) : nil
    }
}
