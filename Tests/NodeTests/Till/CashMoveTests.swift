import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Cash in / cash out during a shift: counted in the Z report's expected cash, refused on bad
/// input or a shift that is not open here, and the shift register's `cash_moves` list merging to
/// one state over any delivery order.
@Suite struct CashMoveTests {
    @Test func cashInAndOutCountInTheExpectedCashAndReachCentral() throws {
        let dir = TempDirectory("cash-moves")
        defer { dir.remove() }
        let (central, s1) = try ShiftTests.shop(dir)
        let shift = try s1.till.openShift(till: "TILL-1", float: Money(cents: 50_000))
        var sale = OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash)  // ¥25.00
        sale.shift = shift.id
        _ = try s1.orders.create(sale)
        let topUp = try s1.till.moveCash(shift: shift.id, .cashIn, amount: Money(cents: 10_000), reason: "补充零钱")
        _ = try s1.till.moveCash(shift: shift.id, .cashOut, amount: Money(cents: 3_000), reason: "付供应商 送水")
        _ = try s1.till.moveCash(shift: shift.id, .cashOut, amount: Money(cents: 40_000), reason: "to the safe")
        #expect(topUp.direction == "in" && topUp.amount_cents == 10_000 && topUp.reason == "补充零钱")
        let running = try s1.till.zReport(shift.id)
        // expected = float + cash sales − cash refunds + cash in − cash out
        let expected: Int64 = 50_000 + 2_500 + 10_000 - 3_000 - 40_000
        #expect(running.methods.first { $0.method == "cash" }?.expected_cents == expected)
        #expect(running.cash_in_cents == 10_000 && running.cash_out_cents == 43_000)
        #expect(running.cash_moves.map(\.reason) == ["补充零钱", "付供应商 送水", "to the safe"])
        let z = try s1.till.closeShift(shift.id, counted: [.cash: Money(cents: expected - 200)])
        #expect(z.cash_difference_cents == -200)
        // Closed: no more cash moves, nothing written.
        let before = try s1.read { try $0.changeCount() }
        #expect(throws: NodeError.self) {
            try s1.till.moveCash(shift: shift.id, .cashIn, amount: Money(cents: 100), reason: "late")
        }
        #expect(try s1.read { try $0.changeCount() } == before)
        // Central derives the same Z report, moves included; central cannot move cash in s1's shift.
        let s1ID = try #require(NodeID("s1"))
        _ = try central.sync.acceptPush(
            from: s1ID, changes: try s1.read { try $0.ownChanges(after: 0, limit: 100_000) })
        let atCentral = try central.till.zReport(shift.id)
        #expect(atCentral.cash_moves == z.cash_moves && atCentral.methods == z.methods)
        #expect(throws: NodeError.self) {
            try central.till.moveCash(shift: shift.id, .cashOut, amount: Money(cents: 100), reason: "forged")
        }
    }

    @Test func aStoreCannotPushCashMovesIntoAnotherStoresShift() throws {
        let dir = TempDirectory("cash-moves-forged")
        defer { dir.remove() }
        let (central, s1) = try ShiftTests.shop(dir)
        _ = try central.sync.enroll(node: "s2", warehouses: [])
        let s2 = try Fixtures.store("s2", in: dir, from: central)
        _ = try s2.till.add("TILL-1")
        let theirs = try s2.till.openShift(till: "TILL-1", float: Money(cents: 10_000))
        let s2ID = try #require(NodeID("s2"))
        _ = try central.sync.acceptPush(
            from: s2ID, changes: try s2.read { try $0.ownChanges(after: 0, limit: 100_000) })
        let s1ID = try #require(NodeID("s1"))
        let move = CashMove(
            id: "CM-s1-9", direction: .cashOut, amount: Money(cents: 10_000), reason: "forged", by: nil, atMillis: 1)
        let forged = ChangeRecord(
            origin: s1ID, seq: 1_000_000, hlc: HLC(wallMillis: 4_000_000_000_000, counter: 0),
            kind: .shift, entity: theirs.id, op: .upsert, fields: ShiftRegister(cashMoves: [move]).fields,
            context: VersionVector(), scope: .node(s1ID))
        #expect(throws: NodeError.self) { try central.sync.acceptPush(from: s1ID, changes: [forged]) }
        #expect(try central.till.zReport(theirs.id).cash_moves.isEmpty)
        _ = s1
    }

    @Test func badCashMovesAreRefusedAndWriteNothing() throws {
        let dir = TempDirectory("cash-moves-bad")
        defer { dir.remove() }
        let (_, s1) = try ShiftTests.shop(dir)
        let shift = try s1.till.openShift(till: "TILL-1", float: Money(cents: 10_000))
        let before = try s1.read { try $0.changeCount() }
        let bad: [(Money, String)] = [
            (Money(cents: 0), "zero"), (Money(cents: -100), "negative"),
            (Money(cents: Limits.maxAmountCents + 1), "overflowing"),
            (Money(cents: 100), String(repeating: "长", count: 5_000)), (Money(cents: 100), "   "),
            (Money(cents: 100), "two\nlines"),
        ]
        for (amount, reason) in bad {
            #expect(throws: NodeError.self) {
                try s1.till.moveCash(shift: shift.id, .cashIn, amount: amount, reason: reason)
            }
        }
        #expect(throws: NodeError.self) {
            try s1.till.moveCash(shift: "SH-nope", .cashIn, amount: Money(cents: 100), reason: "unknown shift")
        }
        #expect(try s1.read { try $0.changeCount() } == before)
        #expect(try s1.till.zReport(shift.id).cash_moves.isEmpty)
    }

    /// Random cash moves and sales in one shift, its changes delivered to fresh nodes in many
    /// orders with duplicates: one state hash, and every node holds the full list of moves.
    @Test(arguments: propertySeeds.prefix(10)) func cashMovesMergeToOneStateOverDeliveryOrders(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let dir = TempDirectory("cash-moves-prop")
        defer { dir.remove() }
        let (central, s1) = try ShiftTests.shop(dir)
        let shift = try s1.till.openShift(till: "TILL-1", float: Money(cents: Int64(rng.below(100_000))))
        var moves: [CashMoveView] = []
        for i in 0..<(1 + rng.below(12)) {
            if rng.chance(30) {
                var sale = OrderRequest(lines: [.line("BUN-01", Int64(1 + rng.below(3)))], pay: .cash)
                sale.shift = shift.id
                _ = try s1.orders.create(sale)
            }
            moves.append(
                try s1.till.moveCash(
                    shift: shift.id, rng.chance(50) ? .cashIn : .cashOut,
                    amount: Money(cents: Int64(1 + rng.below(50_000))),
                    reason: "move \(i)"))
        }
        if rng.chance(50) { _ = try s1.till.closeShift(shift.id, counted: [.cash: Money(cents: 0)]) }
        let changes =
            try central.read { try $0.ownChanges(after: 0, limit: 100_000) }
            + s1.read { try $0.ownChanges(after: 0, limit: 100_000) }
        let held = try s1.read { try $0.register(.shift, shift.id) }
        let hashes = try stateHashesOverDeliveries(of: changes, shuffles: 3, in: dir, using: &rng) {
            (i: Int, fresh: NodeStore) throws in
            let got = try fresh.read { try $0.register(.shift, shift.id) }
            #expect(got == held, "seed \(seed) delivery \(i)")
        }
        #expect(hashes.count == 1, "seed \(seed)")
        #expect(try s1.till.cashMoves(shift: shift.id) == moves, "seed \(seed)")
    }
}
