import ArgumentParser
import Node

extension ReportCommand {
    struct Promotions: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "promotions",
            abstract:
                "The effect of each promotion and coupon on sales: orders it discounted, the discount given, net sales of those orders."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "From (2026-11-01, ISO 8601 or ms), inclusive.") var from: Instant?
        @Option(help: "To (2026-11-01, ISO 8601 or ms), exclusive.") var to: Instant?
        func run(on node: FenxiaoNode) throws -> Listing<PromotionEffectRow> {
            Listing(key: "rows", items: try node.reports.promotionEffect(from: from?.millis, to: to?.millis))
        }
        func human(_ rows: Listing<PromotionEffectRow>) -> String {
            guard !rows.items.isEmpty else { return OutputLanguage.text("no promotions or coupons", "没有促销或优惠券") }
            return rows.items.map {
                "\($0.kind) \($0.id)  \($0.name)  "
                    + OutputLanguage.text(
                        "orders \($0.orders)  discount \(yuan($0.discount_cents))  net sales \(yuan($0.net_cents))",
                        "订单 \($0.orders)  优惠 \(yuan($0.discount_cents))  净销售额 \(yuan($0.net_cents))")
            }.joined(separator: "\n")
        }
    }
}
