import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Shifts and the Z report at a store's till, split payments at the counter, and the shift
/// register's way to central.
@Suite struct ShiftTests {
    /// Central with member M1 (¥5,000 stored value, 50,000 points); store s1 with stock and till TILL-1.
    static func shop(_ dir: TempDirectory) throws -> (central: FenxiaoNode, s1: FenxiaoNode) {
        let central = try Fixtures.central(in: dir)
        _ = try central.sync.enroll(node: "s1", warehouses: [])
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        _ = try central.members.ledger(member: "M1", account: .wallet, delta: 500_000, reason: "deposit")
        _ = try central.members.ledger(member: "M1", account: .points, delta: 50_000, reason: "gift")
        let s1 = try Fixtures.store("s1", in: dir, from: central)
        for sku in ["TEA-01", "BUN-01", "MUG-01"] {
            _ = try s1.inventory.move(sku: sku, quantity: 1_000, reason: .receive)
        }
        _ = try s1.till.add("TILL-1")
        return (central, s1)
    }

    @Test func aSplitPaymentRecordsOnePaymentPerMethodAndTheChangeDue() throws {
        let dir = TempDirectory("split")
        defer { dir.remove() }
        let (_, s1) = try Self.shop(dir)
        var req = OrderRequest(lines: [.line("MUG-01", 2)], member: "M1")  // ¥90.00
        req.payments = [
            PaymentPart(method: .wechat, amount: Money(cents: 2_000)),
            PaymentPart(method: .stored, amount: Money(cents: 1_000)),
            PaymentPart(method: .cash, tendered: Money(cents: 10_000)),
        ]
        let order = try s1.orders.create(req)
        #expect(order.payments.map(\.method) == ["wechat", "stored", "cash"])
        #expect(order.payments.map(\.amount_cents) == [2_000, 1_000, 6_000])
        #expect(order.payments.last?.tendered_cents == 10_000)  // change due: ¥40.00
        #expect(try s1.members.find("M1").wallet_cents == 500_000 - 1_000)
        // Parts that do not add up, two open parts, too little cash: refused, nothing written.
        let before = try s1.read { try $0.changeCount() }
        for parts in [
            [PaymentPart(method: .card, amount: Money(cents: 100))],
            [PaymentPart(method: .card), PaymentPart(method: .cash)],
            [PaymentPart(method: .cash, tendered: Money(cents: 100))],
            [PaymentPart(method: .card, amount: Money(cents: 9_500)), PaymentPart(method: .cash)],
        ] {
            var bad = OrderRequest(lines: [.line("MUG-01", 2)])
            bad.payments = parts
            #expect(throws: NodeError.self) { try s1.orders.create(bad) }
        }
        #expect(try s1.read { try $0.changeCount() } == before)
    }

    @Test func aShiftClosesWithExpectedAndCountedCashPerMethod() throws {
        let dir = TempDirectory("shift")
        defer { dir.remove() }
        let (central, s1) = try Self.shop(dir)
        let shift = try s1.till.openShift(till: "TILL-1", float: Money(cents: 50_000))
        // one open shift per till
        #expect(throws: NodeError.self) { try s1.till.openShift(till: "TILL-1", float: Money(cents: 0)) }
        var cash = OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash)  // ¥25.00
        cash.shift = shift.id
        cash.tendered = Money(cents: 5_000)
        let sold = try s1.orders.create(cash)
        var card = OrderRequest(lines: [.line("MUG-01", 1)], pay: .card)  // ¥45.00
        card.shift = shift.id
        _ = try s1.orders.create(card)
        var alipay = OrderRequest(lines: [.line("BUN-01", 2)], pay: .alipay)  // ¥7.00
        alipay.shift = shift.id
        _ = try s1.orders.create(alipay)
        _ = try s1.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], pay: .cash))  // outside any shift
        _ = try s1.orders.refund(
            order: sold.id, amount: Money(cents: 500), reason: "bruised", restock: false, shift: shift.id)
        let running = try s1.till.zReport(shift.id)
        let runningCash = try #require(running.methods.first { $0.method == "cash" })
        #expect(runningCash.expected_cents == Int64(50_000 + 2_500 - 500))
        #expect(running.orders == 3 && running.refunds == 1 && running.refunds_cents == 500)
        let z = try s1.till.closeShift(shift.id, counted: [.cash: Money(cents: 51_900), .card: Money(cents: 4_500)])
        let cashLine = try #require(z.methods.first { $0.method == "cash" })
        #expect(cashLine.taken_cents == 2_500 && cashLine.refunded_cents == 500 && cashLine.expected_cents == 52_000)
        #expect(cashLine.counted_cents == 51_900 && cashLine.difference_cents == -100)
        #expect(z.methods.first { $0.method == "alipay" }?.expected_cents == 700)
        #expect(z.cash_difference_cents == -100 && z.shift.status == "closed")
        // Closed: no more sales in it, and it cannot be closed twice.
        #expect(throws: NodeError.self) { try s1.orders.create(cash) }
        #expect(throws: NodeError.self) { try s1.till.closeShift(shift.id, counted: [.cash: Money(cents: 0)]) }
        // The shift, with its difference, reaches central like any change, and central's Z report agrees.
        let s1ID = try #require(NodeID("s1"))
        _ = try central.sync.acceptPush(
            from: s1ID, changes: try s1.read { try $0.ownChanges(after: 0, limit: 100_000) })
        let atCentral = try central.till.zReport(shift.id)
        #expect(atCentral.cash_difference_cents == -100)
        #expect(atCentral.methods == z.methods)
        #expect(try central.read { try $0.register(.shift, shift.id) } == s1.read { try $0.register(.shift, shift.id) })
    }

    @Test func aStoreCannotPushAShiftOfAnotherStore() throws {
        let dir = TempDirectory("shift-forged")
        defer { dir.remove() }
        let (central, _) = try Self.shop(dir)
        let s1ID = try #require(NodeID("s1"))
        let forged = ChangeRecord(
            origin: s1ID, seq: 1_000_000, hlc: HLC(wallMillis: 1, counter: 0),
            kind: .shift, entity: "SH-s2-1", op: .upsert,
            fields: ShiftRegister(till: "TILL-1", store: "s2", status: .open, float: Money(cents: 100)).fields,
            context: VersionVector(), scope: .node(s1ID))
        #expect(throws: NodeError.self) { try central.sync.acceptPush(from: s1ID, changes: [forged]) }
    }

    /// The Z report's cash over random paths of sales (split, cash with change, other methods,
    /// points), partial and full refunds: expected cash = float + cash taken − cash given back,
    /// with cash taken and given back read from the orders themselves.
    @Test(arguments: 1...10) func expectedCashIsFloatPlusCashInMinusCashOut(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let dir = TempDirectory("z-prop-\(seed)")
        defer { dir.remove() }
        let (_, s1) = try Self.shop(dir)
        let float = Int64(rng.below(100_000))
        let shift = try s1.till.openShift(till: "TILL-1", float: Money(cents: float))
        let methods: [PaymentMethod] = [.cash, .card, .wechat, .alipay, .stored]
        var orders: [String] = []
        for _ in 0..<20 {
            let line = LineRequest.line(["TEA-01", "BUN-01", "MUG-01"][rng.below(3)], Int64(1 + rng.below(4)))
            switch rng.below(4) {
            case 0, 1:
                var r = OrderRequest(lines: [line], member: rng.chance(50) ? "M1" : nil)
                r.shift = shift.id
                if rng.chance(50) {
                    r.pay = methods[rng.below(methods.count)]
                    if r.pay == .stored && r.member == nil { r.pay = .cash }
                    if r.pay == .cash && rng.chance(50) { r.tendered = Money(cents: 100_000) }
                } else {
                    r.payments = [
                        PaymentPart(
                            method: [.card, .wechat, .alipay][rng.below(3)],
                            amount: Money(cents: Int64(1 + rng.below(300)))),
                        PaymentPart(method: .cash),
                    ]
                }
                if r.member != nil && rng.chance(30) { r.points = Int64(1 + rng.below(300)) }
                if let o = try? s1.orders.create(r) { orders.append(o.id) }
            case 2:
                if let o = orders.isEmpty ? nil : orders[rng.below(orders.count)] {
                    _ = try? s1.orders.refund(
                        order: o, amount: rng.chance(50) ? nil : Money(cents: Int64(1 + rng.below(9)) * 100),
                        reason: nil, restock: false,
                        shift: shift.id)
                }
            default:
                _ = try? s1.orders.create(OrderRequest(lines: [line], pay: .cash))  // another till, no shift
            }
        }
        var cashIn: Int64 = 0
        var cashOut: Int64 = 0
        for id in orders {
            let o = try s1.orders.find(id)
            cashIn += o.payments.filter { $0.method == "cash" && $0.shift == shift.id }.reduce(0) {
                $0 + $1.amount_cents
            }
            cashOut += o.refunds.flatMap(\.parts).filter { $0.method == "cash" }.reduce(0) { $0 + $1.amount_cents }
        }
        let counted = float + cashIn - cashOut + Int64(rng.below(201)) - 100
        let z = try s1.till.closeShift(shift.id, counted: [.cash: Money(cents: counted)])
        let cash = try #require(z.methods.first { $0.method == "cash" })
        #expect(cash.expected_cents == float + cashIn - cashOut, "seed \(seed)")
        #expect(z.cash_difference_cents == counted - (float + cashIn - cashOut), "seed \(seed)")
        #expect(z.orders == orders.count, "seed \(seed)")
    }
}
