import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// The counter's lookups: barcodes, names and pinyin initials, members by phone, quick
/// registration, orders by the end of their id, and the receipt.
@Suite struct CounterTests {
    static func shop(_ dir: TempDirectory) throws -> (central: FenxiaoNode, s1: FenxiaoNode) {
        let central = try Fixtures.central(in: dir)
        _ = try central.catalog.upsert([
            CatalogItem(sku: "OOLONG-1", name: "乌龙茶 250g", price: Money(cents: 3800), barcode: "6901234567890"),
            CatalogItem(sku: "LJ-1", name: "龙井茶", price: Money(cents: 5800), barcode: "6901234567891"),
        ])
        _ = try central.sync.enroll(node: "s1", warehouses: [])
        _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
        let s1 = try Fixtures.store("s1", in: dir, from: central)
        for sku in ["OOLONG-1", "LJ-1", "TEA-01"] {
            _ = try s1.inventory.move(sku: sku, quantity: 50, reason: .receive)
        }
        return (central, s1)
    }

    @Test func pinyinInitialsComeFromICU() {
        #expect(PinyinInitials.of("乌龙茶") == "wlc")
        #expect(PinyinInitials.of("龙井茶 250g") == "ljc250g")
        #expect(PinyinInitials.of("Green tea") == "greentea")
    }

    @Test func barcodesNamesAndInitialsFindTheSKU() throws {
        let dir = TempDirectory("counter-find")
        defer { dir.remove() }
        let (_, s1) = try Self.shop(dir)
        let scanned = try s1.till.lookup("6901234567890")
        #expect(scanned.sku == "OOLONG-1" && scanned.price_cents == 3_800 && scanned.available == 50)
        #expect(try s1.till.lookup("TEA-01").name == "Green tea")
        #expect(throws: NodeError.self) { try s1.till.lookup("0000000000000") }
        #expect(try s1.till.resolveLine(code: "6901234567891", quantity: 2) == .line("LJ-1", 2))
        #expect(try s1.till.search("wlc").map(\.sku) == ["OOLONG-1"])
        #expect(try s1.till.search("龙").map(\.sku) == ["LJ-1", "OOLONG-1"])
        #expect(try s1.till.search("ljc").map(\.sku) == ["LJ-1"])
        #expect(try s1.till.search("green").map(\.sku) == ["TEA-01"])
        let sold = try s1.orders.create(
            OrderRequest(lines: [try s1.till.resolveLine(code: "6901234567890", quantity: 2)], pay: .cash))
        #expect(sold.total_cents == 7_600)
    }

    @Test func membersAreFoundByPhoneAndRegisteredWithAnAssignedID() throws {
        let dir = TempDirectory("counter-members")
        defer { dir.remove() }
        let (central, s1) = try Self.shop(dir)
        #expect(try s1.till.findMember(phone: "13800000001").id == "M1")
        #expect(throws: NodeError.self) { try s1.till.findMember(phone: "13900000009") }
        let added = try s1.till.registerMember(name: "王芳", phone: "13900000009")
        #expect(added.id.hasPrefix("M-s1-"))
        #expect(try s1.till.findMember(phone: "13900000009").id == added.id)
        // Another store registering offline in the same millisecond still gets another id.
        let s2 = try Fixtures.store("s2", in: dir, from: central)
        let other = try s2.till.registerMember(name: "张伟", phone: "13700000007")
        #expect(other.id.hasPrefix("M-s2-") && other.id != added.id)
        // phone taken
        #expect(throws: NodeError.self) { try s1.till.registerMember(name: "dup", phone: "13900000009") }
    }

    @Test func anOrderIsFoundByTheEndOfItsIdAndItsReceiptShowsTheChange() throws {
        let dir = TempDirectory("counter-orders")
        defer { dir.remove() }
        let (_, s1) = try Self.shop(dir)
        var req = OrderRequest(lines: [.line("LJ-1", 1)], member: "M1")
        req.payments = [
            PaymentPart(method: .wechat, amount: Money(cents: 800)),
            PaymentPart(method: .cash, tendered: Money(cents: 10_000)),
        ]
        let order = try s1.orders.create(req)
        let found = try s1.till.findOrder(endingWith: String(order.id.suffix(6)).lowercased())
        #expect(found.id == order.id)
        #expect(throws: NodeError.self) { try s1.till.findOrder(endingWith: "ZZZZZZ") }
        #expect(throws: NodeError.self) { try s1.till.findOrder(endingWith: "a!") }
        let receipt = try s1.till.receipt(order.id)
        #expect(receipt.store == "s1" && receipt.order_id == order.id && receipt.short_id == String(order.id.suffix(6)))
        #expect(receipt.lines.map(\.name) == ["龙井茶"] && receipt.total_cents == 5_800)
        #expect(receipt.payments.map(\.method) == ["wechat", "cash"])
        #expect(receipt.change_cents == 10_000 - 5_000)
        #expect(receipt.points_earned == 58)
        #expect(receipt.member_phone == "138****0001")
    }

    @Test func anExchangeRefundsTheReturnedLinesAndSellsTheNewOnesTogether() throws {
        let dir = TempDirectory("counter-exchange")
        defer { dir.remove() }
        let (_, s1) = try Self.shop(dir)
        let order = try s1.orders.create(OrderRequest(lines: [.line("LJ-1", 2)], pay: .cash))  // ¥116.00
        let swap = try s1.till.exchange(
            order: order.id, returning: [.line(1, 1)], sale: OrderRequest(lines: [.line("OOLONG-1", 1)], pay: .card))
        #expect(swap.refunded_cents == 5_800 && swap.sold.total_cents == 3_800 && swap.difference_cents == -2_000)
        #expect(swap.returned.lines[0].refunded_qty == 1)
        #expect(try s1.read { try $0.stockLevel(sku: "LJ-1", warehouse: "s1").on_hand } == 49)
        #expect(try s1.read { try $0.stockLevel(sku: "OOLONG-1", warehouse: "s1").on_hand } == 49)
        // The new sale cannot be made (not enough stock): the return is not made either.
        let changes = try s1.read { try $0.changeCount() }
        #expect(throws: NodeError.self) {
            try s1.till.exchange(
                order: order.id, returning: [.line(1, 1)],
                sale: OrderRequest(lines: [.line("OOLONG-1", 500)], pay: .cash))
        }
        #expect(try s1.read { try $0.changeCount() } == changes)
        #expect(try s1.orders.find(order.id).refunded_cents == 5_800)
    }
}
