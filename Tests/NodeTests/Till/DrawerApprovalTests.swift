import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Closing a shift with a cash difference above the store's threshold (¥50.00 by default)
/// needs a store manager's PIN; both users are audited.
@Suite struct DrawerApprovalTests {
    @Test func aBigDifferenceNeedsAManagersPINAndBothAreAudited() throws {
        let dir = TempDirectory("drawer-approval")
        defer { dir.remove() }
        let (_, store, _) = try TillShop.make(in: dir)
        let amy = store.acting(as: "amy")
        let shift = try #require(try amy.till.currentShift(till: "TILL-1"))  // float ¥200.00
        let limit = try amy.till.differenceLimit()
        #expect(limit.limit_cents == 5_000 && limit.is_default)
        let before = try store.read { try $0.changeCount() }
        // ¥60.00 short, by a cashier alone: refused, nothing written, the shift still open.
        #expect(throws: NodeError.self) { try amy.till.closeShift(shift.id, counted: [.cash: Money(cents: 14_000)]) }
        // Another cashier's PIN is no manager's approval; a wrong manager PIN is refused.
        let bob = try amy.till.approval(manager: "bob", pin: TillShop.cashierPIN)
        #expect(throws: NodeError.self) {
            try amy.approved(by: bob).till.closeShift(shift.id, counted: [.cash: Money(cents: 14_000)])
        }
        #expect(throws: NodeError.self) { try amy.till.approval(manager: TillShop.manager, pin: "0000") }
        #expect(try store.read { try $0.changeCount() } == before)
        #expect(try amy.till.currentShift(till: "TILL-1")?.id == shift.id)
        // With max's PIN on the same screen: closed, amy audited for the close, max for the approval.
        let max = try amy.till.approval(manager: TillShop.manager, pin: TillShop.managerPIN)
        let z = try amy.approved(by: max).till.closeShift(shift.id, counted: [.cash: Money(cents: 14_000)])
        #expect(z.cash_difference_cents == -6_000 && z.shift.status == "closed")
        let audit = try store.acting(as: "max").access.auditLog().filter { $0.subject == shift.id }
        #expect(audit.contains { $0.user == "amy" && $0.action == "shift.close" })
        #expect(audit.contains { $0.user == "max" && $0.action == "shift.close.approve" })
    }

    @Test func aSmallDifferenceOrAManagerClosingNeedsNoApprovalAndTheThresholdIsAStoreSetting() throws {
        let dir = TempDirectory("drawer-threshold")
        defer { dir.remove() }
        let (_, store, _) = try TillShop.make(in: dir, tills: 3)
        let amy = store.acting(as: "amy")
        let max = store.acting(as: "max")
        // ¥50.00 exactly is within the threshold.
        let first = try #require(try amy.till.currentShift(till: "TILL-1"))
        _ = try amy.till.closeShift(first.id, counted: [.cash: Money(cents: 25_000)])
        // A store manager closes a big difference on their own.
        let second = try #require(try amy.till.currentShift(till: "TILL-2"))
        _ = try max.till.closeShift(second.id, counted: [.cash: Money(cents: 0)])
        // Only a manager sets the threshold; then ¥30.00 over needs approval.
        #expect(throws: NodeError.self) { try amy.till.setDifferenceLimit(Money(cents: 100_000)) }
        #expect(throws: NodeError.self) { try max.till.setDifferenceLimit(Money(cents: -1)) }
        _ = try max.till.setDifferenceLimit(Money(cents: 2_000))
        #expect(try amy.till.differenceLimit().limit_cents == 2_000)
        let third = try #require(try amy.till.currentShift(till: "TILL-3"))
        #expect(throws: NodeError.self) { try amy.till.closeShift(third.id, counted: [.cash: Money(cents: 23_000)]) }
        _ = try amy.till.closeShift(third.id, counted: [.cash: Money(cents: 21_500)])
    }
}
