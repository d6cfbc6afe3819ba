import ArgumentParser
import Node
import Storage

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a node (central or store) in the data directory.")

    @OptionGroup var common: CommonOptions
    @Option(help: "central or store.") var role: NodeRole
    @Option(help: "The node's name (central must be 'central'; stores e.g. s1).") var node: String
    @Option(
        name: .customLong("utc-offset"), parsing: .unconditional,
        help: "Day boundaries for reports, e.g. +08:00 or -05:00 (default Asia/Shanghai).")
    var utcOffset: UTCOffset?
    @Option(
        help: ArgumentHelp(
            "Central only: keep the change log in this PostgreSQL database (postgres://user@host:port/db), shared by every central server initialized with it.",
            discussion: "Each server keeps its own copy in --data; see docs/POSTGRES.md."))
    var database: String?

    func run() throws {
        let r = role
        let minutes = utcOffset?.minutes
        if database != nil && (r != .central || node != "central") {
            throw ValidationError(
                "--database is for central servers (--role central --node central); a store keeps its own SQLite file")
        }
        let created = try attempt {
            if let database { return try FenxiaoNode.initializeShared(directory: common.directory, url: database) }
            return try FenxiaoNode.initialize(directory: common.directory, node: node, role: r)
        }
        if let minutes { try attempt { try created.store.setMeta(["utc_offset_minutes": String(minutes)]) } }
        struct Out: Encodable {
            let node: String, role: String, data: String
        }
        common.emit(
            Out(node: created.identity.node.rawValue, role: r.rawValue, data: common.directory),
            human: "initialized \(r.rawValue) node \(created.identity.node) in \(common.directory)")
    }
}

/// A UTC offset as typed: `+08:00`, `-05:00` (hours 0…14, minutes 0…59).
struct UTCOffset: ExpressibleByArgument {
    /// Minutes east of UTC.
    let minutes: Int

    init?(argument: String) {
        let sign = argument.hasPrefix("-") ? -1 : 1
        let parts = argument.drop { $0 == "+" || $0 == "-" }.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...14).contains(h), (0...59).contains(m)
        else { return nil }
        minutes = sign * (h * 60 + m)
    }
}

extension NodeRole: ExpressibleByArgument {}
