import ArgumentParser
import Logging
import Server

/// `serve`'s settings once flags, `FENXIAO_…` variables, the config file and the defaults are
/// layered (``ConfigLayers``), each checked against its range with the flag named.
struct ServeSettings {
    var host: String
    var port: Int
    var limits: FenxiaoServer.Limits
    var logFormat: LogFormat
    var logLevel: Logger.Level
    var metricsPort: Int?
    var metricsHost: String
    var metricsTokenFile: String?
    var webhook: String?
    var webhookSecretFile: String?
    var syncEvery: SyncEvery?
    var silentAfter: SilentAfter?
    var maxClockOffset: Int?
    var housekeepingSeconds: Int
    var birthdayEveryMinutes: Int

    init(_ serve: Serve, _ layers: ConfigLayers) throws {
        host = try layers.value("server.host", flag: serve.host) ?? "127.0.0.1"
        port = try Self.ranged("--port", layers.value("server.port", flag: serve.port) ?? 8080, 0...65535)
        let maxBodyMB = try Self.ranged(
            "--max-body-mb", layers.value("server.max_body_mb", flag: serve.maxBodyMB) ?? 8, 1...1024)
        let idle = try Self.ranged(
            "--idle-timeout", layers.value("server.idle_timeout", flag: serve.idleTimeout) ?? 15, 1...3600)
        let body = try Self.ranged(
            "--body-timeout", layers.value("server.body_timeout", flag: serve.bodyTimeout) ?? 30, 1...3600)
        let perClient = try Self.ranged(
            "--max-connections-per-client",
            layers.value("server.max_connections_per_client", flag: serve.maxPerClient) ?? 256, 1...100_000)
        let maxConnections = try layers.value("server.max_connections", flag: serve.maxConnections).map {
            try Self.ranged("--max-connections", $0, 1...1_000_000)
        }
        limits = .init(
            maxBodyBytes: maxBodyMB * 1024 * 1024, idleTimeoutSeconds: idle, maxConnectionsPerClient: perClient,
            maxConnections: maxConnections, bodyTimeoutSeconds: body)
        logFormat = try layers.value("log.format", flag: serve.log.format) ?? .text
        logLevel = try layers.value("log.level", flag: serve.log.level ?? (serve.verbose ? .debug : nil)) ?? .info
        metricsPort = try layers.value("metrics.port", flag: serve.metricsOptions.port).map {
            try Self.ranged("--metrics-port", $0, 0...65535)
        }
        metricsHost = try layers.value("metrics.host", flag: serve.metricsOptions.host) ?? "127.0.0.1"
        metricsTokenFile = try layers.value("metrics.token_file", flag: serve.metricsOptions.tokenFile)
        webhook = try layers.value("webhook.url", flag: serve.webhookOptions.webhook)
        webhookSecretFile = try layers.value("webhook.secret_file", flag: serve.webhookOptions.secretFile)
        syncEvery = try layers.value("sync.every", flag: serve.syncEvery)
        silentAfter = try layers.value("sync.silent_after", flag: serve.silentAfter)
        maxClockOffset = try layers.value("sync.max_clock_offset", flag: serve.maxClockOffset).map {
            try Self.ranged("--max-clock-offset", $0, 1...86_400)
        }
        housekeepingSeconds = try Self.ranged(
            "housekeeping.every", layers.value("housekeeping.every", flag: nil as Int?) ?? 5, 1...3600)
        birthdayEveryMinutes = try Self.ranged(
            "housekeeping.birthday_every", layers.value("housekeeping.birthday_every", flag: nil as Int?) ?? 10,
            1...1440)
    }

    static func ranged(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be \(range.lowerBound)…\(range.upperBound), not \(value)")
        }
        return value
    }
}
