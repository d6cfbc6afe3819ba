import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Membership and distribution settings replicate between real nodes: a real `fenxiao serve`
/// on 127.0.0.1, real libcurl clients, stores working offline in between.
@Suite(.serialized) struct MembershipSyncTests {
    @Test func settingsCouponsPointsAndContactsReplicateAndServeApprovesApplications() async throws {
        try await withCentral("msync") { central, dir in
            _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
            _ = try central.members.ledger(member: "M1", account: .points, delta: 1000, reason: "welcome")
            _ = try central.members.setPointsSettings(
                capPercent: 20, expiryDays: 365, sharePoints: 5, shareDailyLimit: 1)
            _ = try central.distribution.setDistributionSettings(
                lockDays: 15, binding: .both, autoApproveSpend: .atSpend(.zero))
            _ = try central.marketing.define(Coupon(code: "VIP", amountCents: 1000), holdersOnly: true)
            _ = try central.members.setPointsCatalogItem("coupon:VIP", points: 300)
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let stores = try Fixtures.joinedStores(["s1", "s2"], central: central, in: dir, url: server.url)
            func sync(_ n: String) async throws {
                let node = try #require(stores[n])
                let runner = try SyncRunner(
                    node: node, link: try SyncRunner.link(of: node),
                    configuration: .init(batchSize: 500, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
                    timeoutMillis: 5000)
                _ = try await runner.run()
            }
            for n in ["s1", "s2"] { try await sync(n) }
            let s1 = try #require(stores["s1"]), s2 = try #require(stores["s2"])
            // The settings reached the stores.
            #expect(try s2.members.pointsSettings().share_daily_limit == 1)
            #expect(try s1.distribution.distributionSettings().lock_days == 15)
            // Offline: both stores reward M1's share today and give M1 the VIP coupon for points.
            for s in [s1, s2] {
                _ = try s.members.share(member: "M1", what: "TEA-01")
                _ = try s.members.exchangePoints(member: "M1", item: "coupon:VIP")
            }
            _ = try s1.members.upsert(id: "M5", name: "Zhao", phone: nil, email: "zhao@example.com")
            _ = try s1.distribution.apply(member: "M1", channels: "Douyin", experience: nil, inviterCode: nil)
            for _ in 0..<2 { for n in ["s1", "s2"] { try await sync(n) } }
            // Merged at central: both rewards and both exchanges happened and are flagged.
            #expect(try central.members.points(of: "M1").available == 1000 + 10 - 600)
            let subjects = Set(try central.sync.conflicts().map(\.subject))
            #expect(subjects.contains { $0.hasPrefix("share:M1:") })
            #expect(subjects.contains("held:VIP:M1"))
            // Contact data: at the home store and central, never at s2.
            #expect(try central.members.find("M5").email == "zhao@example.com")
            #expect(try s2.members.find("M5").email == nil)
            // serve's housekeeping approves the store's application (spent ≥ ¥0) within seconds.
            let deadline = Date().addingTimeInterval(30)
            var status = try central.distribution.find("M1").status
            while status != "active", Date() < deadline {
                try await Task.sleep(nanoseconds: 100_000_000)
                status = try central.distribution.find("M1").status
            }
            #expect(status == "active")
            for _ in 0..<2 { for n in ["s1", "s2"] { try await sync(n) } }
            #expect(try s1.distribution.find("M1").status == "active")
            for (n, s) in stores {
                #expect(try s.sync.status().state_hash == central.sync.status(scopeOf: n).state_hash, "\(n) diverged")
            }
        }
    }
}
