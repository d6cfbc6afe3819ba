import ArgumentParser
import Node
import Storage

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a node (central or store) in the data directory.")

    @OptionGroup var common: CommonOptions
    @Option(help: "central or store.") var role: String
    @Option(help: "The node's name (central must be 'central'; stores e.g. s1).") var node: String

    func run() throws {
        guard let r = NodeRole(rawValue: role) else {
            throw ValidationError("--role must be central or store (got '\(role)')")
        }
        let created = try attempt { try FenxiaoNode.initialize(directory: common.directory, node: node, role: r) }
        struct Out: Encodable {
            let node: String, role: String, data: String
        }
        common.emit(
            Out(node: created.identity.node.rawValue, role: r.rawValue, data: common.directory),
            human: "initialized \(r.rawValue) node \(created.identity.node) in \(common.directory)")
    }
}
