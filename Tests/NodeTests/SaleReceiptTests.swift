import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// A sale returns its receipt from what it just wrote (`MintedOrders.receipt`), not read back: it
/// must be the order as any later read shows it — head, lines in order, payments, closing.
@Suite struct SaleReceiptTests {
    @Test func theReceiptOfASaleIsTheOrderAsReadBack() throws {
        try withCentral("sale-receipt") { central, dir in
            _ = try central.orders.setAfterSaleDays(7)
            let store = try Fixtures.store("s1", in: dir, from: central)
            for sku in ["TEA-01", "BUN-01", "MUG-01"] {
                _ = try store.inventory.move(sku: sku, quantity: 50, reason: .receive)
            }
            _ = try store.members.upsert(id: "M1", name: "李四", phone: "13900000001")
            let requests = [
                OrderRequest(
                    lines: [.line("TEA-01", 2), .line("BUN-01", 1), .line("MUG-01", 3)], member: "M1", pay: .cash),
                OrderRequest(lines: [.line("MUG-01", 1)], pay: .card),
                OrderRequest(lines: [.line("BUN-01", 4), .line("TEA-01", 1)], pay: .qrpay),
            ]
            for request in requests {
                let receipt = try store.orders.create(request)
                #expect(receipt == (try store.orders.find(receipt.id)), "\(receipt.id)")
                #expect(!receipt.lines.isEmpty && !receipt.payments.isEmpty)
            }
        }
    }
}
