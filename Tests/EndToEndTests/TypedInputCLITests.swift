import FenxiaoTesting
import Foundation
import Testing

/// Input the use cases now take typed (tier lists, status filters, campaign kinds, MM-DD days,
/// shipment lines, sync phases) is parsed at the CLI's edge: a bad value exits 2 before any
/// use case runs, and a refused value names its flag (with `--json`, `field` and `flag`).
@Suite struct TypedInputCLITests {
    static func fx(_ args: [String], data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(args + ["--data", data])
    }

    /// The `error` object of a `--json` refusal on stderr.
    static func jsonError(_ out: FenxiaoBinary.Output) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(out.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any]
    }

    @Test(arguments: [
        ["distributor", "list", "--status", "sleeping"],
        ["distributor", "status", "D1", "--set", "asleep"],
        ["distributor", "regroup", "--by", "age", "--tiers", "x=1"],
        ["campaign", "birthdays", "--date", "13-40"],
        ["campaign", "birthdays", "--date", "1126"],
        ["campaign", "send", "--kind", "spam", "--message", "hi", "--group", "G"],
        ["campaign", "send", "--kind", "recall", "--message", "hi", "--birthday", "02-30"],
        ["conflicts", "list", "--status", "maybe"],
        ["stock", "transfers", "--status", "lost"],
        ["order", "refund-requests", "--status", "pending"],
        ["sync", "--phase", "sideways"],
    ])
    func badTypedValuesExitTwo(args: [String]) throws {
        try withTempDirectory("typed") { dir in
            let c = dir.sub("c")
            #expect(try Self.fx(["init", "--role", "central", "--node", "central"], data: c).status == 0)
            let out = try Self.fx(args, data: c)
            #expect(out.status == 2, "\(out.stderr)")
            #expect(out.stdout.isEmpty)
            #expect(!out.stderr.isEmpty)
        }
    }

    @Test func tierListsAreRefusedNamingTheirFlag() throws {
        try withTempDirectory("tiers") { dir in
            let c = dir.sub("c")
            #expect(try Self.fx(["init", "--role", "central", "--node", "central"], data: c).status == 0)
            let promo = try Self.fx(
                ["promo", "add", "--id", "P1", "--name", "x", "--spend-save", "100:0", "--json"], data: c)
            #expect(promo.status == 2, "\(promo.stderr)")
            #expect(Self.jsonError(promo)?["flag"] as? String == "--spend-save", "\(promo.stderr)")
            #expect((Self.jsonError(promo)?["message"] as? String)?.contains("SPEND:SAVE") == true, "\(promo.stderr)")
            let bonus = try Self.fx(["member", "topup-bonus", "--tiers", "500=600", "--json"], data: c)
            #expect(bonus.status == 2, "\(bonus.stderr)")
            #expect(Self.jsonError(bonus)?["field"] as? String == "tiers", "\(bonus.stderr)")
            let regroup = try Self.fx(["distributor", "regroup", "--by", "sales", "--tiers", "gold=lots"], data: c)
            #expect(regroup.status == 2)
            #expect(regroup.stderr.contains("--tiers 'lots' must be an amount in yuan"), "\(regroup.stderr)")
            // Nothing was written: no promotion, no bonus tier.
            #expect(try Self.fx(["promo", "list", "--json"], data: c).stdout.contains("P1") == false)
            #expect(try Self.fx(["member", "topup-bonus"], data: c).stdout.contains("no top-up bonus"))
            // Good lists still parse as before.
            #expect(
                try Self.fx(["promo", "add", "--id", "P2", "--name", "x", "--spend-save", "100:10,200:25"], data: c)
                    .status == 0)
            #expect(
                try Self.fx(["member", "topup-bonus", "--tiers", "500=50,1000=120"], data: c).stdout.contains(
                    "top up ¥1000.00 → +¥120.00"))
        }
    }
}
