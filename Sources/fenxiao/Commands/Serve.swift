import ArgumentParser
import Foundation
import Logging
import Node
import Server
import ServiceLifecycle
import SyncClient

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Central: serve the sync API. Store: serve the till (web app and API) on the shop's LAN. Until SIGINT/SIGTERM.",
        discussion: """
            On a store, tills open http://HOST:PORT/till; --host 0.0.0.0 (or the PC's LAN address) \
            opens it to the shop's network, and --sync-every 30s syncs with central in the same process. \
            Every option below can also come from the config file (--config) or a FENXIAO_… variable; \
            a flag wins over the variable, the variable over the file.
            """)
    @OptionGroup var common: CommonOptions
    @OptionGroup var config: ConfigOptions
    @Option(
        help:
            "Address to listen on: 127.0.0.1 (this machine only, the default) or the LAN address / 0.0.0.0 for the shop's tills."
    )
    var host: String?
    @Option(help: "Port to listen on (default 8080; 0 picks a free one).") var port: Int?
    @Option(name: .customLong("max-body-mb"), help: "Largest accepted request body in MiB (default 8).")
    var maxBodyMB: Int?
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
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds before an idle or slow-header connection is closed (default 15).")
    var idleTimeout: Int?
    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds a request body may take to arrive after its head (then 408 and close; default 30).")
    var bodyTimeout: Int?
    @Option(
        name: .customLong("max-connections-per-client"), help: "Connections one client address may hold (default 256).")
    var maxPerClient: Int?
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
    @Flag(
        name: .customLong("mall-dev-codes"),
        help:
            "Central, development only: also write each mall login code to the log (the SMS gateway gets them by webhook)."
    )
    var mallDevCodes = false
    @Flag(
        name: .customLong("behind-proxy"),
        help:
            "Central: a TLS proxy in front appends the client's address to X-Forwarded-For; the mall's per-address limits count by it (without this flag the header is ignored)."
    )
    var behindProxy = false

    func run() async throws {
        let layers = try ConfigLayers.load(config: config.path, dataDirectory: common.directory)
        let settings = try ServeSettings(self, layers)
        let node = try common.openNode()
        try attempt { try node.store.quickCheck() }  // never serve from a damaged file
        let logger = log.bootstrap(format: settings.logFormat, level: settings.logLevel)
        if node.identity.role == .store {
            guard settings.webhook == nil, settings.maxClockOffset == nil, settings.silentAfter == nil,
                settings.metricsPort == nil, settings.metricsTokenFile == nil, !mallDevCodes, !behindProxy
            else {
                throw ValidationError(
                    "--webhook, --max-clock-offset, --silent-after, --mall-dev-codes, --behind-proxy and --metrics-… are central's options; a store serves its till"
                )
            }
            return try await serveTill(node, settings, logger: logger)
        }
        if settings.syncEvery != nil {
            throw ValidationError("--sync-every is for a store; central does not sync with anyone")
        }
        try attempt { try node.store.checkMark() }  // nor a file copied back by hand (central.mark)
        if let maxClockOffset = settings.maxClockOffset {
            try attempt { try node.store.setMeta(["max_clock_offset_ms": String(Int64(maxClockOffset) * 1000)]) }
        }
        try await serveCentral(node, settings, logger: logger)
    }

    /// Writes the bound port (`--port-file`) and the listening line (on stdout, as scripts
    /// read it, and in the log).
    func announce(_ what: String, host: String, bound: Int, logger: Logger) {
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
    func serveTill(_ node: FenxiaoNode, _ settings: ServeSettings, logger: Logger) async throws {
        let health = SyncHealth()
        let server = FenxiaoServer(node: node, limits: settings.limits)
        let till = TillFace(node: node, health: health)
        var services: [any Service] = []
        if let syncEvery = settings.syncEvery {
            services.append(
                StoreSyncLoop(node: node, every: .seconds(syncEvery.seconds), health: health, logger: logger))
        }
        try await server.run(
            router: till.router(), host: settings.host, port: settings.port, logger: logger, services: services
        ) { bound in
            announce("till", host: settings.host, bound: bound, logger: logger)
        }
    }

    func serveCentral(_ node: FenxiaoNode, _ settings: ServeSettings, logger: Logger) async throws {
        let token = try MetricsOptions.token(file: settings.metricsTokenFile)
        let metrics = (token != nil || settings.metricsPort != nil) ? ServerMetrics(token: token) : nil
        let server = FenxiaoServer(node: node, limits: settings.limits, metrics: metrics)
        let delivery = try settings.webhook.map { url in
            guard let secret = try WebhookOptions.secret(file: settings.webhookSecretFile) else {
                throw ValidationError(
                    "--webhook needs a signing secret: --webhook-secret-file FILE or $FENXIAO_WEBHOOK_SECRET (receivers check it)"
                )
            }
            return try attempt { try WebhookDelivery(node: node, url: url, secret: secret, logger: logger) }
        }
        // Head office's housekeeping: every 5 s (housekeeping.every), central's high-water mark
        // is written beside the database and applications made at stores (they arrive by sync)
        // meet the automatic approval rule, if head office set one; every 10 minutes
        // (housekeeping.birthday_every; the scan reads every member's contact copy), today's
        // birthdays get their level's gift, once a year; every minute, online orders left unpaid
        // past their deadline (the mall's countdown, `Orders.unpaidLifeMinutes`) are cancelled,
        // their stock, coupon and points given back; every 10 minutes, the member ledgers
        // snapshots carry are folded up to the frontier and the stores' settled changes move to
        // the archive (`fenxiao archive`).
        let minuteRounds = max(1, 60 / settings.housekeepingSeconds)
        let foldRounds = 10 * minuteRounds
        let birthdayRounds = max(1, settings.birthdayEveryMinutes * 60 / settings.housekeepingSeconds)
        var services: [any Service] = [
            PeriodicService(name: "housekeeping", every: .seconds(settings.housekeepingSeconds), logger: logger) {
                round in
                try node.store.writeMark()
                // Every server keeps its copy's folded member ledgers near the frontier, so the
                // snapshot a new store asks for folds only the last minutes (`SnapshotLedgerFolds`).
                if round % foldRounds == 0 { try node.store.advanceSnapshotFolds() }
                // A single central moves the stores' settled changes out of its hot log.
                if round % foldRounds == 0 && node.store.shared == nil { _ = try node.store.archiveLog() }
                // Several servers sharing a log: one of them (the database's advisory lock) works.
                guard try node.store.runsHousekeeping() else { return }
                _ = try node.distribution.autoReviewApplications()
                if round % birthdayRounds == 0 { _ = try node.members.giveBirthdayGifts() }
                if round % minuteRounds == 0 { _ = try node.orders.expireUnpaid(olderThan: Orders.unpaidLifeMinutes) }
            }
        ]
        if node.store.shared != nil {
            // A server sharing its log with others applies what they appended (docs/POSTGRES.md):
            // the console, the mall and the pulls it serves see other servers' pushes within this.
            services.append(
                PeriodicService(name: "shared-log", every: .milliseconds(250), logger: logger) { _ in
                    try node.store.catchUpShared()
                })
        }
        if let delivery {
            services.append(
                PeriodicService(name: "webhook", every: .seconds(1), logger: logger) { _ in
                    _ = try delivery.deliverPending(now: node.store.wallNow())
                })
        }
        if let metricsPort = settings.metricsPort {
            services.append(server.metricsListener(host: settings.metricsHost, port: metricsPort, logger: logger))
        }
        try attempt { try node.store.writeMark() }
        // The sync API, the head-office console (/console) and the members' mall (/mall) on one port.
        let router = server.router()
        let silentAfterMillis = Int64(settings.silentAfter?.seconds ?? 7200) * 1000
        ConsoleFace(node: node, silentAfterMillis: silentAfterMillis).addRoutes(to: router)
        MallFace(node: node, devCodes: mallDevCodes, behindProxy: behindProxy, logger: logger).addRoutes(to: router)
        try await server.run(
            router: router, host: settings.host, port: settings.port, logger: logger, services: services
        ) { bound in
            announce("central", host: settings.host, bound: bound, logger: logger)
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
