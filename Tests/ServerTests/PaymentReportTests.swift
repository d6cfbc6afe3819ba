import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The sales report by payment method (`report payments`): split payments count under each
/// method, a refund goes back by the original payments, and per period and store the methods
/// add up to the sales report's revenue and refunds.
@Suite struct PaymentReportTests {
    @Test func splitPaymentsAndARefundAddUpToTheSalesReport() async throws {
        try await withTillShop("payment-report") { client, _, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0])
            // ¥90.00 of mugs: ¥50.00 WeChat Pay + ¥40.00 cash (¥50.00 handed over).
            let split = try await till.post(
                "/till/api/sales",
                #"{"cart":{"lines":[{"sku":"MUG-01","qty":2}]},"payments":[{"method":"wechat","amount_cents":5000},{"method":"cash","amount_cents":4000,"tendered_cents":5000}]}"#
            )
            #expect(split.status == .created, "\(split.text)")
            let mugs = try #require((split.body["order"] as? [String: Any])?["id"] as? String)
            _ = try await till.sell("TEA-01", qty: 2, paying: "alipay", cents: 2500)
            _ = try await till.sell("BUN-01", qty: 3, paying: "card", cents: 1050)
            // One mug back: ¥45.00 refunded by the original payments.
            let refund = try await till.post(
                "/till/api/orders/\(mugs)/refund", #"{"lines":[{"line":1,"qty":1}],"restock":true}"#)
            #expect(refund.status == .ok, "\(refund.text)")

            let reports = store.acting(as: TillShop.manager).reports
            let rows = try reports.payments(by: .all)
            let byMethod = Dictionary(uniqueKeysWithValues: rows.map { ($0.method, $0) })
            #expect(Set(byMethod.keys) == ["wechat", "cash", "alipay", "card"])
            #expect(byMethod["wechat"]?.paid_cents == 5000)
            #expect(byMethod["cash"]?.paid_cents == 4000, "the change handed back is not takings")
            #expect(byMethod["alipay"]?.paid_cents == 2500)
            #expect(byMethod["card"]?.payments == 1)
            let refunded = rows.reduce(Int64(0)) { $0 + $1.refunded_cents }
            #expect(refunded == 4500)
            #expect(rows.allSatisfy { $0.net_cents == $0.paid_cents - $0.refunded_cents })

            // Per period and store, the methods add up to the sales report, for every period kind.
            for period in ReportPeriod.allCases {
                let sales = try reports.sales(by: period)
                let methods = try reports.payments(by: period)
                #expect(!sales.isEmpty)
                for row in sales {
                    let mine = methods.filter { $0.period == row.period && $0.store == row.store }
                    #expect(mine.reduce(0) { $0 + $1.paid_cents } == row.revenue_cents, "\(period) \(row.period)")
                    #expect(mine.reduce(0) { $0 + $1.refunded_cents } == row.refunds_cents, "\(period) \(row.period)")
                    #expect(mine.reduce(0) { $0 + $1.net_cents } == row.net_cents, "\(period) \(row.period)")
                }
            }
            // A window that holds nothing, and one the wrong way round.
            #expect(try reports.payments(by: .all, from: 1, to: 2).isEmpty)
            #expect(throws: NodeError.self) { try reports.payments(by: .day, from: 2, to: 1) }
            #expect(try reports.payments(by: .all, store: "S9").isEmpty)
        }
    }
}
