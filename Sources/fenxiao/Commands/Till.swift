import ArgumentParser
import Commerce
import Node

/// `fenxiao till add|list|revoke`: the tills (browsers at the counter) enrolled at this store node.
struct TillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till", abstract: "Tills at this store: enrol one (a token for its browser), list, revoke.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Enrol a till (or give it a new token); the token is shown once, for that till's browser.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The till's id, e.g. TILL-2.") var till: String
        func run(on node: FenxiaoNode) throws -> TillEnrollment { try node.till.add(till) }
        func human(_ e: TillEnrollment) -> String {
            OutputLanguage.text(
                "till \(e.till) enrolled; its token (shown once, enter it in that till's browser):",
                "收银台 \(e.till) 已登记；令牌（只显示一次，请在该收银台的浏览器中输入）：")
                + "\n\(e.token)"
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The tills enrolled at this node.")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<TillView> {
            Listing(key: "tills", items: try node.till.list())
        }
        func human(_ tills: Listing<TillView>) -> String {
            tills.items.map { "\($0.id)  \($0.revoked ? "revoked" : "active")" }.joined(separator: "\n")
        }
    }

    struct Revoke: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a till: its token and sessions stop working at once.")
        @OptionGroup var common: CommonOptions
        @Argument var till: String
        func run(on node: FenxiaoNode) throws -> TillView { try node.till.revoke(till) }
        func human(_ t: TillView) -> String { "till \(t.id) revoked" }
    }
}
