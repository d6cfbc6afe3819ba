import ArgumentParser
import Node

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users and roles: add, grant, list, operator; the audit log.",
        subcommands: [Add.self, Grant.self, List.self, Operator.self, Audit.self, Login.self])

    struct Login: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a user's login at this node (last login in `user list`).")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run() throws {
            let node = try common.openNode()
            let u = try attempt { try node.recordUserLogin(id) }
            common.emit(u, human: "user \(u.id) logged in")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Central: add or edit a user (roles: consumer, distributor, cashier, store_manager, hq_staff, admin).")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String?
        @Option var role: String?
        @Option(help: "The store a staff member works at.") var store: String?
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?
        @Option(help: "YYYY-MM-DD") var birthday: String?
        func run() throws {
            let node = try common.openNode()
            let u = try attempt {
                try node.upsertUser(id: id, name: name, role: role, store: store, phone: phone, email: email, address: address, birthday: birthday)
            }
            common.emit(u, human: "user \(u.id) \(u.name) (\(u.role))")
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Central: give a user another role.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var role: String
        func run() throws {
            let node = try common.openNode()
            let u = try attempt { try node.upsertUser(id: id, name: nil, role: role, store: nil, phone: nil, email: nil, address: nil, birthday: nil) }
            common.emit(u, human: "user \(u.id) is now \(u.role)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (contact data masked for roles that may not see it).")
        @OptionGroup var common: CommonOptions
        func run() throws {
            let node = try common.openNode()
            let us = try attempt { try node.users() }
            common.emit(Listing(key: "users", items: us), human: us.map { "\($0.id)  \($0.name)  \($0.role)  \($0.store ?? "")  \($0.phone ?? "")" }.joined(separator: "\n"))
        }
    }

    struct Operator: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the user this node's commands run as without --as.")
        @OptionGroup var common: CommonOptions
        @Argument var user: String
        func run() throws {
            let node = try common.openNode()
            try attempt { try node.setOperator(user) }
            struct Out: Encodable { let operator_: String; enum CodingKeys: String, CodingKey { case operator_ = "operator" } }
            common.emit(Out(operator_: user), human: "commands on this node now run as \(user)")
        }
    }

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who did what (replicated from stores to central).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("user")) var who: String?
        @Option var limit = 100
        func run() throws {
            let node = try common.openNode()
            let entries = try attempt { try node.auditLog(user: who, limit: limit) }
            common.emit(Listing(key: "audit", items: entries), human: entries.map { "\($0.at)  \($0.node)  \($0.user)  \($0.action)  \($0.subject ?? "")" }.joined(separator: "\n"))
        }
    }
}
