import Foundation

/// Every key `fenxiao.toml` may hold, its TOML type, and what it sets. Each key is also an
/// environment variable: `server.port` is `FENXIAO_SERVER_PORT`.
enum ConfigSchema {
    enum Kind: Sendable {
        case string, integer, boolean
        var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            }
        }
    }

    struct Key: Sendable {
        let type: Kind
        /// The flag it stands for, or what it sets.
        let help: String
    }

    static let keys: [String: Key] = [
        "server.host": Key(type: .string, help: "--host"),
        "server.port": Key(type: .integer, help: "--port"),
        "server.max_body_mb": Key(type: .integer, help: "--max-body-mb"),
        "server.idle_timeout": Key(type: .integer, help: "--idle-timeout, seconds"),
        "server.body_timeout": Key(type: .integer, help: "--body-timeout, seconds"),
        "server.max_connections_per_client": Key(type: .integer, help: "--max-connections-per-client"),
        "server.max_connections": Key(type: .integer, help: "--max-connections"),
        "log.format": Key(type: .string, help: "--log-format: json or text"),
        "log.level": Key(type: .string, help: "--log-level"),
        "metrics.port": Key(type: .integer, help: "--metrics-port"),
        "metrics.host": Key(type: .string, help: "--metrics-host"),
        "metrics.token_file": Key(type: .string, help: "--metrics-token-file"),
        "webhook.url": Key(type: .string, help: "--webhook"),
        "webhook.secret_file": Key(type: .string, help: "--webhook-secret-file"),
        "sync.every": Key(type: .string, help: "--sync-every, a store's sync interval such as \"30s\""),
        "sync.silent_after": Key(type: .string, help: "--silent-after, such as \"2h\""),
        "sync.max_clock_offset": Key(type: .integer, help: "--max-clock-offset, seconds"),
        "housekeeping.every": Key(type: .integer, help: "seconds between central's housekeeping rounds"),
        "housekeeping.birthday_every": Key(type: .integer, help: "minutes between birthday-gift scans"),
    ]

    static let sections: Set<String> = Set(keys.keys.compactMap { $0.split(separator: ".").first.map(String.init) })
    static var sectionList: String { sections.sorted().map { "[\($0)]" }.joined(separator: ", ") }

    /// `server.port` → `FENXIAO_SERVER_PORT`.
    static func environmentName(_ key: String) -> String {
        "FENXIAO_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
