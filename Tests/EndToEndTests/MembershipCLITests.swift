import FenxiaoTesting
import Foundation
import Testing

/// Membership, coupon distribution and distributor settings as a head-office user runs them
/// from the CLI with `--json` (the binary, a real data directory).
@Suite struct MembershipCLITests {
    static func fx(_ args: String..., data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data, "--json"])
    }

    @Test func pointsCouponsLevelsAndDistributorSettingsFromTheCLI() throws {
        try withTempDirectory("mcli") { dir in
            let c = dir.sub("c")
            _ = try Self.fx("init", "--role", "central", "--node", "central", data: c)
            _ = try Self.fx("catalog", "add-product", "--sku", "MUG-01", "--name", "Mug", "--price", "45", data: c)
            _ = try Self.fx("stock", "receive", "--sku", "MUG-01", "--qty", "20", data: c)
            _ = try Self.fx("member", "add", "--id", "M1", "--name", "Li", "--email", "li@example.com", data: c)
            // Top-up bonus: ¥500 earns ¥50.
            #expect(try Self.fx("member", "topup-bonus", "--tiers", "500=50", data: c).status == 0)
            #expect(
                try Self.fx("member", "topup", "--id", "M1", "--amount", "500", data: c).json?["wallet_cents"] as? Int
                    == 55_000)
            // Points rules, sharing and the points catalog.
            let rules = try Self.fx("points", "rules", "--expiry-days", "365", "--share-points", "7", data: c)
            #expect(rules.json?["expiry_days"] as? Int == 365)
            #expect(
                try Self.fx("points", "share", "--member", "M1", "--what", "MUG-01", data: c).json?["available"] as? Int
                    == 7)
            _ = try Self.fx("coupon", "define", "--code", "GIFT5", "--amount", "5", "--holders-only", data: c)
            #expect(try Self.fx("points", "catalog", "--add", "coupon:GIFT5", "--points", "5", data: c).status == 0)
            let exchanged = try Self.fx("points", "exchange", "--member", "M1", "--item", "coupon:GIFT5", data: c)
            #expect(exchanged.json?["available"] as? Int == 2)
            let refused = try Self.fx("points", "exchange", "--member", "M1", "--item", "coupon:GIFT5", data: c)
            #expect(refused.status != 0 && refused.stderr.contains("has 2 points"))
            // Coupon issue and claim, and the usage list.
            _ = try Self.fx("member", "add", "--id", "M2", "--name", "Wang", data: c)
            #expect(
                (try Self.fx("coupon", "issue", "--code", "GIFT5", "--member", "M2", data: c).json?["issued"]
                    as? [String]) == ["M2"])
            let used = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--member", "M2", "--coupon", "GIFT5", "--pay", "cash", data: c
            )
            #expect(used.json?["total_cents"] as? Int == 4000)
            let list = try Self.fx("coupon", "list", data: c).json?["coupons"] as? [[String: Any]]
            #expect(list?.first?["issued"] as? Int == 2 && list?.first?["used"] as? Int == 1)
            // Levels with free shipping; online orders pay the shipping fee otherwise.
            _ = try Self.fx("order", "shipping-fee", "--set", "8", data: c)
            let quote = try Self.fx("order", "quote", "--line", "MUG-01:1", "--member", "M1", data: c)
            #expect(quote.status == 0)
            _ = try Self.fx(
                "member", "level", "--define", "VIP", "--name", "钻石", "--free-shipping", "--birthday-points", "88",
                data: c)
            #expect(try Self.fx("member", "login", "--id", "M1", data: c).json?["last_login_at"] != nil)
            // Distributor settings, link binding and the commission reports.
            #expect(
                try Self.fx("distributor", "settings", "--auto-approve-spend", "40", data: c).json?[
                    "auto_approve_spend_cents"] as? Int == 4000)
            _ = try Self.fx(
                "commission", "define", "--id", "R1", "--levels", "10", "--window-days", "0", "--fixed-per-item", "1",
                data: c)
            let applied = try Self.fx("distributor", "apply", "--member", "M2", data: c)
            #expect(applied.json?["status"] as? String == "active", "M2 spent ¥40, the threshold")
            _ = try Self.fx("member", "add", "--id", "M3", "--name", "Zhou", data: c)
            let viaLink = try Self.fx(
                "order", "create", "--line", "MUG-01:2", "--member", "M3", "--via", "RC-M2", "--pay", "card", data: c)
            #expect(viaLink.status == 0)
            let report = try Self.fx("commission", "report", "--by", "level", data: c).json?["rows"] as? [[String: Any]]
            #expect(report?.first?["earned_cents"] as? Int == 900 + 200, "10 % of ¥90 plus ¥1 per mug")
            let top = try Self.fx("commission", "top", data: c).json?["distributors"] as? [[String: Any]]
            #expect(top?.first?["distributor"] as? String == "M2")
            let bad = try Self.fx("commission", "report", "--by", "store", data: c)
            #expect(
                bad.status == 2 && bad.stderr.contains("--by") && bad.stderr.contains("'distributor'"), "\(bad.stderr)")
        }
    }
}
