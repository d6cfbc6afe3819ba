import GRDB
import Replication

/// A store whose last push central refused for a change's content: the store cannot push
/// anything after that change until its operator fixes or quarantines it.
public struct BlockedPush: Sendable, Equatable, Codable {
    /// The refused change, `origin/seq` (nil when the refusal named no single change).
    public var change: String?
    /// Central's reason, as the store was told.
    public var reason: String
    /// When central refused it (ms).
    public var since: Int64
}

extension NodeStore {
    /// Central: records that `node`'s push was refused for its content.
    public func recordBlocked(node: NodeID, change: String?, reason: String) throws {
        var text = ""
        JSONValue.object([
            "change": change.map(JSONValue.string) ?? .null, "reason": .string(String(reason.prefix(1000))),
            "since": .int(wallClock()),
        ]).write(into: &text)
        try setMeta(["blocked:\(node.rawValue)": text])
    }

    /// Central: `node` pushed successfully, so it is no longer blocked (in the push's own
    /// transaction: a push takes the write lock once).
    static func clearBlocked(_ db: Database, node: NodeID) throws {
        try db.step("DELETE FROM node_meta WHERE key = ?") { $0("blocked:\(node.rawValue)") }
    }

    /// Central: every blocked store, by node name.
    public func blockedStores() throws -> [String: BlockedPush] {
        try read { r in
            var out: [String: BlockedPush] = [:]
            for row in try r.rows("SELECT key, value FROM node_meta WHERE key LIKE 'blocked:%'") {
                guard let f = try? JSONParser.fields(row["value"] as String) else { continue }
                out[String((row["key"] as String).dropFirst("blocked:".count))] = BlockedPush(
                    change: f["change"]?.stringValue, reason: f["reason"]?.stringValue ?? "",
                    since: f["since"]?.intValue ?? 0)
            }
            return out
        }
    }
}
