import Commerce
import Foundation
import Node

/// `fenxiao bench sell-stream`: does a counter sale cost the same after thousands of sales of
/// a SKU as after the first few? Central receives stock of one SKU, takes one online order
/// (a reservation on the SKU, the case that once switched the stock level to a full re-fold
/// per change), then sells `orders` counter orders of three units each through the real
/// `order create` use case, one transaction each, and reports the median time per order in
/// windows of `window` orders. Flat (last window within 1.5× the first) is the target. Then
/// `online` online orders on the same warehouse, whose ledger now holds every sale.
struct SellStreamBench {
    let root: String
    let orders: Int
    let window: Int
    let online: Int

    struct Window: Encodable {
        let first_order: Int
        let last_order: Int
        let median_ms: Double
    }

    struct Result: Encodable {
        let orders: Int
        let windows: [Window]
        /// Median of the last window over the first.
        let growth: Double
        let online_orders: Int
        let online_median_ms: Double
        let ledger_moves: Int
        let build: String

        var table: String {
            var lines = [
                "sell stream: \(orders) counter orders of 3 × TEA-01 at central after one online reservation (\(build) build)"
            ]
            for w in windows {
                lines.append(
                    "  orders \(w.first_order)–\(w.last_order)  median \(String(format: "%.2f", w.median_ms)) ms")
            }
            lines.append("  last window / first window  \(String(format: "%.2f", growth))×")
            if online_orders > 0 {
                lines.append(
                    "  online order create (\(ledger_moves) moves in the ledger)  median \(String(format: "%.2f", online_median_ms)) ms over \(online_orders)"
                )
            }
            return lines.joined(separator: "\n")
        }
    }

    #if DEBUG
        static let build = "debug"
    #else
        static let build = "release"
    #endif

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func run() throws -> Result {
        let central = try FenxiaoNode.initialize(directory: root + "/central", node: "central", role: .central)
        _ = try central.catalog.upsert([
            CatalogItem(sku: "TEA-01", name: "tea", price: Money(cents: 8800), category: "Tea")
        ])
        try central.inventory.receive(
            [("TEA-01", "central", Int64(orders) * 3 + Int64(online) + 100)], note: "opening stock")
        _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], channel: .online, warehouse: "central"))
        var times: [Double] = []
        let sale = OrderRequest(lines: [.line("TEA-01", 1), .line("TEA-01", 1), .line("TEA-01", 1)], pay: .cash)
        for _ in 0..<orders {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try central.orders.create(sale)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        var windows: [Window] = []
        var i = 0
        while i < times.count {
            let end = min(i + window, times.count)
            windows.append(Window(first_order: i + 1, last_order: end, median_ms: Self.median(Array(times[i..<end]))))
            i = end
        }
        var onlineTimes: [Double] = []
        for _ in 0..<online {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try central.orders.create(
                OrderRequest(lines: [.line("TEA-01", 1)], channel: .online, warehouse: "central"))
            onlineTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        let moves = try central.inventory.history(sku: "TEA-01").count
        let first = windows.first?.median_ms ?? 0
        return Result(
            orders: orders, windows: windows, growth: first > 0 ? (windows.last?.median_ms ?? 0) / first : 0,
            online_orders: online, online_median_ms: Self.median(onlineTimes), ledger_moves: moves, build: Self.build)
    }
}
