import FenxiaoTesting
import Foundation
import Testing

/// Issue 14's order defects, reproduced the way they were found: with the CLI.
@Suite struct OrderRefundCLITests {
    static func fx(_ args: String..., data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data])
    }

    /// A central node with TEA-01 (¥12.50) and MUG-01 (¥76.00), stock, member M1 with ¥200.00
    /// stored value and a single-use coupon ONCE (¥5.00).
    static func setUp(_ c: String) throws {
        _ = try fx("init", "--role", "central", "--node", "central", data: c)
        _ = try fx("catalog", "add-product", "--sku", "TEA-01", "--name", "Tea", "--price", "12.50", data: c)
        _ = try fx("catalog", "add-product", "--sku", "MUG-01", "--name", "Mug", "--price", "76.00", data: c)
        _ = try fx("stock", "receive", "--sku", "TEA-01", "--qty", "10", data: c)
        _ = try fx("stock", "receive", "--sku", "MUG-01", "--qty", "10", data: c)
        _ = try fx("member", "add", "--id", "M1", "--name", "Li", data: c)
        _ = try fx("member", "topup", "--id", "M1", "--amount", "200", data: c)
        _ = try fx("coupon", "define", "--code", "ONCE", "--amount", "5", data: c)
    }

    static func wallet(_ c: String) throws -> Int? {
        try fx("member", "show", "M1", "--json", data: c).json?["wallet_cents"] as? Int
    }

    @Test func storedValuePaidLaterComesBackAndTheRefundRowNamesIt() throws {
        try withTempDirectory("cli-stored") { dir in
            let c = dir.sub("c")
            try Self.setUp(c)
            let before = try Self.wallet(c)
            let created = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--member", "M1", "--channel", "online", "--json", data: c)
            let id = try #require(created.json?["id"] as? String)
            #expect(try Self.fx("order", "pay", id, "--pay", "stored", data: c).status == 0)
            #expect(try Self.wallet(c) == (before ?? 0) - 7600)
            let refunded = try Self.fx("order", "refund", id, "--restock", "--json", data: c)
            #expect(refunded.status == 0, "\(refunded.stderr)")
            #expect(try Self.wallet(c) == before, "¥76.00 must come back to stored value")
            let shown = try Self.fx("order", "show", id, "--json", data: c)
            let refund = try #require((shown.json?["refunds"] as? [[String: Any]])?.first)
            #expect(refund["method"] as? String == "stored")
            let parts = try #require(refund["parts"] as? [[String: Any]])
            #expect(
                parts.count == 1 && parts.first?["method"] as? String == "stored"
                    && parts.first?["amount_cents"] as? Int == 7600)
            let human = try Self.fx("order", "show", id, data: c)
            #expect(human.stdout.contains("by stored value"), "\(human.stdout)")
        }
    }

    @Test func aLineCannotBeRefundedTwiceAndTheLastUnitTakesTheRemainder() throws {
        try withTempDirectory("cli-lines") { dir in
            let c = dir.sub("c")
            try Self.setUp(c)
            // 2 × ¥12.50 with the ¥5.00 coupon: the line's share of the discount makes it odd.
            let created = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--line", "TEA-01:2", "--coupon", "ONCE", "--pay", "cash",
                "--json", data: c)
            let id = try #require(created.json?["id"] as? String)
            let lines = try #require(created.json?["lines"] as? [[String: Any]])
            let tea = try #require(lines.first { $0["sku"] as? String == "TEA-01" })
            let teaLine = try #require(tea["line"] as? Int), teaPaid = try #require(tea["amount_cents"] as? Int)
            var back = 0
            for _ in 0..<2 {
                let out = try Self.fx("order", "refund", id, "--line", "\(teaLine):1", "--json", data: c)
                #expect(out.status == 0, "\(out.stderr)")
                back += ((out.json?["refunds"] as? [[String: Any]])?.last?["amount_cents"] as? Int) ?? 0
            }
            #expect(back == teaPaid)
            let again = try Self.fx("order", "refund", id, "--line", "\(teaLine):1", data: c)
            #expect(again.status != 0 && again.stderr.contains("0 of its 2 units left"), "\(again.stderr)")
            let shown = try Self.fx("order", "show", id, "--json", data: c)
            let line = try #require((shown.json?["lines"] as? [[String: Any]])?.first { $0["line"] as? Int == teaLine })
            #expect(line["refunded_qty"] as? Int == 2 && line["refunded_cents"] as? Int == teaPaid)
        }
    }

    @Test func cancelledAndExpiredOrdersGiveTheCouponBack() throws {
        try withTempDirectory("cli-coupon") { dir in
            let c = dir.sub("c")
            try Self.setUp(c)
            let online = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--member", "M1", "--coupon", "ONCE", "--channel", "online",
                "--json", data: c)
            let id = try #require(online.json?["id"] as? String)
            let refused = try Self.fx(
                "order", "create", "--line", "TEA-01:1", "--member", "M1", "--coupon", "ONCE", "--pay", "cash", data: c)
            #expect(refused.status != 0)
            #expect(try Self.fx("order", "cancel", id, data: c).status == 0)
            let again = try Self.fx(
                "order", "create", "--line", "TEA-01:1", "--member", "M1", "--coupon", "ONCE", "--pay", "cash",
                "--json", data: c)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.json?["coupon"] as? String == "ONCE")
        }
    }

    /// `order expire` (the unpaid order aged past the limit with `FENXIAO_CLOCK_SKEW_MS`) gives
    /// the single-use coupon back and releases the reservation, like a cancel.
    @Test func anExpiredOrderGivesItsCouponAndReservationBack() throws {
        try withTempDirectory("cli-expire") { dir in
            let c = dir.sub("c")
            try Self.setUp(c)
            func available() throws -> Int {
                let shown = try Self.fx("stock", "show", "--sku", "MUG-01", "--json", data: c)
                return try #require(shown.json?["available"] as? Int, "stock show: \(shown.stderr)")
            }
            let before = try available()
            let online = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--member", "M1", "--coupon", "ONCE", "--channel", "online",
                "--json", data: c)
            let id = try #require(online.json?["id"] as? String)
            #expect(try available() == before - 1, "the online order reserves one mug")
            let young = try Self.fx("order", "expire", "--older-than", "30", "--json", data: c)
            #expect((young.json?["expired"] as? [String])?.isEmpty == true, "a fresh order is not expired")
            let aged = try FenxiaoBinary.run(
                ["order", "expire", "--older-than", "30", "--json", "--data", c],
                environment: ["FENXIAO_CLOCK_SKEW_MS": String(31 * 60_000)])
            #expect(aged.json?["expired"] as? [String] == [id], "\(aged.stderr)")
            #expect(try Self.fx("order", "show", id, "--json", data: c).json?["status"] as? String == "cancelled")
            #expect(try available() == before, "the reservation is released")
            let again = try Self.fx(
                "order", "create", "--line", "TEA-01:1", "--member", "M1", "--coupon", "ONCE", "--pay", "cash",
                "--json", data: c)
            #expect(again.status == 0, "the coupon came back: \(again.stderr)")
        }
    }

    @Test func pointsEntriesAreListedInSnakeCase() throws {
        try withTempDirectory("cli-points") { dir in
            let c = dir.sub("c")
            try Self.setUp(c)
            _ = try Self.fx("member", "points", "--id", "M1", "--add", "5000", data: c)
            let sold = try Self.fx(
                "order", "create", "--line", "MUG-01:1", "--member", "M1", "--points", "3000", "--pay", "cash",
                "--json", data: c)
            let id = try #require(sold.json?["id"] as? String)
            _ = try Self.fx("order", "refund", id, "--amount", "25.33", data: c)
            _ = try Self.fx("order", "refund", id, "--amount", "25.33", data: c)
            _ = try Self.fx("order", "refund", id, data: c)
            let history = try Self.fx("points", "history", "M1", "--json", data: c)
            let entries = try #require(history.json?["entries"] as? [[String: Any]])
            #expect(entries.first?.keys.contains("at_ms") == true && entries.first?.keys.contains("at") == true)
            let back = entries.filter { ($0["id"] as? String)?.hasPrefix("PTB-") == true }.compactMap {
                $0["delta"] as? Int
            }.reduce(0, +)
            #expect(back == 3000, "points used come back exactly over three refunds: \(entries)")
            #expect(try Self.fx("points", "show", "M1", "--json", data: c).json?["available"] as? Int == 5000)
        }
    }
}
