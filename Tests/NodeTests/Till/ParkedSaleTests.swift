import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Parked sales (挂单/取单): node-local carts any till of the store resumes once.
@Suite struct ParkedSaleTests {
    @Test func aCartParkedAtOneTillIsResumedOnceAtAnother() throws {
        let dir = TempDirectory("parked")
        defer { dir.remove() }
        let (_, store, _) = try TillShop.make(in: dir, tills: 2)
        let amy = store.acting(as: "amy")
        let bob = store.acting(as: "bob")
        let changes = try store.read { try $0.changeCount() }
        let cart = ParkedCart(
            lines: [.init(sku: "TEA-01", qty: 2), .init(sku: "MUG-01", qty: 1)], member: nil, coupon: "C1")
        let parked = try amy.till.park(till: "TILL-1", cart: cart, total: Money(cents: 7_000))
        #expect(parked.items == 3 && parked.total_cents == 7_000 && parked.cashier == "amy" && !parked.earlier_shift)
        // Not replicated: no change written.
        #expect(try store.read { try $0.changeCount() } == changes)
        let listed = try bob.till.parked(for: "TILL-2")
        #expect(listed.map(\.id) == [parked.id] && listed.first?.cart == nil)
        let resumed = try bob.till.resume(parked.id, at: "TILL-2")
        #expect(resumed.cart == cart)
        #expect(throws: NodeError.self) { try amy.till.resume(parked.id, at: "TILL-1") }
        #expect(try amy.till.parked(for: "TILL-1").isEmpty)
    }

    @Test func aCartParkedBeforeTheShiftOpenedIsMarkedAndBadCartsAreRefused() throws {
        let dir = TempDirectory("parked-earlier")
        defer { dir.remove() }
        let (_, store, _) = try TillShop.make(in: dir)
        let amy = store.acting(as: "amy")
        let parked = try amy.till.park(
            till: "TILL-1", cart: ParkedCart(lines: [.init(sku: "BUN-01", qty: 1)]), total: Money(cents: 350))
        let shift = try #require(try amy.till.currentShift(till: "TILL-1"))
        _ = try amy.till.closeShift(shift.id, counted: [.cash: Money(cents: 20_000)])
        #expect(try amy.till.parked(for: "TILL-1").first?.earlier_shift == true)  // no shift open
        _ = try amy.till.openShift(till: "TILL-1", float: Money(cents: 0))
        #expect(try amy.till.parked(for: "TILL-1").first { $0.id == parked.id }?.earlier_shift == true)
        for bad in [
            ParkedCart(lines: []), ParkedCart(lines: [.init(sku: "TEA-01", qty: 0)]),
            ParkedCart(lines: [.init(sku: String(repeating: "X", count: 5_000), qty: 1)]),
            ParkedCart(lines: [.init(sku: "TEA-01", qty: 1)], member: String(repeating: "m", count: 5_000)),
        ] {
            #expect(throws: NodeError.self) { try amy.till.park(till: "TILL-1", cart: bad, total: Money(cents: 1)) }
        }
        #expect(try amy.till.parked(for: "TILL-1").count == 1)
    }
}
