import FenxiaoTesting
import Foundation
import Node
import Storage
import SyncClient
import Testing

/// Several tills write one store database at once (issue 17 item 6): four HTTP clients on
/// loopback sell against a real store `serve` for a minute. Nothing is lost, no request ever
/// answers "database is locked", and the order count and stock are exact.
/// `FENXIAO_TILL_SECONDS` shortens the run (default 60).
@Suite struct TillConcurrencyTests {
    /// What one till did: sales the node confirmed (201) and every other answer.
    struct TillRun: Sendable {
        var sold: [String] = []
        var failures: [String] = []
    }

    @Test func fourTillsSellForAMinuteLoseNothingAndKeepStockExact() throws {
        let dir = TempDirectory("till-concurrency")
        defer { dir.remove() }
        let received: Int64 = 1_000_000
        let (_, store, tokens) = try TillShop.make(in: dir, tills: 4, stock: received)
        let seconds = Double(ProcessInfo.processInfo.environment["FENXIAO_TILL_SECONDS"] ?? "") ?? 60
        let server = try ServerProcess(data: store.store.directory)
        defer { server.stop() }
        let tills = try TillClients(base: server.url, count: 4)
        for (i, till) in tills.tills.enumerated() {
            try till.logIn(tillToken: tokens[i], user: TillShop.cashiers[i], pin: TillShop.cashierPIN)
        }

        // One cart: TEA-01 × 1 (¥12.50) + BUN-01 × 2 (¥7.00), paid in cash.
        let sale =
            #"{"cart":{"lines":[{"sku":"TEA-01","qty":1},{"sku":"BUN-01","qty":2}]},"payments":[{"method":"cash","amount_cents":1950,"tendered_cents":2000}]}"#
        let started = Date()
        let deadline = started.addingTimeInterval(seconds)
        let runs = tills.run { till in
            var run = TillRun()
            while Date() < deadline {
                do {
                    let answer = try till.post("/till/api/sales", sale)
                    if answer.status == 201, let id = TillClients.orderID(answer.text) {
                        run.sold.append(id)
                    } else {
                        run.failures.append("\(answer.status) \(answer.text)")
                    }
                } catch {
                    run.failures.append("transport: \(error)")
                }
            }
            return run
        }
        let elapsed = Date().timeIntervalSince(started)
        let sold = runs.flatMap(\.sold)
        let failures = runs.flatMap(\.failures)
        #expect(failures.isEmpty, "\(failures.count) sales failed, first: \(failures.first ?? "")")
        #expect(!failures.contains { $0.contains("locked") }, "a till saw 'database is locked'")
        #expect(Set(sold).count == sold.count, "two sales got the same order id")
        #expect(sold.count > 0)
        server.stop()

        let after = try FenxiaoNode.open(directory: store.store.directory)
        let orders = try after.read { r in
            try r.orderIDs(matching: StoreReader.OrderFilter(), limit: 1_000_000, offset: 0)
        }
        #expect(orders.count == sold.count, "orders in the database \(orders.count) ≠ sales confirmed \(sold.count)")
        #expect(Set(orders) == Set(sold))
        let tea = try after.read { r in try r.stockLevel(sku: "TEA-01", warehouse: "S1") }
        let bun = try after.read { r in try r.stockLevel(sku: "BUN-01", warehouse: "S1") }
        #expect(tea.on_hand == received - Int64(sold.count))
        #expect(bun.on_hand == received - 2 * Int64(sold.count))
        let rate = Double(sold.count) / elapsed
        print(
            "till concurrency: 4 tills sold \(sold.count) orders in \(String(format: "%.1f", elapsed)) s = \(String(format: "%.1f", rate)) orders/s; per till \(runs.map(\.sold.count))"
        )
    }
}
