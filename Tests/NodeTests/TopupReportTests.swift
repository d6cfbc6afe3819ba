import Commerce
import FenxiaoTesting
import Node
import Replication
import Storage
import Testing

/// Issue 15: head office reconciles the stored value each store issued against the money it
/// took (`fenxiao report topups`): per store, each top-up with its payment reference, totals
/// per payment method, bonuses apart.
@Suite struct TopupReportTests {
    @Test func topUpsArePerStoreWithPaymentsAndTotals() throws {
        try withCentral("topups") { central, dir in
            _ = try central.members.setTopupBonuses([TopupBonus(threshold_cents: 50_000, bonus_cents: 5_000)])
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            for n in ["s1", "s2"] { _ = try central.sync.enroll(node: n, warehouses: []) }
            let s1 = try Fixtures.store("s1", in: dir, from: central),
                s2 = try Fixtures.store("s2", in: dir, from: central)
            _ = try s1.members.ledger(member: "M1", account: .wallet, delta: 50_000, reason: "topup", payment: .cash)
            _ = try s1.members.ledger(
                member: "M1", account: .wallet, delta: 20_000, reason: "topup", payment: .card, paymentReference: "T123"
            )
            _ = try s2.members.ledger(
                member: "M1", account: .wallet, delta: 10_000, reason: "topup", payment: .qrpay, paymentReference: "Q9")
            for s in [s1, s2] {
                _ = try central.sync.acceptPush(
                    from: s.identity.node, changes: try s.read { try $0.ownChanges(after: 0, limit: 100) })
            }
            let report = try central.reports.topups()
            #expect(report.map(\.store) == ["s1", "s2"])
            let r1 = try #require(report.first)
            #expect(r1.count == 2 && r1.total_cents == 70_000)
            #expect(r1.by_method == ["cash": 50_000, "card": 20_000])
            #expect(r1.bonus_cents == 5_000, "the ¥500 top-up earned head office's ¥50 bonus")
            #expect(Set(r1.topups.compactMap(\.payment)) == ["cash", "card:T123"])
            #expect(r1.without_payment == 0)
            #expect(try central.reports.topups(store: "s2").map(\.by_method) == [["qrpay": 10_000]])
            // The total issued equals what the members' wallets received.
            let issued = report.reduce(Int64(0)) { $0 + $1.total_cents + $1.bonus_cents }
            #expect(try central.members.find("M1").wallet_cents == issued)
        }
    }
}
