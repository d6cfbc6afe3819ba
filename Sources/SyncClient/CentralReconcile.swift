import Foundation
import Node
import Replication
import Storage

/// The start and the end of every sync (sync/PROTOCOL.md §8.6): ask central where it stands
/// before pushing or pulling, so that a restore from a backup — of this store or of central — is
/// noticed and handled instead of forking the chain.
extension SyncRunner {
    /// What the start of a sync found out about central.
    struct CentralStanding: Sendable {
        /// Central was restored and still waits for other stores: the sync cannot end converged.
        var catchingUp: Bool
        /// Nothing in the store's log, nothing pulled: it may start from a snapshot.
        var blank: Bool
        /// This store is blank but central holds changes of it: it lost its file and rejoins
        /// from a snapshot that carries its own changes back (docs/STABILITY.md).
        var rejoining = false
    }

    /// Meta keys a store keeps about central.
    enum CentralKeys {
        static let chain = "central_chain"
        static let epoch = "central_epoch"
    }

    /// Asks central's `hello`, then:
    /// - another chain, or central's epoch going backwards: stop, nothing sent;
    /// - central holds more of this store's changes than the store itself: this store was
    ///   restored from an older copy; stop and demand `fenxiao recover` (nothing sent);
    /// - central's epoch is newer than the one recorded (central was restored): give central
    ///   back its own changes it lost, report the store's own highest seq, re-push from the seq
    ///   central really holds, and move the pull cursor back to where central's log is unchanged.
    func reconcileWithCentral() async throws(NodeError) -> CentralStanding {
        let me = node.identity.node
        let (ownHeld, acked, cursor, chain, epoch, ownCompacted, centralCompacted) = try node.read { r in
            (
                try r.heldSeq(of: me), Int64(try r.meta("acked_seq") ?? "0") ?? 0,
                Int64(try r.meta("pull_cursor") ?? "0") ?? 0,
                try r.meta(CentralKeys.chain), Int64(try r.meta(CentralKeys.epoch) ?? "1") ?? 1,
                try r.compactedSeqs()[me.rawValue] ?? 0, try r.centralCompactedSeq()
            )
        }
        let blank = try node.sync.canLoadSnapshot()
        guard let hello = try await fetchHello(report: (acked, cursor, epoch)) else {
            return CentralStanding(catchingUp: false, blank: blank)  // a central without §8.6: nothing to check
        }
        if let chain, chain != hello.chain {
            throw NodeError(
                .conflict,
                "central at \(link.url) belongs to another chain (\(hello.chain)) than the one this store joined (\(chain)); check the URL (`fenxiao join`); nothing was pushed or pulled"
            )
        }
        // A blank store central holds changes of lost its file: it rejoins from a snapshot
        // carrying its own changes back, instead of `recover` and a pull of every change.
        let rejoining = hello.acked_seq > 0 && startFromSnapshot && phase != .push && blank
        if hello.acked_seq > ownHeld && !rejoining {
            throw NodeError(
                .conflict,
                "central holds changes up to seq \(hello.acked_seq) from this store but this copy has only \(ownHeld): the store was restored from an older copy. Run `fenxiao recover` (it fetches them back from central), then `fenxiao sync`; nothing was pushed or pulled"
            )
        }
        if hello.epoch < epoch {
            throw NodeError(
                .conflict,
                "central is at epoch \(hello.epoch) but this store has seen epoch \(epoch): central was restored from a backup older than its last restore. Head office: stop `serve` and run `fenxiao restore --from FILE --min-epoch \(epoch + 1)`; nothing was pushed or pulled"
            )
        }
        if hello.epoch == epoch && (hello.acked_seq < acked || cursor > hello.log_end) {
            // Central holds less than it acknowledged, in the same epoch, and did not open a new
            // one on this report (it is still catching up another restore).
            throw NodeError(
                .conflict,
                "central holds this store's changes only up to seq \(hello.acked_seq) but acknowledged \(acked) (cursor \(cursor), central's log ends at \(hello.log_end)): it was restored without opening a new epoch. Head office: stop `serve` and run `fenxiao restore --from FILE --min-epoch \(epoch + 1)`; nothing was pushed or pulled, this store's changes are safe here"
            )
        }
        if hello.epoch > epoch && hello.acked_seq < ownCompacted {
            // Central's latest backup held these changes when the store dropped them from its
            // log: central was restored from an older backup, and they cannot be given back.
            throw NodeError(
                .conflict,
                "central was restored from a backup that holds this store's changes only up to seq \(hello.acked_seq), but the store already dropped its own changes up to seq \(ownCompacted) from its log after central's latest backup held them (docs/STABILITY.md). Head office: restore central from its latest `fenxiao backup` instead; nothing was pushed or pulled"
            )
        }
        if hello.epoch > epoch, let restore = hello.restore, restore.central_seq < centralCompacted {
            // The same for central's own changes: the store dropped them once central's latest
            // backup held them, so it cannot give them back to a central restored from an older one.
            throw NodeError(
                .conflict,
                "central was restored from a backup that holds its own changes only up to seq \(restore.central_seq), but this store already dropped central's changes up to seq \(centralCompacted) from its log after central's latest backup held them (docs/STABILITY.md). Head office: restore central from its latest `fenxiao backup` instead; nothing was pushed or pulled"
            )
        }
        // Stamp every later change above the frontier and above what this store promised, and
        // bring an idle store's clock up to its wall clock: the promise its pulls carry is the
        // clock (§8.8), so a store that sells nothing does not hold the frontier back.
        let now = HLC(wallMillis: node.store.wallNow(), counter: 0)
        let floor = max(HLC(rawValue: max(hello.frontier ?? 0, hello.stable_hlc ?? 0)), now)
        do { try node.store.observeClock(floor) } catch { throw NodeError.wrap(error) }
        var values = [CentralKeys.chain: hello.chain]
        if let frontier = hello.frontier { values[LogCompaction.Keys.frontier] = String(frontier) }
        if let durable = hello.durable_seq { values[LogCompaction.Keys.durableSeq] = String(durable) }
        if let durable = hello.central_durable_seq { values[LogCompaction.Keys.centralDurableSeq] = String(durable) }
        if hello.epoch > epoch {
            try await giveBack(
                after: hello.restore?.central_seq ?? 0, upTo: hello.restore?.own_seq_floor ?? 0, ownHeld: ownHeld)
            // Re-push from what central really holds; re-pull from where its log is unchanged
            // (a restore we missed in between: from the start — pulls are idempotent).
            let base = hello.epoch == epoch + 1 ? (hello.restore?.base_pos ?? 0) : 0
            values["acked_seq"] = String(hello.acked_seq)
            values["pull_cursor"] = String(min(cursor, base))
            values[CentralKeys.epoch] = String(hello.epoch)
        }
        do { try node.store.setMeta(values) } catch { throw NodeError.wrap(error) }
        return CentralStanding(
            catchingUp: !(hello.restore?.waiting.isEmpty ?? true), blank: blank, rejoining: rejoining)
    }

    /// After a sync that began while central was catching up: converged only when central no
    /// longer waits for any store.
    func confirmConverged(_ standing: CentralStanding) async throws(NodeError) {
        guard standing.catchingUp, let hello = try await fetchHello(report: nil),
            let waiting = hello.restore?.waiting, !waiting.isEmpty
        else { return }
        throw NodeError(
            .storage,
            "central is catching up after a restore from a backup: it still waits for \(waiting.joined(separator: ", ")) to sync (their changes since the backup are not back yet). Everything of this store is at central; run `fenxiao sync` again once they have synced"
        )
    }

    /// Central's `hello`, retried like any sync step; nil when central does not offer it (404).
    /// `report` (what this store recorded: acked seq, pull cursor, central's epoch) lets
    /// central notice that it was restored without `fenxiao restore`.
    func fetchHello(report: (acked: Int64, cursor: Int64, epoch: Int64)?) async throws(NodeError) -> SyncWire.Hello? {
        var query = ""
        if let report { query = "?acked=\(report.acked)&cursor=\(report.cursor)&epoch=\(report.epoch)" }
        let url = link.url + "/v1/sync/hello" + query
        // A 200 with an unreadable body (cut short on the way) is retried like a 5xx.
        let result = try await retrying(readable: { Self.decodeHello($0) != nil }) {
            try self.http.request(method: "GET", url: url, headers: self.headers)
        }
        if result.status == 404 { return nil }
        guard result.status == 200, let hello = Self.decodeHello(result) else {
            throw NodeError(.storage, message: Self.describe(result))
        }
        return hello
    }

    static func decodeHello(_ result: HTTPResult) -> SyncWire.Hello? {
        try? JSONDecoder().decode(SyncWire.Hello.self, from: Data(result.body))
    }

    /// Gives central back its own changes in `(after, upTo]` that this store holds, in batches,
    /// reporting the store's own highest seq with each.
    func giveBack(after: Int64, upTo: Int64, ownHeld: Int64) async throws(NodeError) {
        let held = try node.read { r in try r.changes(of: .central, after: after, limit: 10_000_000) }.filter {
            $0.seq <= upTo
        }
        var start = 0
        repeat {
            let batch = Array(held[start..<min(held.count, start + configuration.pushBatchSize)])
            let body = Array(SyncWire.PushRequest.encode(batch).utf8)
            let url = link.url + "/v1/sync/return?own_seq=\(ownHeld)"
            let result = try await retrying(readable: {
                (try? JSONDecoder().decode(SyncWire.ReturnResponse.self, from: Data($0.body))) != nil
            }) {
                try self.http.request(method: "POST", url: url, headers: self.headers, body: body)
            }
            guard result.status == 200 else { throw NodeError(.storage, message: Self.describe(result)) }
            start += batch.count
        } while start < held.count
    }

    /// One HTTP request with the sync's retry policy for transport errors, 5xx, 408 and 429.
    /// `readable` tells whether a 200 answer's body is whole.
    func retrying(readable: (HTTPResult) -> Bool, _ body: @escaping @Sendable () throws -> HTTPResult)
        async throws(NodeError)
        -> HTTPResult
    {
        var attempt = 0
        while true {
            attempt += 1
            var why: String
            do {
                let result = try await offload { try body() }
                let transient = result.status >= 500 || result.status == 408 || result.status == 429
                if !transient && (result.status != 200 || readable(result)) { return result }
                why = transient ? Self.describe(result) : "central sent an unreadable answer"
            } catch {
                why = "\(error)"
            }
            if attempt >= configuration.maxAttempts {
                throw NodeError(
                    .storage,
                    "central unreachable after \(attempt) attempts (\(why)); your changes are safe locally, try `fenxiao sync` later"
                )
            }
            let ceiling = min(
                configuration.maxDelayMillis, configuration.baseDelayMillis << Int64(min(attempt - 1, 20)))
            let millis = Int64.random(in: (ceiling / 2)...max(ceiling / 2, ceiling))
            try? await Task.sleep(nanoseconds: UInt64(millis) * 1_000_000)
        }
    }

    static func describe(_ result: HTTPResult) -> String {
        let message =
            (try? JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(result.body)))?.error
            ?? "HTTP \(result.status)"
        return "central answered \(result.status): \(message)"
    }
}
