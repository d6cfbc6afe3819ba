import FenxiaoTesting
import Foundation
import Testing

/// `fenxiao report payments` through the binary: a split payment and a refund, the methods'
/// totals equal to `report sales` for the same period, Chinese headers under a Chinese locale.
@Suite struct PaymentReportCLITests {
    static func fx(_ args: [String], data: String, env: [String: String] = ["LANG": "C"]) throws -> FenxiaoBinary.Output
    {
        try FenxiaoBinary.run(args + ["--data", data], environment: env)
    }

    @Test func perMethodTotalsMatchTheSalesReportWithChineseHeaders() throws {
        let dir = TempDirectory("cli-payments")
        defer { dir.remove() }
        let c = dir.sub("c")
        for args in [
            ["init", "--role", "central", "--node", "central"],
            ["catalog", "add-product", "--sku", "TEA-01", "--name", "乌龙茶", "--price", "12.50"],
            ["stock", "receive", "--sku", "TEA-01", "--qty", "20"],
        ] {
            let out = try Self.fx(args, data: c)
            #expect(out.status == 0, "\(args): \(out.stderr)")
        }
        let split = try Self.fx(
            ["order", "create", "--line", "TEA-01:4", "--split", "wechat:20", "--split", "cash", "--json"], data: c)
        #expect(split.status == 0, "\(split.stderr)")
        let id = try #require(split.json?["id"] as? String)
        #expect(try Self.fx(["order", "create", "--line", "TEA-01:1", "--pay", "alipay"], data: c).status == 0)
        let refund = try Self.fx(["order", "refund", id, "--amount", "10", "--reason", "dent"], data: c)
        #expect(refund.status == 0, "\(refund.stderr)")

        let payments = try Self.fx(["report", "payments", "--by", "month", "--json"], data: c)
        #expect(payments.status == 0, "\(payments.stderr)")
        let rows = try #require(payments.json?["rows"] as? [[String: Any]])
        let sales = try #require(
            try Self.fx(["report", "sales", "--by", "month", "--json"], data: c).json?["rows"] as? [[String: Any]])
        let sale = try #require(sales.first)
        func sum(_ key: String) -> Int { rows.reduce(0) { $0 + ($1[key] as? Int ?? 0) } }
        #expect(Set(rows.compactMap { $0["method"] as? String }) == ["wechat", "cash", "alipay"])
        #expect(rows.first { $0["method"] as? String == "wechat" }?["paid_cents"] as? Int == 2_000)
        #expect(rows.first { $0["method"] as? String == "cash" }?["paid_cents"] as? Int == 3_000)
        #expect(sum("paid_cents") == sale["revenue_cents"] as? Int)
        #expect(sum("refunded_cents") == sale["refunds_cents"] as? Int)
        #expect(sum("refunded_cents") == 1_000)
        #expect(sum("net_cents") == sale["net_cents"] as? Int)

        let chinese = try Self.fx(["report", "payments", "--by", "all"], data: c, env: ["LANG": "zh_CN.UTF-8"])
        #expect(chinese.status == 0)
        #expect(chinese.stdout.hasPrefix("期间  门店  支付方式  笔数  收款  退款笔数  退款  净额"), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("微信支付"))
        let english = try Self.fx(["report", "payments", "--by", "all"], data: c)
        #expect(english.stdout.hasPrefix("period  store  method"), "\(english.stdout)")
        let wrongWay = try Self.fx(
            ["report", "payments", "--from", "2026-12-02", "--to", "2026-12-01"], data: c, env: ["LANG": "zh_CN.UTF-8"])
        #expect(wrongWay.status == 2)
    }
}
