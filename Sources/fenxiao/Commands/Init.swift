import ArgumentParser
import Node
import Storage

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a node (central or store) in the data directory.")

    @OptionGroup var common: CommonOptions
    @Option(help: "central or store.") var role: String
    @Option(help: "The node's name (central must be 'central'; stores e.g. s1).") var node: String
    @Option(name: .customLong("utc-offset"), help: "Day boundaries for reports, e.g. +08:00 (default Asia/Shanghai).") var utcOffset: String?

    func run() throws {
        guard let r = NodeRole(rawValue: role) else {
            throw ValidationError("--role must be central or store (got '\(role)')")
        }
        var minutes: Int?
        if let utcOffset {
            let sign = utcOffset.hasPrefix("-") ? -1 : 1
            let parts = utcOffset.drop { $0 == "+" || $0 == "-" }.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...14).contains(h), (0...59).contains(m) else {
                throw ValidationError("--utc-offset must look like +08:00 or -05:00")
            }
            minutes = sign * (h * 60 + m)
        }
        let created = try attempt { try FenxiaoNode.initialize(directory: common.directory, node: node, role: r) }
        if let minutes { try attempt { try created.store.setMeta(["utc_offset_minutes": String(minutes)]) } }
        struct Out: Encodable {
            let node: String, role: String, data: String
        }
        common.emit(
            Out(node: created.identity.node.rawValue, role: r.rawValue, data: common.directory),
            human: "initialized \(r.rawValue) node \(created.identity.node) in \(common.directory)")
    }
}
