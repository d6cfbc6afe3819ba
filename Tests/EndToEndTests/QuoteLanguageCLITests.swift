import FenxiaoTesting
import Foundation
import Testing

/// `fenxiao order quote` explains its discounts in the output language (Chinese with
/// `LANG=zh_CN.UTF-8`), `--json` keeps the English sentences, and a rejected coupon is refused
/// in the output language too.
@Suite struct QuoteLanguageCLITests {
    static func fx(_ args: [String], data: String, env: [String: String] = ["LANG": "C"]) throws -> FenxiaoBinary.Output
    {
        try FenxiaoBinary.run(args + ["--data", data], environment: env)
    }

    @Test func aQuoteAndARejectedCouponSpeakTheLocalesLanguage() throws {
        let dir = TempDirectory("cli-quote-language")
        defer { dir.remove() }
        let c = dir.sub("c")
        for args in [
            ["init", "--role", "central", "--node", "central"],
            ["catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "12.50"],
            ["stock", "receive", "--sku", "TEA-01", "--qty", "20"],
            ["promo", "add", "--id", "FEST", "--name", "Tea fest", "--spend-save", "100:10"],
            ["coupon", "define", "--code", "BIG30", "--amount", "30", "--min-spend", "300", "--multi-use"],
        ] {
            let out = try Self.fx(args, data: c)
            #expect(out.status == 0, "\(args): \(out.stderr)")
        }
        let zh = ["LANG": "zh_CN.UTF-8"]
        let chinese = try Self.fx(["order", "quote", "--line", "TEA-01:8"], data: c, env: zh)
        #expect(chinese.status == 0, "\(chinese.stderr)")
        #expect(chinese.stdout.contains("- ¥10.00  Tea fest：满100减10"), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("合计 ¥90.00"), "\(chinese.stdout)")
        let english = try Self.fx(["order", "quote", "--line", "TEA-01:8"], data: c)
        #expect(english.stdout.contains("Tea fest: spend ¥100.00 save ¥10.00"), "\(english.stdout)")
        let json = try Self.fx(["order", "quote", "--line", "TEA-01:8", "--json"], data: c, env: zh)
        let discounts = json.json?["discounts"] as? [[String: Any]]
        #expect(discounts?.first?["description"] as? String == "Tea fest: spend ¥100.00 save ¥10.00")
        let refused = try Self.fx(
            ["order", "create", "--line", "TEA-01:8", "--coupon", "BIG30", "--pay", "cash"], data: c, env: zh)
        #expect(refused.status == 4)
        #expect(
            refused.stderr.hasPrefix("错误：优惠券 BIG30 还差 ¥200.00 可用"), "\(refused.stderr)")
    }
}
