import ArgumentParser
import Foundation
import Node

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The node's data directory (default: $FENXIAO_HOME, else ./fenxiao-data).")
    var data: String?

    @Flag(name: .long, help: "Print exactly one JSON object on stdout.")
    var json = false

    @Option(name: .customLong("as"), help: "Run as this user (default: $FENXIAO_USER, else the node's operator).")
    var user: String?

    @Option(name: .customLong("pin"), help: "The PIN of the user who acts, once they have one (default: $FENXIAO_PIN).")
    var pin: String?

    /// `--pin`, else `$FENXIAO_PIN`.
    var cliPIN: String? { pin ?? ProcessInfo.processInfo.environment["FENXIAO_PIN"].flatMap { $0.isEmpty ? nil : $0 } }

    var directory: String {
        if let data { return data }
        if let home = ProcessInfo.processInfo.environment["FENXIAO_HOME"], !home.isEmpty { return home }
        return "fenxiao-data"
    }

    func openNode() throws -> FenxiaoNode {
        do {
            let actor = user ?? ProcessInfo.processInfo.environment["FENXIAO_USER"].flatMap { $0.isEmpty ? nil : $0 }
            let node = try FenxiaoNode.open(directory: directory).acting(as: actor)
            Self.offsetMillis = try node.dayOffsetMillis()
            // Once the user named by --as (or $FENXIAO_USER) has a PIN at this node, it is needed.
            // The node's operator acts without one (`sync` from cron, `serve`): naming a user
            // with a PIN as operator needs that PIN once (`user operator`).
            if actor != nil { try node.till.authenticate(pin: cliPIN) }
            return node
        } catch {
            throw fail(error)
        }
    }

    /// The UTC offset of the node last opened (its `init --utc-offset`, +08:00 by default): JSON
    /// times are printed at it. A command opens one node and prints once, on one thread.
    nonisolated(unsafe) static var offsetMillis: Int64 = 8 * 3_600_000

    /// Prints `value` as JSON (with --json) or `human` text.
    func emit<T: Encodable>(_ value: T, human: @autoclosure () -> String) {
        if json {
            print(Self.encode(value))
        } else {
            print(human())
        }
    }

    /// The one JSON encoding of every command: snake_case keys (a Swift property `amountCents`
    /// prints as `amount_cents`; dictionary keys such as SKUs are kept as they are), sorted
    /// keys, and every instant (`*_at`, ms since the epoch) as ISO 8601 with the node's offset,
    /// the integer kept under `*_at_ms`.
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value),
            let tree = try? JSONDecoder().decode(OutputJSON.self, from: data),
            let out = try? encoder.encode(tree.withISOTimes(offsetMillis: offsetMillis))
        else { return "{}" }
        return String(decoding: out, as: UTF8.self)
    }
}

func yuan(_ cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let a = cents.magnitude
    return "\(sign)¥\(a / 100).\(a % 100 < 10 ? "0" : "")\(a % 100)"
}

/// A JSON object with a single array field, e.g. `{"orders": [...]}`.
struct Listing<T: Encodable>: Encodable {
    let key: String
    let items: [T]
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(items, forKey: DynamicKey(key))
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
