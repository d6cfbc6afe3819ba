import FenxiaoTesting
import Foundation
import Testing

/// CI's smoke run of the retail-day benchmark: tiny, but every phase runs for real
/// (store processes, a `fenxiao serve` process, concurrent libcurl syncs) and must converge.
@Suite struct BenchSmokeTests {
    @Test func tinyRetailDayConverges() throws {
        let out = try FenxiaoBinary.run(["bench", "retail-day", "--stores", "2", "--orders", "200", "--json"], timeout: 300)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(out.json)
        #expect(json["converged"] as? Bool == true)
        #expect(json["central_orders"] as? Int == 400)
        #expect(json["changes"] as? Int == 3420, "the workload's change count for 2 × 200 (C: wl_check 2 200)")
        #expect(json["member_orders"] as? Int == 194)
        #expect((json["store_orders_per_s"] as? Double ?? 0) > 0)
    }

    @Test func demoConvergesAndFindsEveryKindOfConflict() throws {
        let out = try FenxiaoBinary.run(["demo", "--json"], timeout: 300)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(out.json)
        #expect(json["converged"] as? Bool == true)
        let rules = Set(((json["conflicts"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
        for rule in ["allocation_displaced", "fact_beats_cancel", "duplicate_claim", "concurrent_edit", "overdraft", "refund_exceeds_paid"] {
            #expect(rules.contains(rule), "demo lacks \(rule)")
        }
        let commissions = (json["commissions"] as? [[String: Any]]) ?? []
        #expect(commissions.first?["earned_cents"] as? Int == 2310, "10 % of ¥231.00 bought through the link at an offline store")
    }
}
