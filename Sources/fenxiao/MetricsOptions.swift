import ArgumentParser
import Foundation

/// Central's `/metrics` exposure: a bearer token on the main port, a separate listener on
/// loopback, or both. Without either there is no `/metrics` (and nothing is counted).
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-port"),
        help: "Central: serve /metrics on this separate port (on --metrics-host, default 127.0.0.1).")
    var port: Int?

    @Option(
        name: .customLong("metrics-host"), help: "Address of the metrics port (default 127.0.0.1: this machine only).")
    var host: String?

    @Option(
        name: .customLong("metrics-token-file"),
        help:
            "Central: a file holding the token Prometheus sends (Bearer) for /metrics on the main port; or $FENXIAO_METRICS_TOKEN."
    )
    var tokenFile: String?

    /// The token: from `--metrics-token-file`, else `$FENXIAO_METRICS_TOKEN`; at least 16 characters.
    static func token(file: String?) throws -> String? {
        var text: String?
        if let tokenFile = file {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--metrics-token-file \(tokenFile) cannot be read")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let env = ProcessInfo.processInfo.environment["FENXIAO_METRICS_TOKEN"], !env.isEmpty {
            text = env
        }
        guard let token = text?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard token.count >= 16, !token.contains(where: \.isWhitespace) else {
            throw ValidationError(
                "the metrics token must be at least 16 characters without spaces (e.g. `openssl rand -hex 32`)")
        }
        return token
    }
}
