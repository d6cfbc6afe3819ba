import FenxiaoTesting
import Foundation
import Testing

/// CI's smoke run of the retail-day benchmark: tiny, but every phase runs for real
/// (store processes, a `fenxiao serve` process, concurrent libcurl syncs) and must converge.
@Suite struct BenchSmokeTests {
    @Test func tinyRetailDayConverges() throws {
        let out = try FenxiaoBinary.run(
            ["bench", "retail-day", "--stores", "2", "--orders", "200", "--json"], timeout: 300)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(out.json)
        #expect(json["converged"] as? Bool == true)
        #expect(json["central_orders"] as? Int == 400)
        #expect(json["changes"] as? Int == 3420, "the workload's change count for 2 × 200 (C: wl_check 2 200)")
        #expect(json["member_orders"] as? Int == 194)
        #expect((json["store_orders_per_s"] as? Double ?? 0) > 0)
        // Central's figure is timed from the first sync's start to the last one's end, a window
        // inside the phase's (which adds the sync processes' start-up and file checks).
        for phase in ["push", "pull"] {
            let window = json["\(phase)_sync_s"] as? Double ?? 0
            let whole = json["\(phase)_s"] as? Double ?? 0
            #expect(window > 0 && window <= whole, "\(phase): \(window) s of \(whole) s")
        }
        let central = json["central_changes_per_s"] as? Double ?? 0
        let withStartUp = json["central_changes_per_s_with_start_up"] as? Double ?? 0
        #expect(withStartUp > 0 && central >= withStartUp)
    }

    /// The profiling harness for central's push path: after a tiny set-up and two stores' days,
    /// `central-apply` pushes every store change through `acceptPush` in one process; all of
    /// them are new, each costs SQL statements, and a second run finds them all duplicates.
    @Test func centralApplyPushesEveryStoreChangeOnceInProcess() throws {
        try withTempDirectory("central-apply") { dir in
            let root = dir.sub("day")
            let setup = try FenxiaoBinary.run(
                ["bench", "retail-day", "--stores", "2", "--orders", "100", "--setup-only", "--keep", root],
                timeout: 300)
            #expect(setup.stderr.contains("stopped after set-up"), "\(setup.stderr)")
            for i in 1...2 {
                let day = try FenxiaoBinary.run([
                    "bench", "store-phase", "--data", root + "/s0\(i)", "--store", "\(i)", "--orders", "100",
                ])
                #expect(day.json?["orders"] as? Int == 100, "\(day.stderr)")
            }
            let args = [
                "bench", "central-apply", "--central", root + "/central", "--store", root + "/s01", "--store",
                root + "/s02", "--batch", "50", "--sql-profile", "--json",
            ]
            let first = try #require(try FenxiaoBinary.run(args, timeout: 300).json)
            let changes = try #require(first["changes"] as? Int)
            #expect(changes > 200, "two stores × 100 orders make more changes than orders")
            #expect(first["applied"] as? Int == changes)
            #expect((first["statements"] as? Int ?? 0) > changes, "every change costs at least one statement")
            let again = try #require(try FenxiaoBinary.run(args, timeout: 300).json)
            #expect(again["changes"] as? Int == changes)
            #expect(again["applied"] as? Int == 0)
            #expect(again["duplicates"] as? Int == changes)
            let zero = try FenxiaoBinary.run(args.map { $0 == "50" ? "0" : $0 })
            #expect(zero.status != 0 && zero.stderr.contains("--batch must be 1…5000"), "\(zero.stderr)")
        }
    }

    @Test func demoConvergesAndFindsEveryKindOfConflict() throws {
        try withTempDirectory("demo-keep") { dir in
            let out = try FenxiaoBinary.run(["demo", "--json", "--keep", dir.path], timeout: 300)
            #expect(out.status == 0, "\(out.stderr)")
            let json = try #require(out.json)
            #expect(json["converged"] as? Bool == true)
            let rules = Set(((json["conflicts"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
            for rule in [
                "allocation_displaced", "fact_beats_cancel", "duplicate_claim", "concurrent_edit", "overdraft",
                "refund_exceeds_paid",
            ] {
                #expect(rules.contains(rule), "demo lacks \(rule)")
            }
            // Every record carries its facts as data, and renders in Chinese from them.
            let central = dir.path + "/central"
            let listed = try FenxiaoBinary.run(["conflicts", "--data", central, "--json"])
            let records = (listed.json?["conflicts"] as? [[String: Any]]) ?? []
            #expect(!records.isEmpty)
            for record in records { #expect(record["facts"] is [String: Any], "\(record["id"] ?? "?") has no facts") }
            let chinese = try FenxiaoBinary.run(["conflicts", "--data", central, "--lang", "zh"])
            #expect(chinese.status == 0, "\(chinese.stderr)")
            for phrase in ["已记为欠款", "以先领用者为准", "订单保留", "已无库存可占"] {
                #expect(chinese.stdout.contains(phrase), "no Chinese sentence with \(phrase)")
            }
            #expect(!chinese.stdout.contains("Follow up with the store"))
            let commissions = (json["commissions"] as? [[String: Any]]) ?? []
            #expect(
                commissions.first?["earned_cents"] as? Int == 2310,
                "10 % of ¥231.00 bought through the link at an offline store")
        }
    }
}
