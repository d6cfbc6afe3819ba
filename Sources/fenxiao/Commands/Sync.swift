import ArgumentParser
import Foundation
import Logging
import Node
import Replication
import Server
import ServiceLifecycle
import Storage
import SyncClient

struct Enroll: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Central: enroll a store (prints its token once), revoke it, or retire it for good.",
        discussion: """
            A revoked store still holds the stability frontier back (it may be enrolled again \
            with sales to push); --retire a store that will never sync again (closed, its PC \
            gone) so central's frontier moves on (docs/STABILITY.md).
            """)
    @OptionGroup var common: CommonOptions
    @Option var node: String?
    @Option(name: .customLong("warehouse"), help: "Extra warehouses the store owns (its own is named after it).")
    var warehouses: [String] = []
    @Option(help: "Revoke this node's token.") var revoke: String?
    @Option(help: "Retire this store for good: revoke its token and stop it holding the frontier back.")
    var retire: String?
    @Option(help: "Create an admin token with this name (for GET /v1/nodes).") var admin: String?

    /// `{"node", "revoked": true}` or `{"node", "token"}`.
    struct Out: Encodable {
        let node: String
        var revoked: Bool?
        var retired: Bool?
        var token: String?
    }

    func run(on fx: FenxiaoNode) throws -> Out {
        if let retire {
            try fx.sync.retire(node: retire)
            return Out(node: retire, revoked: true, retired: true)
        }
        if let revoke {
            try fx.sync.revoke(node: revoke)
            return Out(node: revoke, revoked: true)
        }
        guard let name = node ?? admin else {
            throw ValidationError("give --node NAME (or --revoke NAME, --retire NAME, or --admin NAME)")
        }
        return Out(node: name, token: try fx.sync.enroll(node: name, warehouses: warehouses, admin: admin != nil))
    }

    func human(_ out: Out) -> String {
        if out.retired == true {
            return "retired \(out.node): its token no longer works and it no longer holds the frontier back"
        }
        return out.token.map { "enrolled \(out.node); its token (shown once): \($0)" } ?? "revoked \(out.node)"
    }
}

struct Join: AsyncNodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Store: record central's URL and token, then do the first sync.",
        discussion: """
            The token is read from --token-file (a file holding it, or - for standard input) or, \
            when neither token option is given, from standard input (typed without echo at a \
            terminal), so it never appears in shell history or `ps`. --token still works but \
            is discouraged. If the first sync fails, the previous URL and token are kept.
            """)
    @OptionGroup var common: CommonOptions
    @Option var url: String
    @Option(help: "Discouraged: visible in shell history and `ps`; use --token-file or standard input.") var token:
        String?
    @Option(name: .customLong("token-file"), help: "Read the token from this file (- for standard input).")
    var tokenFile: String?
    @Flag(
        name: .customLong("full-pull"),
        help: "Pull every change since the chain's first day instead of starting from central's snapshot.")
    var fullPull = false

    struct Out: Encodable {
        let joined: String
        let pulled: Int
        let snapshot: SnapshotManifest?
    }

    func run(on node: FenxiaoNode) async throws -> Out {
        guard node.identity.role == .store else { throw NodeError(.wrongRole, "only a store joins a central node") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--url must start with http:// or https://")
        }
        let secret = try TokenInput.read(option: token, file: tokenFile)
        let link = CentralLink(url: url, token: secret)
        // The new link is recorded only once central has answered a full sync with it: a typo
        // in the URL or token leaves the store syncing where it did before.
        let outcome = try await runSync(node: node, common: common, link: link, fullPull: fullPull)
        try node.store.setMeta(["central_url": url, "token": secret])
        return Out(joined: url, pulled: outcome.summary.pulled, snapshot: outcome.snapshot)
    }

    func human(_ out: Out) -> String {
        "joined \(out.joined); \(SyncOutcome.line(out.snapshot))pulled \(out.pulled) changes"
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Store: push pending changes, then pull until caught up.")
    @OptionGroup var common: CommonOptions
    @Flag(help: "Keep syncing every --interval seconds (and as soon as the link comes back).") var watch = false
    @Option var interval = 30
    @Option(
        name: .customLong("batch"),
        help: "Changes per push and pull request (default: pushes of 5000, at most 4 MiB, and pulls of 1000).")
    var batch: Int?
    @Option(help: "push, pull or both (default).") var phase: SyncPhase = .both
    @Flag(
        name: .customLong("full-pull"),
        help: "A blank store pulls every change instead of starting from central's snapshot.")
    var fullPull = false
    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        if let batch, !(1...5000).contains(batch) { throw ValidationError("--batch must be 1…5000") }
        let layers = try ConfigLayers.load(config: config.path, dataDirectory: common.directory)
        let node = try common.openNode()
        try attempt { try node.store.quickCheck() }  // never sync a damaged file
        if watch {
            let logger = log.bootstrap(
                format: try layers.value("log.format", flag: log.format) ?? .text,
                level: try layers.value("log.level", flag: log.level) ?? .info)
            return try await SyncWatch(node: node, every: max(1, interval), batch: batch, phase: phase, logger: logger)
                .run()
        }
        repeat {
            let started = Date()
            do {
                let outcome = try await runSync(
                    node: node, common: common, batch: batch, phase: phase, fullPull: fullPull)
                let (s, bytes) = (outcome.summary, outcome.bytes)
                let ended = Date()
                struct Out: Encodable {
                    let pushed: Int, pulled: Int, conflicts_new: Int, duration_ms: Int, retries: Int, bytes: Int,
                        peak_rss_mb: Double
                    /// When the sync began and ended (Unix milliseconds): the benchmark measures
                    /// central over several stores' syncs from the first start to the last end.
                    let started_at_ms: Double, ended_at_ms: Double
                    let clock_offset_ms: Int64?
                    let snapshot: SnapshotManifest?
                }
                let ms = Int(ended.timeIntervalSince(started) * 1000)
                let offset = try? node.read { try $0.offsetFromCentral() }
                common.emit(
                    Out(
                        pushed: s.pushed, pulled: s.pulled, conflicts_new: s.conflicts_new, duration_ms: ms,
                        retries: s.retries,
                        bytes: bytes, peak_rss_mb: PeakRSS.selfMB(),
                        started_at_ms: started.timeIntervalSince1970 * 1000,
                        ended_at_ms: ended.timeIntervalSince1970 * 1000,
                        clock_offset_ms: offset?.offsetMillis,
                        snapshot: outcome.snapshot),
                    human: SyncOutcome.line(outcome.snapshot)
                        + "pushed \(s.pushed), pulled \(s.pulled), new conflicts \(s.conflicts_new) in \(ms) ms"
                        + (offset.map { "; clock \(ClockOffset.describe($0.offsetMillis)) of central" } ?? ""))
            } catch let e as ExitCode where watch {
                _ = e  // already reported; keep watching
            }
            if watch { try await Task.sleep(nanoseconds: UInt64(max(1, interval)) * 1_000_000_000) }
        } while watch
    }
}

/// What one sync of `fenxiao sync` or `join` did.
struct SyncOutcome {
    var summary: SyncSession.Summary
    var bytes: Int
    /// The snapshot a blank store started from (nil: it pulled from where it was).
    var snapshot: SnapshotManifest?

    /// "started from central's snapshot …; " or nothing.
    static func line(_ snapshot: SnapshotManifest?) -> String {
        snapshot.map {
            "started from central's snapshot (\($0.rows) rows, \($0.changes) changes in the log, up to position \($0.cursor)); "
        } ?? ""
    }
}

/// One sync with a progress line on stderr for long syncs; warns on stderr when this store's
/// clock is beyond central's maximum offset. `link` overrides the recorded one (`join`);
/// `fullPull` makes a blank store pull every change instead of starting from a snapshot.
func runSync(
    node: FenxiaoNode, common: CommonOptions, batch: Int? = nil, phase: SyncPhase = .both, link: CentralLink? = nil,
    fullPull: Bool = false
) async throws -> SyncOutcome {
    let link = try link ?? attempt { try SyncRunner.link(of: node) }
    let runner = try attempt { try SyncRunner(node: node, link: link, configuration: .init(batchSize: batch)) }
    runner.phase = phase
    runner.startFromSnapshot = !fullPull
    let interactive = isatty(2) != 0 && !common.json
    if interactive {
        runner.progress = { pushed, total, pulled in
            let line = total > 0 ? "\rpushing \(pushed)/\(total)" : "\rpulled \(pulled)   "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
    do {
        let summary = try await runner.run()
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let warning = runner.clockReading?.warning {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        return SyncOutcome(summary: summary, bytes: runner.bytesOnWire, snapshot: runner.snapshot)
    } catch {
        throw fail(error)
    }
}

struct Recover: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract:
            "Store restored from an old copy: fetch its acknowledged changes back from central, re-issue newer ones.")
    @OptionGroup var common: CommonOptions

    func run(on node: FenxiaoNode) throws -> StoreRecovery.Summary {
        try StoreRecovery(node: node, link: SyncRunner.link(of: node)).run()
    }

    func human(_ summary: StoreRecovery.Summary) -> String {
        "recovered \(summary.recovered) acknowledged changes (central holds seq \(summary.central_seq)), re-issued \(summary.reissued) newer ones; the old file is kept as \(summary.backup). Now run `fenxiao sync`."
    }
}
