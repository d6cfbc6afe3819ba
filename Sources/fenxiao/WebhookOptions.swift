import ArgumentParser
import Foundation

/// Central's webhook endpoint and the secret its deliveries are signed with.
struct WebhookOptions: ParsableArguments {
    @Option(help: "Central: POST every outbox event (order status changes) to this URL, signed, with retries.")
    var webhook: String?

    @Option(
        name: .customLong("webhook-secret-file"),
        help:
            "Central: a file holding the webhook's signing secret (or $FENXIAO_WEBHOOK_SECRET); needed with --webhook.")
    var secretFile: String?

    /// The secret: `--webhook-secret-file`, else `$FENXIAO_WEBHOOK_SECRET`; at least 16 characters.
    static func secret(file: String?) throws -> String? {
        var text: String?
        if let secretFile = file {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("--webhook-secret-file \(secretFile) cannot be read")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let env = ProcessInfo.processInfo.environment["FENXIAO_WEBHOOK_SECRET"], !env.isEmpty {
            text = env
        }
        guard let secret = text?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard secret.utf8.count >= 16 else {
            throw ValidationError("the webhook secret must be at least 16 characters (e.g. `openssl rand -hex 32`)")
        }
        return secret
    }
}
