import Commerce
import FenxiaoTesting
import Node
import Storage
import Testing

@Suite struct GroupTests {
    @Test func groupsAreComputedFromMergedDataAndCampaignsRespectOptOut() throws {
        try withCentral("groups") { central, _ in
            _ = try central.inventory.receive([("MUG-01", "central", 100), ("BUN-01", "central", 10)], note: "opening")
            _ = try central.members.upsert(id: "ZJ1", name: "a", phone: nil, region: "Zhejiang", birthday: "1990-11-26")
            _ = try central.members.upsert(id: "ZJ2", name: "b", phone: nil, region: "Zhejiang", optOut: true)
            _ = try central.members.upsert(id: "SH1", name: "c", phone: nil, region: "Shanghai")
            _ = try central.members.upsert(id: "IDLE", name: "d", phone: nil, region: "Zhejiang")
            _ = try central.members.defineGroup(
                id: "ZJVIP", name: "spent ≥ ¥80 in 90 days in Zhejiang", minSpend: Money(cents: 8000), minOrders: 0,
                days: 90, region: "Zhejiang")
            for m in ["ZJ1", "ZJ2", "SH1"] {
                _ = try central.orders.create(OrderRequest(lines: [.line("MUG-01", 2)], member: m, pay: .cash))
            }
            _ = try central.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], member: "IDLE", pay: .cash))
            #expect(try central.members.groupMembers("ZJVIP") == ["ZJ1", "ZJ2"])
            #expect(try central.members.dormant(days: 30).isEmpty)
            #expect(try central.members.birthdays(on: MonthDay(parsing: "11-26")!) == ["ZJ1"])
            // Groups are usable as coupon targets.
            _ = try central.marketing.define(
                Coupon(code: "VIP", kind: .amountOff(cents: 1000), audience: Audience(memberGroups: ["ZJVIP"])))
            #expect(throws: NodeError.self) {
                try central.orders.create(
                    OrderRequest(lines: [.line("MUG-01", 1)], member: "SH1", coupon: "VIP", pay: .cash))
            }
            #expect(
                try central.orders.create(
                    OrderRequest(lines: [.line("MUG-01", 1)], member: "ZJ1", coupon: "VIP", pay: .cash)
                )
                .total_cents == 3500)
            let (sent, optedOut) = try central.marketing.sendCampaign(
                kind: .promotion, message: "新品上市", members: try central.members.groupMembers("ZJVIP"))
            #expect(sent == 1 && optedOut == 1)
            let events = try central.read { try $0.outbox(limit: 1000) }.filter { $0.topic == "member.message" }
            #expect(events.map(\.subject) == ["ZJ1"])
        }
    }
}

@Suite struct CheckinTests {
    @Test func oneCheckinPerDayAndOfflineDoublesAreFlagged() throws {
        try withCentral("checkin") { central, dir in
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            let s2 = try Fixtures.store("s2", in: dir, from: central)
            #expect(try s1.members.checkin(member: "M1").points == 10)
            #expect(throws: NodeError.self) { try s1.members.checkin(member: "M1") }
            _ = try s2.members.checkin(member: "M1")  // offline, the same day
            for s in [s1, s2] {
                _ = try central.store.applyRemote(try s.read { try $0.ownChanges(after: 0, limit: 100) })
            }
            #expect(
                try central.members.find("M1").points == 20,
                "both check-ins happened; the second is flagged, not erased")
            let flagged = try central.sync.conflicts().filter {
                $0.rule == "duplicate_claim" && $0.subject.hasPrefix("checkin:M1:")
            }
            #expect(flagged.count == 1)
        }
    }
}
