import FenxiaoTesting
import Foundation
import Node
import Testing

/// A real `kill -9` of a child process in the middle of a stream of orders: after restart,
/// every order the child reported as committed is there with its change records, and no
/// change record lacks its rows.
@Suite struct CrashSafetyTests {
    @Test func killNineMidStreamLosesNothingCommitted() throws {
        try withCentral("crash") { central, dir in
            let store = try Fixtures.store("s1", in: dir, from: central)
            _ = try store.inventory.move(sku: "BUN-01", quantity: 100_000, reason: .receive)

            let child = try StoreProcess(
                data: dir.sub("s1"), sku: "BUN-01", count: 100_000, output: dir.sub("sell.out"))
            // Wait until it has reported enough committed orders, then kill without warning.
            #expect(child.waitForOrders(150, timeout: 60), "\(child.errorOutput)")
            #expect(child.kill(), "the kill did not interrupt the child")
            let committed = child.orderIDs
            #expect(committed.count >= 150)

            let reopened = try FenxiaoNode.open(directory: dir.sub("s1"))
            #expect(try reopened.read { try $0.consistencyProblems() } == [])
            try reopened.store.quickCheck()
            for id in committed {
                let order = try reopened.orders.find(id)
                #expect(order.lines.count == 3)
            }
            // Orders on disk beyond the last reported one are fine (committed before the print);
            // each of them is complete too, which consistencyProblems() checked.
            let total = try reopened.read { try $0.orderIDs(limit: 1_000_000).count }
            #expect(total >= committed.count)
            #expect(try reopened.inventory.levels(sku: "BUN-01").first?.on_hand == 100_000 - Int64(total * 3))
        }
    }
}
