import FenxiaoTesting
import Foundation
import Testing

/// The CLI as a user meets it: `--json` prints exactly one object; bad input gets a one-line
/// error on stderr, a non-zero exit, and writes nothing.
@Suite struct CLITests {
    static func fx(_ args: String..., data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data])
    }

    @Test func tourWorksWithJSON() throws {
        try withTempDirectory("cli") { dir in
            let c = dir.sub("c")
            #expect(
                try Self.fx("init", "--role", "central", "--node", "central", "--json", data: c).json?["role"]
                    as? String == "central")
            let added = try Self.fx(
                "catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "12.50", "--category",
                "Drinks/Tea", "--json", data: c)
            #expect(added.json?["price_cents"] as? Int == 1250)
            _ = try Self.fx("stock", "receive", "--sku", "TEA-01", "--qty", "10", data: c)
            let sold = try Self.fx("order", "create", "--line", "TEA-01:3", "--pay", "cash", "--json", data: c)
            #expect(sold.status == 0)
            #expect(sold.json?["total_cents"] as? Int == 3750)
            let shown = try Self.fx("stock", "show", "--sku", "TEA-01", "--json", data: c)
            #expect(shown.json?["on_hand"] as? Int == 7)
            let list = try Self.fx("order", "list", "--json", data: c)
            #expect((list.json?["orders"] as? [Any])?.count == 1)
            let status = try Self.fx("status", "--json", data: c)
            #expect(status.stdout.split(separator: "\n").count == 1)
            #expect((status.json?["state_hash"] as? String)?.count == 64)
            #expect(status.json?["pending_changes"] != nil && status.json?["version_vector"] != nil)
        }
    }

    @Test func theAfterSalePeriodIsSetShownAndCarriedByNewOrders() throws {
        try withTempDirectory("cli-aftersale") { dir in
            let c = dir.sub("c")
            _ = try Self.fx("init", "--role", "central", "--node", "central", data: c)
            _ = try Self.fx("catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "1", data: c)
            _ = try Self.fx("stock", "receive", "--sku", "TEA-01", "--qty", "10", data: c)
            #expect(try Self.fx("order", "after-sale", data: c).stdout.contains("orders never close"))
            let before = try Self.fx("order", "create", "--line", "TEA-01:1", "--pay", "cash", "--json", data: c)
            #expect(before.json?["closes_at"] == nil, "an order sold without a period never closes")
            let set = try Self.fx("order", "after-sale", "--set-days", "7", data: c)
            #expect(set.status == 0 && set.stdout.contains("close 7 day(s) after their sale"), "\(set.stdout)")
            #expect(try Self.fx("order", "after-sale", "--json", data: c).json?["close_days"] as? Int == 7)
            let sold = try Self.fx("order", "create", "--line", "TEA-01:1", "--pay", "cash", "--json", data: c)
            let id = try #require(sold.json?["id"] as? String)
            // `--json` writes times as ISO 8601 (…_at).
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let closes = try #require(sold.json?["closes_at"] as? String)
            let created = try #require(sold.json?["created_at"] as? String)
            let span = try #require(iso.date(from: closes)).timeIntervalSince(try #require(iso.date(from: created)))
            #expect(abs(span - 7 * 86_400) < 60, "closes \(closes), created \(created)")
            #expect(try Self.fx("order", "show", id, data: c).stdout.contains("after-sale period ends"))
            #expect(try Self.fx("order", "after-sale", "--never", data: c).stdout.contains("orders never close"))
            // The period an order was sold with stays with it.
            #expect(try Self.fx("order", "show", id, "--json", data: c).json?["closes_at"] as? String == closes)
        }
    }

    @Test(arguments: [
        ["order", "create", "--line", "NOPE:1", "--pay", "cash"],
        ["order", "create", "--line", "TEA-01:0", "--pay", "cash"],
        ["order", "create", "--line", "TEA-01:-1", "--pay", "cash"],
        ["order", "create", "--line", "TEA-01", "--pay", "cash"],
        ["catalog", "add-product", "--sku", "X", "--name", "x", "--price", "1.234"],
        ["stock", "receive", "--sku", "TEA-01", "--qty", "0"],
        ["stock", "receive", "--sku", "TEA-01", "--qty", "-5"],
        ["init", "--role", "central", "--node", "central"],
        ["order", "after-sale", "--set-days", "0"],
        ["order", "after-sale", "--set-days", "3651"],
        ["order", "after-sale", "--set-days", "7", "--never"],
    ])
    func badInputIsRefusedWithOneLineAndNothingWritten(args: [String]) throws {
        try withTempDirectory("bad") { dir in
            let c = dir.sub("c")
            _ = try Self.fx("init", "--role", "central", "--node", "central", data: c)
            _ = try Self.fx("catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "1", data: c)
            _ = try Self.fx("stock", "receive", "--sku", "TEA-01", "--qty", "10", data: c)
            let before = try Self.fx("status", "--json", data: c).json?["state_hash"] as? String
            let out = try FenxiaoBinary.run(args + ["--data", c])
            #expect(out.status != 0)
            #expect(out.stdout.isEmpty)
            let lines = out.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.count >= 1)
            #expect(lines.first?.hasPrefix("error:") == true || out.stderr.contains("Error:"))
            let after = try Self.fx("status", "--json", data: c).json?["state_hash"] as? String
            #expect(before == after)
        }
    }

    @Test func missingOrForeignDataDirectoryIsRefused() throws {
        try withTempDirectory("nodata") { dir in
            let missing = try FenxiaoBinary.run(["status", "--data", dir.sub("nope")])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("no Fenxiao node"))
            try Data("hello".utf8).write(to: URL(fileURLWithPath: dir.path + "/fenxiao.sqlite"))
            let foreign = try FenxiaoBinary.run(["status", "--data", dir.path])
            #expect(foreign.status != 0)
            #expect(foreign.stderr.contains("not"))
        }
    }
}

@Suite struct CatalogFileTests {
    @Test func csvImportIsAllOrNothingAndRoundTrips() throws {
        try withTempDirectory("csv") { dir in
            let c = dir.sub("c")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", c])
            let good = "sku,name,price,category\nTEA-01,\"Tea, green\",12.50,Drinks/Tea\nBUN-01,Bun,3.5,\n"
            try Data(good.utf8).write(to: URL(fileURLWithPath: dir.sub("good.csv")))
            let imported = try FenxiaoBinary.run(["catalog", "import", dir.sub("good.csv"), "--json", "--data", c])
            #expect(imported.json?["imported"] as? Int == 2, "\(imported.stderr)")
            let bad = "sku,name,price\nOK-1,ok,1.00\nBAD-2,bad,1.234\n"
            try Data(bad.utf8).write(to: URL(fileURLWithPath: dir.sub("bad.csv")))
            let refused = try FenxiaoBinary.run(["catalog", "import", dir.sub("bad.csv"), "--data", c])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("row 2"))
            _ = try FenxiaoBinary.run(["catalog", "export", dir.sub("out.csv"), "--data", c])
            let d = dir.sub("d")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            let again = try FenxiaoBinary.run(["catalog", "import", dir.sub("out.csv"), "--json", "--data", d])
            #expect(again.json?["imported"] as? Int == 2)
            let list = try FenxiaoBinary.run(["catalog", "list", "--json", "--data", d])
            let names = ((list.json?["skus"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("Tea, green"))
            #expect(!names.contains("ok"), "the bad file wrote nothing")
        }
    }
}
