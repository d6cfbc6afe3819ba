import FenxiaoTesting
import Foundation
import Testing

/// The CLI's edge: usage errors exit 2 (as the README says, not argument-parser's 64), an
/// unknown subcommand is named with a suggestion, `--json` makes errors JSON on stderr, a
/// use case's field is shown as its flag, and negative numbers parse as `--qty -1`.
@Suite struct CLIErrorTests {
    static func fx(_ args: String..., data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data])
    }

    /// A central node with TEA-01 (¥1.00) and 10 in stock.
    static func node(_ dir: TempDirectory) throws -> String {
        let c = dir.sub("c")
        _ = try fx("init", "--role", "central", "--node", "central", data: c)
        _ = try fx("catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "1", data: c)
        _ = try fx("stock", "receive", "--sku", "TEA-01", "--qty", "10", data: c)
        return c
    }

    @Test(arguments: [
        ["order", "create", "--line", "TEA-01:1", "--pay", "bitcoin"],
        ["order", "create", "--line", "TEA-01:1", "--pay", "cash", "--no-such-option"],
        ["withdraw", "request", "--distributor", "D", "--amount", "1.234", "--method", "bank"],
        ["withdraw", "request", "--distributor", "D", "--amount", "10", "--method", "crypto"],
        ["stock", "adjust", "--sku", "TEA-01"],
        ["withdraw", "rules", "--fee-mode", "both"],
        ["report", "sales", "--by", "fortnight"],
        ["order", "list", "--from", "yesterday"],
    ])
    func usageErrorsExitTwo(args: [String]) throws {
        try withTempDirectory("usage") { dir in
            let c = try Self.node(dir)
            let out = try FenxiaoBinary.run(args + ["--data", c])
            #expect(out.status == 2, "\(out.stderr)")
            #expect(out.stdout.isEmpty)
            #expect(!out.stderr.isEmpty)
        }
    }

    @Test func unknownSubcommandIsNamedWithASuggestion() throws {
        try withTempDirectory("unknown") { dir in
            let c = try Self.node(dir)
            let top = try Self.fx("ordr", "list", data: c)
            #expect(top.status == 2)
            #expect(top.stderr.contains("Unknown subcommand 'ordr'. Did you mean 'order'?"), "\(top.stderr)")
            #expect(!top.stderr.contains("Unknown option"))
            let nested = try Self.fx("stock", "ajust", "--sku", "TEA-01", "--qty", "1", data: c)
            #expect(nested.status == 2)
            #expect(
                nested.stderr.contains("Unknown subcommand 'ajust' of 'stock'. Did you mean 'adjust'?"),
                "\(nested.stderr)")
        }
    }

    @Test func aRefusedFieldIsShownAsItsFlag() throws {
        try withTempDirectory("flag") { dir in
            let c = try Self.node(dir)
            let human = try Self.fx(
                "order", "create", "--line", "TEA-01:1", "--pay", "card", "--pay-ref", "no spaces!", data: c)
            #expect(human.status == 2)
            #expect(human.stderr.hasPrefix("error: --pay-ref must be 1–64 letters"), "\(human.stderr)")
            let pay = try Self.fx("order", "create", "--line", "TEA-01:1", data: c)
            #expect(pay.stderr.contains("--pay cash|card"), "\(pay.stderr)")
            let older = try Self.fx("order", "expire", "--older-than", "0", data: c)
            #expect(older.status == 2)
            #expect(older.stderr.contains("--older-than must be at least 1 minute"), "\(older.stderr)")
            // A write-rule bound (the same table central checks) names the flag that set the field.
            let long = try Self.fx(
                "stock", "receive", "--sku", "TEA-01", "--qty", "1", "--reason", String(repeating: "x", count: 1_100),
                "--json", data: c)
            #expect(long.status == 2)
            let error =
                (try? JSONSerialization.jsonObject(with: Data(long.stderr.utf8)) as? [String: Any])?["error"]
                as? [String: Any]
            #expect(error?["flag"] as? String == "--reason", "\(long.stderr)")
            #expect(
                (error?["message"] as? String)?.contains("field ref (--reason) is 1100 bytes") == true, "\(long.stderr)"
            )
        }
    }

    @Test func withJSONErrorsAreOneObjectOnStderr() throws {
        try withTempDirectory("jsonerr") { dir in
            let c = try Self.node(dir)
            let refused = try Self.fx(
                "order", "create", "--line", "TEA-01:1", "--pay", "card", "--pay-ref", "no spaces!", "--json", data: c)
            #expect(refused.status == 2)
            #expect(refused.stdout.isEmpty)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(refused.stderr.utf8)) as? [String: Any])
            let error = try #require(body["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalidInput")
            #expect(error["field"] as? String == "pay_ref")
            #expect(error["flag"] as? String == "--pay-ref")
            #expect(error["exit_code"] as? Int == 2)
            #expect((error["message"] as? String)?.hasPrefix("--pay-ref must be") == true)
            let missing = try Self.fx("order", "show", "O-nope", "--json", data: c)
            #expect(missing.status == 3)
            let notFound = try JSONSerialization.jsonObject(with: Data(missing.stderr.utf8)) as? [String: Any]
            #expect((notFound?["error"] as? [String: Any])?["code"] as? String == "notFound")
            let usage = try Self.fx("order", "create", "--pay", "bitcoin", "--json", data: c)
            #expect(usage.status == 2)
            let usageBody = try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any]
            #expect((usageBody?["error"] as? [String: Any])?["message"] as? String != nil, "\(usage.stderr)")
        }
    }

    @Test func negativeQuantitiesParseAsTheREADMEShowsThem() throws {
        try withTempDirectory("negative") { dir in
            let c = try Self.node(dir)
            let adjusted = try Self.fx(
                "stock", "adjust", "--sku", "TEA-01", "--qty", "-1", "--reason", "damaged", "--json", data: c)
            #expect(adjusted.status == 0, "\(adjusted.stderr)")
            #expect(adjusted.json?["on_hand"] as? Int == 9)
            let equals = try Self.fx("stock", "adjust", "--sku", "TEA-01", "--qty=-2", "--json", data: c)
            #expect(equals.json?["on_hand"] as? Int == 7)
        }
    }

    @Test func typedOptionsAcceptWhatTheREADMEShows() throws {
        try withTempDirectory("typed") { dir in
            let c = try Self.node(dir)
            let rules = try Self.fx(
                "withdraw", "rules", "--fee-mode", "on-top", "--bank-fee-percent", "0.5", "--min", "20", "--json",
                data: c)
            #expect(rules.status == 0, "\(rules.stderr)")
            #expect(rules.json?["fee_mode"] as? String == "on_top")
            #expect(rules.json?["bank_fee_bps"] as? Int == 50)
            #expect(rules.json?["min_cents"] as? Int == 2000)
            let listed = try Self.fx(
                "order", "list", "--from", "2026-01-01", "--status", "completed", "--json", data: c)
            #expect(listed.status == 0, "\(listed.stderr)")
            let auto = try Self.fx(
                "distributor", "settings", "--auto-approve-spend", "off", "--binding", "first_purchase", "--json",
                data: c)
            #expect(auto.status == 0, "\(auto.stderr)")
            #expect(auto.json?["binding"] as? String == "first_purchase")
        }
    }

    @Test func exitCodesFollowTheREADME() throws {
        try withTempDirectory("exits") { dir in
            let c = try Self.node(dir)
            #expect(try Self.fx("order", "show", "O-nope", data: c).status == 3)  // not found
            // refused by a rule
            #expect(try Self.fx("stock", "adjust", "--sku", "TEA-01", "--qty", "-50", data: c).status == 4)
            #expect(try Self.fx("stock", "receive", "--sku", "TEA-01", "--qty", "0", data: c).status == 2)  // bad input
            #expect(try Self.fx("status", data: dir.sub("nothing-here")).status == 2)  // no node: bad input
            #expect(try FenxiaoBinary.run(["--help"]).status == 0)
        }
    }
}
