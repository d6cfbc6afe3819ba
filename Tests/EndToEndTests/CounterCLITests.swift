import FenxiaoTesting
import Foundation
import Testing

/// Issue 17 item 7, through the binary: full-width input, Chinese output with a Chinese locale,
/// barcodes, member lookup by phone, assigned member ids, `--as` needing `--pin`.
@Suite struct CounterCLITests {
    static func fx(_ args: [String], data: String, env: [String: String] = ["LANG": "C"]) throws -> FenxiaoBinary.Output
    {
        try FenxiaoBinary.run(args + ["--data", data], environment: env)
    }

    /// A central node with 乌龙茶 (barcode 6901234567890, ¥12.50) in stock and a cashier with a PIN.
    static func setUp(_ c: String) throws {
        for args in [
            ["init", "--role", "central", "--node", "central"],
            [
                "catalog", "add-product", "--sku", "TEA-01", "--name", "乌龙茶", "--price", "12.50", "--barcode",
                "6901234567890",
            ],
            ["stock", "receive", "--sku", "TEA-01", "--qty", "20"],
        ] {
            let out = try fx(args, data: c)
            #expect(out.status == 0, "\(args): \(out.stderr)")
        }
    }

    @Test func fullWidthInputReadsAsASCIIAndAChineseLocaleGetsChineseOutput() throws {
        let dir = TempDirectory("cli-counter")
        defer { dir.remove() }
        let c = dir.sub("c")
        try Self.setUp(c)
        // Full-width colon and digits, as a Chinese input method types them.
        let sold = try Self.fx(
            ["order", "create", "--line", "TEA-01：２", "--pay", "cash", "--tendered", "５０.００", "--json"], data: c)
        #expect(sold.status == 0, "\(sold.stderr)")
        #expect(sold.json?["total_cents"] as? Int == 2_500)
        let id = try #require(sold.json?["id"] as? String)
        let zh = ["LANG": "zh_CN.UTF-8"]
        let receipt = try Self.fx(["order", "receipt", id], data: c, env: zh)
        #expect(receipt.status == 0)
        #expect(
            receipt.stdout.contains("合计 ¥25.00") && receipt.stdout.contains("现金")
                && receipt.stdout.contains("找零 ¥25.00"), "\(receipt.stdout)")
        let english = try Self.fx(["order", "receipt", id], data: c)
        #expect(
            english.stdout.contains("total ¥25.00") && english.stdout.contains("change ¥25.00"), "\(english.stdout)")
        // A scanned barcode and pinyin initials find the same SKU.
        let scanned = try Self.fx(
            ["order", "create", "--barcode", "6901234567890:1", "--pay", "wechat", "--json"], data: c)
        #expect(scanned.json?["total_cents"] as? Int == 1_250, "\(scanned.stderr)")
        let search = try Self.fx(["catalog", "search", "wlc", "--json"], data: c)
        #expect((search.json?["items"] as? [[String: Any]])?.first?["sku"] as? String == "TEA-01")
        // An error in Chinese, naming the flag.
        let short = try Self.fx(["order", "create", "--line", "TEA-01:500", "--pay", "cash"], data: c, env: zh)
        #expect(short.status == 4)
        #expect(short.stderr.hasPrefix("错误：") && short.stderr.contains("仅有 17 件 TEA-01 可售"), "\(short.stderr)")
        // Members: registered without an id, found by phone.
        let added = try Self.fx(["member", "add", "--name", "王芳", "--phone", "１３９００００００09", "--json"], data: c)
        let member = try #require(added.json?["id"] as? String, "\(added.stderr)")
        #expect(member.hasPrefix("M-central-"))
        let found = try Self.fx(["member", "find", "--phone", "13900000009", "--json"], data: c)
        #expect(found.json?["id"] as? String == member)
        // The order, by the last 6 characters of its id.
        let byEnd = try Self.fx(["order", "find", "--suffix", String(id.suffix(6)), "--json"], data: c)
        #expect((byEnd.json?["orders"] as? [[String: Any]])?.first?["id"] as? String == id)
    }

    @Test func onceAUserHasAPINTheAsFlagNeedsIt() throws {
        let dir = TempDirectory("cli-pin")
        defer { dir.remove() }
        let c = dir.sub("c")
        try Self.setUp(c)
        for args in [
            ["user", "add", "--id", "boss", "--name", "Boss", "--role", "admin"],
            ["user", "add", "--id", "amy", "--name", "Amy", "--role", "cashier", "--as", "boss"],
            ["user", "set-pin", "--id", "amy", "--new-pin", "２４６８", "--as", "amy"],
        ] {
            let out = try Self.fx(args, data: c)
            #expect(out.status == 0, "\(args): \(out.stderr)")
        }
        let without = try Self.fx(["order", "create", "--line", "TEA-01:1", "--pay", "cash", "--as", "amy"], data: c)
        #expect(without.status == 5 && without.stderr.contains("--pin"), "\(without.stderr)")
        let wrong = try Self.fx(
            ["order", "create", "--line", "TEA-01:1", "--pay", "cash", "--as", "amy", "--pin", "1111"], data: c,
            env: ["LANG": "zh_CN.UTF-8"])
        #expect(wrong.status == 5 && wrong.stderr.contains("再错 4 次将锁定 15 分钟"), "\(wrong.stderr)")
        let right = try Self.fx(
            ["order", "create", "--line", "TEA-01:1", "--pay", "cash", "--as", "amy", "--pin", "2468"], data: c)
        #expect(right.status == 0, "\(right.stderr)")
        // The operator acts without a PIN (cron's sync), so naming amy operator needs her PIN once.
        #expect(try Self.fx(["user", "operator", "amy"], data: c).status == 5)
        #expect(try Self.fx(["user", "operator", "amy", "--pin", "2468"], data: c).status == 0)
        let asOperator = try Self.fx(["order", "create", "--line", "TEA-01:1", "--pay", "cash"], data: c)
        #expect(asOperator.status == 0, "\(asOperator.stderr)")
    }
}
