import Testing

@testable import Node

/// How `report payments` adds rows: ISO weeks made of days, and the `*` rows across stores.
@Suite struct PaymentMethodRowsTests {
    static func row(_ period: String, _ store: String, _ method: String, paid: Int64, refunded: Int64 = 0)
        -> PaymentMethodRow
    {
        PaymentMethodRow(
            period: period, store: store, method: method, payments: 1, paid_cents: paid, refunds: refunded > 0 ? 1 : 0,
            refunded_cents: refunded, net_cents: paid - refunded)
    }

    @Test func rowsOfOnePeriodStoreAndMethodAddUpAndSort() {
        let merged = Reports.merged([
            Self.row("2026-W49", "S2", "cash", paid: 100),
            Self.row("2026-W49", "S1", "card", paid: 500, refunded: 200),
            Self.row("2026-W49", "S1", "card", paid: 300),
            Self.row("2026-W48", "S1", "wechat", paid: 50),
        ])
        #expect(
            merged.map { "\($0.period) \($0.store) \($0.method)" } == [
                "2026-W48 S1 wechat", "2026-W49 S1 card", "2026-W49 S2 cash",
            ])
        let card = merged[1]
        #expect(card.payments == 2 && card.paid_cents == 800 && card.refunds == 1)
        #expect(card.refunded_cents == 200 && card.net_cents == 600)
    }
}
