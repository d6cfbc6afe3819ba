import ArgumentParser
import Commerce
import Node

/// `fenxiao till add|list|revoke`: the tills (browsers at the counter) enrolled at this store node.
struct TillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till", abstract: "Tills at this store: enrol one (a token for its browser), list, revoke.",
        subcommands: [Add.self, List.self, Revoke.self, DifferenceLimit.self, Parked.self])

    struct DifferenceLimit: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "difference-limit",
            abstract:
                "Show or set the cash difference above which closing a shift needs a store manager (default 50.00).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The new threshold in yuan; omit to show it.") var amount: Money?
        func run(on node: FenxiaoNode) throws -> DifferenceLimitView {
            if let amount { return try node.till.setDifferenceLimit(amount) }
            return try node.till.differenceLimit()
        }
        func human(_ v: DifferenceLimitView) -> String {
            OutputLanguage.text(
                "a cash difference above \(yuan(v.limit_cents)) needs a store manager\(v.is_default ? " (default)" : "")",
                "现金差额超过 \(yuan(v.limit_cents)) 需店长批准\(v.is_default ? "（默认）" : "")")
        }
    }

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

extension TillCommand {
    /// `fenxiao till parked [--till T]`: the sales parked at this store's tills.
    struct Parked: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "parked",
            abstract: "The sales parked (挂单) at this store's tills, oldest first; resume one at any till.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Mark the sales parked before this till's open shift.") var till = "TILL-1"
        func run(on node: FenxiaoNode) throws -> Listing<ParkedSaleView> {
            Listing(key: "parked", items: try node.till.parked(for: till))
        }
        func human(_ list: Listing<ParkedSaleView>) -> String {
            if list.items.isEmpty { return OutputLanguage.text("no parked sales", "没有挂单") }
            return list.items.map {
                "\($0.id)  \($0.till)  \($0.cashier ?? "-")  \($0.items) "
                    + OutputLanguage.text("items", "件") + "  \(yuan($0.total_cents))"
                    + ($0.earlier_shift ? OutputLanguage.text("  (earlier shift)", "（上一班次）") : "")
            }.joined(separator: "\n")
        }
    }
}
