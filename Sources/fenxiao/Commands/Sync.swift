import ArgumentParser
import Foundation
import Logging
import Node
import Replication
import Server
import ServiceLifecycle
import Storage
import SyncClient

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Central: serve the sync API. Store: serve the till (web app and API) on the shop's LAN. Until SIGINT/SIGTERM.",
        discussion: """
            On a store, tills open http://HOST:PORT/till; --host 0.0.0.0 (or the PC's LAN address) \
            opens it to the shop's network, and --sync-every 30s syncs with central in the same process.
            """)
    @OptionGroup var common: CommonOptions
    @Option(
        help: "Address to listen on: 127.0.0.1 (this machine only) or the LAN address / 0.0.0.0 for the shop's tills.")
    var host = "127.0.0.1"
    @Option var port = 8080
    @Option(name: .customLong("max-body-mb"), help: "Largest accepted request body in MiB.") var maxBodyMB = 8
    @Option(name: .customLong("port-file"), help: "Write the bound port to this file once listening.") var portFile:
        String?
    @Flag(help: "Same as --log-level debug.") var verbose = false
    @OptionGroup var log: LogOptions
    @OptionGroup var metricsOptions: MetricsOptions
    @OptionGroup var webhookOptions: WebhookOptions
    @Option(
        name: .customLong("max-clock-offset"),
        help:
            "Seconds a received stamp may move a clock past the wall clock; register writes stamped further ahead are dated by their arrival (default 300)."
    )
    var maxClockOffset: Int?
    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle or slow-header connection is closed.")
    var idleTimeout = 15
    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds a request body may take to arrive after its head (then 408 and close).")
    var bodyTimeout = 30
    @Option(name: .customLong("max-connections-per-client"), help: "Connections one client address may hold.")
    var maxPerClient = 256
    @Option(name: .customLong("max-connections"), help: "Connections held at once (default: descriptor limit − 64).")
    var maxConnections: Int?
    @Option(name: .customLong("sync-every"), help: "Store: sync with central this often (30s, 2m) in the same process.")
    var syncEvery: SyncEvery?
    @Option(
        name: .customLong("silent-after"),
        help:
            "Central: the head-office console shows a store red when it has not synced for this long (30m, 2h; default 2h)."
    )
    var silentAfter: SilentAfter?

    func run() async throws {
        let node = try common.openNode()
        try attempt { try node.store.quickCheck() }  // never serve from a damaged file
        try validateLimits()
        let logger = log.bootstrap(format: log.format ?? .text, level: log.level ?? (verbose ? .debug : .info))
        if node.identity.role == .store {
            guard webhookOptions.webhook == nil, maxClockOffset == nil, silentAfter == nil, metricsOptions.port == nil,
                metricsOptions.tokenFile == nil
            else {
                throw ValidationError(
                    "--webhook, --max-clock-offset, --silent-after and --metrics-… are central's options; a store serves its till"
                )
            }
            return try await serveTill(node, logger: logger)
        }
        if syncEvery != nil { throw ValidationError("--sync-every is for a store; central does not sync with anyone") }
        try attempt { try node.store.checkMark() }  // nor a file copied back by hand (central.mark)
        if let maxClockOffset {
            try attempt { try node.store.setMeta(["max_clock_offset_ms": String(Int64(maxClockOffset) * 1000)]) }
        }
        try await serveCentral(node, logger: logger)
    }

    func validateLimits() throws {
        guard (1...1024).contains(maxBodyMB) else { throw ValidationError("--max-body-mb must be 1…1024") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1…3600 seconds") }
        guard (1...3600).contains(bodyTimeout) else { throw ValidationError("--body-timeout must be 1…3600 seconds") }
        guard (1...100_000).contains(maxPerClient) else {
            throw ValidationError("--max-connections-per-client must be 1…100000")
        }
        if let maxConnections, !(1...1_000_000).contains(maxConnections) {
            throw ValidationError("--max-connections must be 1…1000000")
        }
        if let maxClockOffset {
            guard (1...86_400).contains(maxClockOffset) else {
                throw ValidationError("--max-clock-offset must be 1…86400 seconds")
            }
        }
    }

    var limits: FenxiaoServer.Limits {
        .init(
            maxBodyBytes: maxBodyMB * 1024 * 1024, idleTimeoutSeconds: idleTimeout,
            maxConnectionsPerClient: maxPerClient,
            maxConnections: maxConnections, bodyTimeoutSeconds: bodyTimeout)
    }

    /// Writes the bound port (`--port-file`) and the listening line (on stdout, as scripts
    /// read it, and in the log).
    func announce(_ what: String, bound: Int, logger: Logger) {
        if let portFile {
            do {
                try Data("\(bound)\n".utf8).write(to: URL(fileURLWithPath: portFile))
            } catch {
                logger.error("cannot write the port file", metadata: ["path": .string(portFile), "error": "\(error)"])
            }
        }
        logger.notice(
            "listening",
            metadata: [
                "role": .string(what), "url": .string("http://\(host):\(bound)"), "version": .string(fenxiaoVersion),
            ])
        let line =
            common.json ? #"{"listening":"http://\#(host):\#(bound)"}"# : "\(what) listening on http://\(host):\(bound)"
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A store: the till and its API, and (with --sync-every) the sync loop, in one process.
    func serveTill(_ node: FenxiaoNode, logger: Logger) async throws {
        let health = SyncHealth()
        let server = FenxiaoServer(node: node, limits: limits)
        let till = TillFace(node: node, health: health)
        var services: [any Service] = []
        if let syncEvery {
            services.append(
                StoreSyncLoop(node: node, every: .seconds(syncEvery.seconds), health: health, logger: logger))
        }
        try await server.run(
            router: till.router(), host: host, port: port, logger: logger, services: services
        ) { bound in
            announce("till", bound: bound, logger: logger)
        }
    }

    func serveCentral(_ node: FenxiaoNode, logger: Logger) async throws {
        let token = try metricsOptions.token()
        let metrics = (token != nil || metricsOptions.port != nil) ? ServerMetrics(token: token) : nil
        let server = FenxiaoServer(node: node, limits: limits, metrics: metrics)
        let delivery = try webhookOptions.webhook.map { url in
            guard let secret = try webhookOptions.secret() else {
                throw ValidationError(
                    "--webhook needs a signing secret: --webhook-secret-file FILE or $FENXIAO_WEBHOOK_SECRET (receivers check it)"
                )
            }
            return try attempt { try WebhookDelivery(node: node, url: url, secret: secret, logger: logger) }
        }
        // Head office's housekeeping: every 5 s, central's high-water mark is written beside the
        // database and applications made at stores (they arrive by sync) meet the automatic
        // approval rule, if head office set one; every 10 minutes (the scan reads every
        // member's contact copy), today's birthdays get their level's gift, once a year.
        var services: [any Service] = [
            PeriodicService(name: "housekeeping", every: .seconds(5), logger: logger) { round in
                try node.store.writeMark()
                _ = try node.distribution.autoReviewApplications()
                if round % 120 == 0 { _ = try node.members.giveBirthdayGifts() }
            }
        ]
        if let delivery {
            services.append(
                PeriodicService(name: "webhook", every: .seconds(1), logger: logger) { _ in
                    _ = try delivery.deliverPending(now: node.store.wallNow())
                })
        }
        if let metricsPort = metricsOptions.port {
            services.append(
                server.metricsListener(host: metricsOptions.host ?? "127.0.0.1", port: metricsPort, logger: logger))
        }
        try attempt { try node.store.writeMark() }
        // The sync API and the head-office console (/console) on one port.
        let router = server.router()
        ConsoleFace(node: node, silentAfterMillis: Int64(silentAfter?.seconds ?? 7200) * 1000).addRoutes(to: router)
        try await server.run(
            router: router, host: host, port: port, logger: logger, services: services
        ) { bound in
            announce("central", bound: bound, logger: logger)
        }
        do {
            try node.store.writeMark()  // a clean stop leaves the mark at the last change
        } catch {
            logger.error(
                "cannot write central's mark at shutdown", metadata: ["error": "\(NodeError.wrap(error).message)"])
        }
        logger.notice("stopped")
    }
}

struct Enroll: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Central: enroll a store (prints its token once) or revoke it.")
    @OptionGroup var common: CommonOptions
    @Option var node: String?
    @Option(name: .customLong("warehouse"), help: "Extra warehouses the store owns (its own is named after it).")
    var warehouses: [String] = []
    @Option(help: "Revoke this node's token.") var revoke: String?
    @Option(help: "Create an admin token with this name (for GET /v1/nodes).") var admin: String?

    /// `{"node", "revoked": true}` or `{"node", "token"}`.
    struct Out: Encodable {
        let node: String
        var revoked: Bool?
        var token: String?
    }

    func run(on fx: FenxiaoNode) throws -> Out {
        if let revoke {
            try fx.sync.revoke(node: revoke)
            return Out(node: revoke, revoked: true)
        }
        guard let name = node ?? admin else {
            throw ValidationError("give --node NAME (or --revoke NAME, or --admin NAME)")
        }
        return Out(node: name, token: try fx.sync.enroll(node: name, warehouses: warehouses, admin: admin != nil))
    }

    func human(_ out: Out) -> String {
        out.token.map { "enrolled \(out.node); its token (shown once): \($0)" } ?? "revoked \(out.node)"
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

    struct Out: Encodable { let joined: String; let pulled: Int }

    func run(on node: FenxiaoNode) async throws -> Out {
        guard node.identity.role == .store else { throw NodeError(.wrongRole, "only a store joins a central node") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--url must start with http:// or https://")
        }
        let secret = try TokenInput.read(option: token, file: tokenFile)
        let link = CentralLink(url: url, token: secret)
        // The new link is recorded only once central has answered a full sync with it: a typo
        // in the URL or token leaves the store syncing where it did before.
        let (summary, _) = try await runSync(node: node, common: common, link: link)
        try node.store.setMeta(["central_url": url, "token": secret])
        return Out(joined: url, pulled: summary.pulled)
    }

    func human(_ out: Out) -> String { "joined \(out.joined); pulled \(out.pulled) changes" }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Store: push pending changes, then pull until caught up.")
    @OptionGroup var common: CommonOptions
    @Flag(help: "Keep syncing every --interval seconds (and as soon as the link comes back).") var watch = false
    @Option var interval = 30
    @Option(name: .customLong("batch"), help: "Changes per push/pull request.") var batch = 1000
    @Option(help: "push, pull or both (default).") var phase: SyncPhase = .both
    @OptionGroup var log: LogOptions
    @OptionGroup var metricsOptions: MetricsOptions

    func run() async throws {
        guard (1...5000).contains(batch) else { throw ValidationError("--batch must be 1…5000") }
        let node = try common.openNode()
        try attempt { try node.store.quickCheck() }  // never sync a damaged file
        if watch {
            let logger = log.bootstrap(format: log.format ?? .text, level: log.level ?? .info)
            return try await SyncWatch(node: node, every: max(1, interval), batch: batch, phase: phase, logger: logger)
                .run()
        }
        repeat {
            let started = Date()
            do {
                let (s, bytes) = try await runSync(node: node, common: common, batch: batch, phase: phase)
                struct Out: Encodable {
                    let pushed: Int, pulled: Int, conflicts_new: Int, duration_ms: Int, retries: Int, bytes: Int,
                        peak_rss_mb: Double
                    let clock_offset_ms: Int64?
                }
                let ms = Int(Date().timeIntervalSince(started) * 1000)
                let offset = try? node.read { try $0.offsetFromCentral() }
                common.emit(
                    Out(
                        pushed: s.pushed, pulled: s.pulled, conflicts_new: s.conflicts_new, duration_ms: ms,
                        retries: s.retries,
                        bytes: bytes, peak_rss_mb: PeakRSS.selfMB(), clock_offset_ms: offset?.offsetMillis),
                    human: "pushed \(s.pushed), pulled \(s.pulled), new conflicts \(s.conflicts_new) in \(ms) ms"
                        + (offset.map { "; clock \(ClockOffset.describe($0.offsetMillis)) of central" } ?? ""))
            } catch let e as ExitCode where watch {
                _ = e  // already reported; keep watching
            }
            if watch { try await Task.sleep(nanoseconds: UInt64(max(1, interval)) * 1_000_000_000) }
        } while watch
    }
}

/// One sync with a progress line on stderr for long syncs; warns on stderr when this store's
/// clock is beyond central's maximum offset. `link` overrides the recorded one (`join`).
func runSync(
    node: FenxiaoNode, common: CommonOptions, batch: Int = 1000, phase: SyncPhase = .both, link: CentralLink? = nil
) async throws -> (SyncSession.Summary, Int) {
    let link = try link ?? attempt { try SyncRunner.link(of: node) }
    let runner = try attempt { try SyncRunner(node: node, link: link, configuration: .init(batchSize: batch)) }
    runner.phase = phase
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
        return (summary, runner.bytesOnWire)
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
