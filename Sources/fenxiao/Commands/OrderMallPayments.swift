import ArgumentParser
import Node
import Storage

extension OrderCommand {
    /// `fenxiao order payments [ORDER] [--state S]`: the mall's payments (central), one order's or
    /// all, with the provider's transaction id and state; `--state refund_due` lists money that
    /// came in for an order already paid or cancelled and must be sent back.
    struct MallPayments: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "payments",
            abstract: "Central: the mall's payments of an order (or all; --state refund_due: money to send back).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "An order id (default: every order).") var order: String?
        @Option(help: "created, paid, failed or refund_due.") var state: String?
        @Option var limit: Int = 100
        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1…10000") }
        }
        func run(on node: FenxiaoNode) throws -> Listing<MallPaymentRow> {
            if let order {
                let rows = try node.payments.payments(order: order).filter { state == nil || $0.state == state }
                return Listing(key: "payments", items: rows)
            }
            return Listing(key: "payments", items: try node.payments.list(state: state, limit: limit))
        }
        func human(_ rows: Listing<MallPaymentRow>) -> String {
            rows.items.map {
                "\($0.id)  \($0.order)  \($0.provider)/\($0.method)  \(yuan($0.amount_cents))  \($0.state)"
                    + ($0.provider_txn.map { "  txn \($0)" } ?? "") + ($0.note.map { "  (\($0))" } ?? "")
            }.joined(separator: "\n")
        }
    }
}
