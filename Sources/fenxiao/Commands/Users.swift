import ArgumentParser
import Commerce
import Foundation
import Node

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users and roles: add, grant, list, operator; the audit log.",
        subcommands: [Add.self, Grant.self, List.self, Operator.self, Audit.self, Login.self, SetPIN.self])

    struct Login: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Record a user's login at this node (last login in `user list`).")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        func run(on node: FenxiaoNode) throws -> UserView { try node.access.recordUserLogin(id) }
        func human(_ u: UserView) -> String { "user \(u.id) logged in" }
    }

    struct SetPIN: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-pin",
            abstract: "Set a staff member's PIN at this node (4–6 digits; your own, or as a store manager another's).")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option(name: .customLong("new-pin"), help: "The new PIN (4–6 digits).") var newPin: String
        func run(on node: FenxiaoNode) throws -> PINView { try node.till.setPIN(user: id, pin: newPin) }
        func human(_ p: PINView) -> String { "user \(p.user) has a new PIN at this node" }
    }

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract:
                "Central: add or edit a user (roles: consumer, distributor, cashier, store_manager, hq_staff, admin, finance)."
        )
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var name: String?
        @Option var role: Role?
        @Option(help: "The store a staff member works at.") var store: String?
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?
        @Option(help: "YYYY-MM-DD") var birthday: String?
        @Flag(help: "Central: set the user's head-office console password (asked twice on the terminal).")
        var password = false
        @Flag(
            name: .customLong("password-stdin"),
            help: "Central: set the console password read from the first line of standard input (scripts).")
        var passwordStdin = false
        func run(on node: FenxiaoNode) throws -> UserView {
            // Read before any change, so a mistyped password leaves the user untouched.
            let secret = try consolePassword()
            // The chain's first user (bootstrap) sets their own password: nobody else exists to act.
            let first = (try? node.access.users().isEmpty) ?? false
            let user = try node.access.upsertUser(
                id: id, name: name, role: role, store: store, phone: phone, email: email, address: address,
                birthday: birthday)
            if let secret {
                _ = try (first ? node.acting(as: id) : node).access.setConsolePassword(user: id, password: secret)
            }
            return user
        }
        func human(_ u: UserView) -> String {
            "user \(u.id) \(u.name) (\(u.role))" + (password || passwordStdin ? ", console password set" : "")
        }

        /// The password to set, if asked for: never an argument (it would show in `ps` and the
        /// shell's history).
        func consolePassword() throws -> String? {
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else {
                    throw ValidationError("--password-stdin: standard input is empty")
                }
                try ConsoleAccess.checkPassword(line)
                return line
            }
            guard password else { return nil }
            let first = String(cString: getpass("console password for \(id): "))
            try ConsoleAccess.checkPassword(first)
            guard String(cString: getpass("again: ")) == first else {
                throw ValidationError("the two passwords differ; nothing was changed")
            }
            return first
        }
    }

    struct Grant: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant", abstract: "Central: give a user another role.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option var role: Role
        func run(on node: FenxiaoNode) throws -> UserView {
            try node.access.upsertUser(
                id: id, name: nil, role: role, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        }
        func human(_ u: UserView) -> String { "user \(u.id) is now \(u.role)" }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List users (contact data masked for roles that may not see it).")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<UserView> {
            Listing(key: "users", items: try node.access.users())
        }
        func human(_ us: Listing<UserView>) -> String {
            us.items.map { "\($0.id)  \($0.name)  \($0.role)  \($0.store ?? "")  \($0.phone ?? "")" }.joined(
                separator: "\n")
        }
    }

    struct Operator: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "operator",
            abstract: "Set the user this node's commands run as without --as.")
        @OptionGroup var common: CommonOptions
        @Argument var user: String
        struct Out: Encodable {
            let operator_: String; enum CodingKeys: String, CodingKey { case operator_ = "operator" }
        }
        func run(on node: FenxiaoNode) throws -> Out {
            // The operator acts without a PIN, so naming one who has a PIN needs it once (--pin).
            try node.acting(as: user).till.authenticate(pin: common.cliPIN)
            try node.access.setOperator(user)
            return Out(operator_: user)
        }
        func human(_ out: Out) -> String { "commands on this node now run as \(user)" }
    }

    struct Audit: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: "Who did what (replicated from stores to central).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("user")) var who: String?
        @Option var limit = 100
        func run(on node: FenxiaoNode) throws -> Listing<AuditEntry> {
            Listing(key: "audit", items: try node.access.auditLog(user: who, limit: limit))
        }
        func human(_ entries: Listing<AuditEntry>) -> String {
            entries.items.map { "\($0.at)  \($0.node)  \($0.user)  \($0.action)  \($0.subject ?? "")" }.joined(
                separator: "\n")
        }
    }
}
