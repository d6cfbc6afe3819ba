import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// Issue 15: a store's token must not drain a member's stored value or points. A debit is
/// taken only as the payment of one of the store's own orders for that member (at most that
/// payment, once), a points exchange or a refund's claw-back. Forged debits pushed over real
/// HTTP answer 4xx and apply nothing; the honest stores still converge.
@Suite(.serialized) struct HostileStoreDrainTests {
    typealias Rig = HostileStoreTests.Rig

    /// Changes forged as s3, seqs from `seq` on.
    static func batch(_ items: [(EntityKind, String, Fields, Scope)], seq: Int64) throws -> [ChangeRecord] {
        let s3 = try #require(NodeID("s3"))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return items.enumerated().map { i, item in
            ChangeRecord(
                origin: s3, seq: seq + Int64(i), hlc: HLC(wallMillis: now, counter: i), kind: item.0, entity: item.1,
                fields: item.2, scope: item.3)
        }
    }

    static let own: Scope = .node(Fixture.node("s3"))

    /// An order of s3 for `member` (¥12.50), paid `paid` fen from stored value.
    static func order(_ id: String, member: String = "M1", paid: Int64 = 1250) -> [(EntityKind, String, Fields, Scope)]
    {
        [
            (
                .order, id,
                [
                    "store": "s3", "member": .string(member), "subtotal_cents": 1250, "discount_cents": 0,
                    "total_cents": 1250,
                    "created_at": 1, "status": "paid", "channel": "pos",
                ], own
            ),
            (.payment, "PAY-\(id)", ["order": .string(id), "method": "stored", "amount_cents": .int(paid)], own),
        ]
    }

    static func debit(
        _ id: String, order: String?, _ amount: Int64, account: String = "wallet", reason: String = "payment",
        member: String = "M1"
    ) -> (EntityKind, String, Fields, Scope) {
        var f: Fields = [
            "member": .string(member), "account": .string(account), "delta": .int(-amount), "reason": .string(reason),
        ]
        if let order { f["ref"] = .string(order) }
        return (.memberLedger, id, f, .global)
    }

    @Test func forgedDebitsAreRefusedAndHonestPaymentsFlow() async throws {
        let rig = try Rig()
        defer { rig.stop() }
        let s1 = try rig.store("s1"), s2 = try rig.store("s2"), s3 = try rig.store("s3")
        _ = try rig.central.members.ledger(member: "M1", account: .wallet, delta: 100_000, reason: "deposit")
        _ = try rig.central.members.ledger(member: "M1", account: .points, delta: 5_000, reason: "gift")
        _ = try rig.central.members.upsert(id: "M2", name: "Wang", phone: nil)
        _ = try rig.central.members.setPointsCatalogItem("sku:TEA-01", points: 100)
        for n in ["s1", "s2", "s3"] { _ = try await rig.sync(n) }
        for store in [s1, s2, s3] { _ = try store.inventory.move(sku: "TEA-01", quantity: 20, reason: .receive) }
        // Honest payments from stored value and points, a refund clawing points back: all flow.
        let o3 = try s3.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", pay: .stored)).id
        let o2 = try s2.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", pay: .stored)).id
        var redeem = OrderRequest(lines: [.line("TEA-01", 2)], member: "M1", pay: .cash)
        redeem.points = 500
        let o1 = try s1.orders.create(redeem).id
        _ = try s1.orders.refund(order: o1, amount: nil, reason: "returned", restock: true)
        _ = try s1.members.exchangePoints(member: "M1", item: "sku:TEA-01")
        for n in ["s3", "s2", "s1"] { _ = try await rig.sync(n) }
        #expect(try rig.central.sync.status().blocked_stores == nil, "honest debits are accepted")
        let wallet = try rig.central.members.find("M1").wallet_cents
        #expect(wallet == 100_000 - 2 * 1250)

        // Locally a store refuses a debit by hand, before central would.
        #expect(throws: NodeError.self) {
            try s1.members.ledger(member: "M1", account: .wallet, delta: -100, reason: "manual")
        }

        var seq = try rig.central.store.heldSeq(of: try #require(NodeID("s3"))) + 1
        let probes: [(String, [(EntityKind, String, Fields, Scope)])] = [
            ("an unreferenced stored-value debit", [Self.debit("WL-d1", order: nil, 5_000)]),
            (
                "an unreferenced points debit",
                [Self.debit("PT-d1", order: nil, 500, account: "points", reason: "redeem")]
            ),
            ("a manual debit naming an order", [Self.debit("WL-d2", order: o3, 100, reason: "manual")]),
            ("a debit on another store's order", [Self.debit("WL-d3", order: o2, 1250)]),
            ("a debit on an invented order", [Self.debit("WL-d4", order: "O-NOPE", 1250)]),
            ("a second debit on an order already debited", [Self.debit("WL-d5", order: o3, 1250)]),
            (
                "a debit larger than its order",
                Self.order("O-s3-x1", paid: 5_000) + [Self.debit("WL-d6", order: "O-s3-x1", 5_000)]
            ),
            (
                "a debit of a cash-paid order",
                [
                    (
                        .order, "O-s3-x2",
                        [
                            "store": "s3", "member": "M1", "subtotal_cents": 1250, "discount_cents": 0,
                            "total_cents": 1250,
                            "created_at": 1, "status": "paid", "channel": "pos",
                        ], Self.own
                    ),
                    (.payment, "PAY-x2", ["order": "O-s3-x2", "method": "cash", "amount_cents": 1250], Self.own),
                    Self.debit("WL-d7", order: "O-s3-x2", 1250),
                ]
            ),
            (
                "two debits on one payment",
                Self.order("O-s3-x3") + [
                    Self.debit("WL-d8", order: "O-s3-x3", 1250), Self.debit("WL-d9", order: "O-s3-x3", 1250),
                ]
            ),
            (
                "a debit of another member on its own order",
                Self.order("O-s3-x4", member: "M1") + [Self.debit("WL-d10", order: "O-s3-x4", 1250, member: "M2")]
            ),
            (
                "a points claw-back beyond what the order earned",
                [Self.debit("PTS-d11", order: o3, 1_000, account: "points", reason: "refund")]
            ),
            (
                "an exchange that gave no item",
                [Self.debit("PT-PX-d12", order: "sku:TEA-01", 100, account: "points", reason: "exchange")]
            ),
        ]
        for (what, items) in probes {
            let before = try rig.central.sync.status().state_hash
            let (status, body) = try rig.push(try Self.batch(items, seq: seq))
            #expect((400..<500).contains(status), "\(what) was not refused: \(status) \(body)")
            #expect(body.contains("may not debit"), "\(what) was refused by the debit rule: \(body)")
            #expect(try rig.central.sync.status().state_hash == before, "\(what) changed central")
            #expect(try rig.healthy(), "central went down after \(what)")
        }
        // The honest shape of the same thing is accepted: its own order, paid from stored value, debited once.
        let (status, body) = try rig.push(
            try Self.batch(Self.order("O-s3-ok") + [Self.debit("WL-ok", order: "O-s3-ok", 1250)], seq: seq))
        #expect(status == 200, "\(body)")
        seq += 3
        #expect(try rig.central.members.find("M1").wallet_cents == wallet - 1250, "only the debit tied to a payment")
        #expect(try rig.central.sync.conflicts().filter { $0.rule == "overdraft" }.isEmpty, "no overdraft was recorded")

        _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "M1", pay: .stored))
        for n in ["s1", "s2", "s1", "s2"] { _ = try await rig.sync(n) }
        for n in ["s1", "s2"] {
            #expect(
                try rig.store(n).sync.status().state_hash == rig.central.sync.status(scopeOf: n).state_hash,
                "\(n) diverged")
        }
        #expect(try rig.central.members.find("M1").wallet_cents == wallet - 2 * 1250)
    }
}
