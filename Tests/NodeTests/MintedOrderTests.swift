import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// A sale derives its new order from what its own transaction inserted (`MintedOrders`)
/// instead of reading back payments, refunds and cancels nobody else can have written. The
/// oracle is central, which derives the same orders the ordinary way from the relayed
/// changes: every order row, order conflict and stock level must be identical.
@Suite struct MintedOrderTests {
    static func orderRows(_ node: FenxiaoNode) throws -> [String] {
        try node.read { r in
            try r.rows(
                """
                SELECT id, scope, store, member, channel, status, subtotal_cents, discount_cents, total_cents,
                    paid_cents, refunded_cents, pay_method, coupon, warehouse, created_at, created_hlc, upline,
                    carrier, tracking, close_days
                FROM orders WHERE store = 's1' ORDER BY id
                """
            ).map { "\($0)" }
                + r.rows("SELECT id, root, rule, amount FROM conflicts WHERE root LIKE 'order:%' ORDER BY id").map {
                    "\($0)"
                }
                + r.rows(
                    "SELECT sku, warehouse, on_hand, reserved FROM stock_levels WHERE warehouse = 's1' ORDER BY sku"
                )
                .map { "\($0)" }
        }
    }

    @Test func aStoresOwnDerivationOfItsSalesEqualsCentralsFromTheirChanges() throws {
        try withTempDirectory("minted") { dir in
            let (central, s1) = try OrderRefundPathTests.chain(dir, points: 5_000, wallet: 20_000)
            // Plain cash, a split payment, points and stored value, an exchange, an online order
            // that is cancelled, one that is paid later, and a refund.
            let cash = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash))
            var split = OrderRequest(lines: [.line("BUN-01", 3), .line("MUG-01", 1)], member: "M1")
            split.payments = [PaymentPart(method: .card, amount: Money(cents: 500)), PaymentPart(method: .cash)]
            let splitOrder = try s1.orders.create(split)
            var points = OrderRequest(lines: [.line("MUG-01", 1)], member: "M1", pay: .stored)
            points.points = 100
            _ = try s1.orders.create(points)
            _ = try s1.till.exchange(
                order: cash.id, returning: [.line(1, 1)], sale: OrderRequest(lines: [.line("BUN-01", 1)], pay: .cash))
            let cancelled = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], channel: .online))
            _ = try s1.orders.transition(order: cancelled.id, to: .cancelled)
            let later = try s1.orders.create(OrderRequest(lines: [.line("BUN-01", 2)], channel: .online))
            _ = try s1.orders.transition(order: later.id, to: .paid, pay: .card)
            _ = try s1.orders.refund(
                order: splitOrder.id, amount: nil, reason: nil, restock: true, lines: [.line(1, 1)])
            try OrderRefundPathTests.relay(s1, to: central)
            let here = try Self.orderRows(s1)
            #expect(here.count == 9, "six orders and three stock levels: \(here)")
            #expect(here == (try Self.orderRows(central)))
        }
    }
}
