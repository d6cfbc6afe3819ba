import ArgumentParser
import Node

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports from the data this node holds.",
        subcommands: [Sales.self, Payments.self, Top.self, Topups.self, Promotions.self])

    struct Top: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "top", abstract: "Best sellers by SKU or category.")
        @OptionGroup var common: CommonOptions
        @Option(help: "sku or category.") var by = TopSellerDimension.sku
        @Option var limit = 10
        func run(on node: FenxiaoNode) throws -> Listing<TopRow> {
            Listing(key: "rows", items: try node.reports.topSellers(by: by, limit: limit))
        }
        func human(_ rows: Listing<TopRow>) -> String {
            rows.items.map { "\($0.key)  \($0.units) units  \(yuan($0.revenue_cents))" }.joined(separator: "\n")
        }
    }

    struct Sales: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "sales",
            abstract: "Orders, revenue, refunds and net per period and store.")
        @OptionGroup var common: CommonOptions
        @Option(help: "day, week (ISO), month, year or all (days in Asia/Shanghai).") var by = ReportPeriod.day
        @Option var store: String?
        @Option(help: "From (2026-11-01, ISO 8601 or ms), inclusive.") var from: Instant?
        @Option(help: "To (2026-11-01, ISO 8601 or ms), exclusive.") var to: Instant?
        func run(on node: FenxiaoNode) throws -> Listing<SalesRow> {
            Listing(
                key: "rows", items: try node.reports.sales(by: by, store: store, from: from?.millis, to: to?.millis))
        }
        func human(_ rows: Listing<SalesRow>) -> String {
            rows.items.map {
                "\($0.period)  \($0.store)  orders \($0.orders)  revenue \(yuan($0.revenue_cents))  refunds \(yuan($0.refunds_cents))  net \(yuan($0.net_cents))"
            }
            .joined(separator: "\n")
        }
    }

    struct Payments: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "payments",
            abstract:
                "Sales by payment method (cash, card, wechat, alipay, stored, …) per period and store: paid, refunded, net."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "day, week (ISO), month, year or all (days in Asia/Shanghai).") var by = ReportPeriod.day
        @Option var store: String?
        @Option(help: "From (2026-11-01, ISO 8601 or ms), inclusive.") var from: Instant?
        @Option(help: "To (2026-11-01, ISO 8601 or ms), exclusive.") var to: Instant?
        func run(on node: FenxiaoNode) throws -> Listing<PaymentMethodRow> {
            Listing(
                key: "rows", items: try node.reports.payments(by: by, store: store, from: from?.millis, to: to?.millis))
        }
        func human(_ rows: Listing<PaymentMethodRow>) -> String {
            guard !rows.items.isEmpty else { return OutputLanguage.text("no sales", "没有销售记录") }
            let t = OutputLanguage.text
            let header = [
                t("period", "期间"), t("store", "门店"), t("method", "支付方式"), t("payments", "笔数"), t("paid", "收款"),
                t("refunds", "退款笔数"), t("refunded", "退款"), t("net", "净额"),
            ]
            let lines = rows.items.map {
                [
                    $0.period, $0.store, methodName($0.method), "\($0.payments)", yuan($0.paid_cents), "\($0.refunds)",
                    yuan($0.refunded_cents), yuan($0.net_cents),
                ]
            }
            return ([header] + lines).map { $0.joined(separator: "  ") }.joined(separator: "\n")
        }

        /// The method as the cashier names it (Chinese under `LANG=zh_CN.UTF-8`).
        func methodName(_ method: String) -> String {
            let chinese = [
                "cash": "现金", "card": "银行卡", "wechat": "微信支付", "alipay": "支付宝", "stored": "储值",
                "wallet": "电子钱包", "qrpay": "扫码支付",
            ]
            return OutputLanguage.current == .chinese ? chinese[method] ?? method : method
        }
    }

    struct Topups: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "topups",
            abstract:
                "Stored-value top-ups per store with their payment references, to reconcile against cash and card settlements."
        )
        @OptionGroup var common: CommonOptions
        @Option var store: String?
        func run(on node: FenxiaoNode) throws -> Listing<TopupStoreReport> {
            Listing(key: "stores", items: try node.reports.topups(store: store))
        }
        func human(_ reports: Listing<TopupStoreReport>) -> String {
            let human = reports.items.map { r in
                let methods = r.by_method.sorted { $0.key < $1.key }.map { "\($0.key) \(yuan($0.value))" }.joined(
                    separator: ", ")
                let flag =
                    r.without_payment > 0
                    ? "\n  ⚠ \(r.without_payment) top-up(s) name no payment: nothing to reconcile them against" : ""
                return
                    "\(r.store): \(r.count) top-ups, \(yuan(r.total_cents)) (\(methods)); bonus \(yuan(r.bonus_cents))\(flag)"
                    + r.topups.map {
                        "\n  \($0.id)  \($0.member)  \(yuan($0.amount_cents))  \($0.payment ?? "no payment")"
                    }.joined()
            }.joined(separator: "\n")
            return human.isEmpty ? "no top-ups" : human
        }
    }
}
