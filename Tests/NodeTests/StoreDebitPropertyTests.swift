import Commerce
import FenxiaoTesting
import Node
import PostgresCentral
import Replication
import Storage
import Testing

/// Issue 15, the debit rule as a property over random honest paths: whatever a store's use
/// cases do with a member's points and stored value (orders paid from stored value, points
/// redeemed, refunds in random amounts, points exchanges, cash sales), central accepts every
/// change, pushed in batches of random size; and any further debit on one of those orders is
/// refused and changes nothing.
@Suite struct StoreDebitPropertyTests {
    @Test(arguments: 1...12) func honestPathsAreAcceptedAndExtraDebitsRefused(seed: Int) throws {
        try withCentral("debit-prop-\(seed)") { central, dir in try Self.path(seed: seed, central: central, dir: dir) }
    }

    /// Seeds 1–4 with central on PostgreSQL: one cluster (started once, not once a seed — its
    /// start blocks a test thread for seconds), a database a seed.
    @Test func honestPathsOnPostgreSQL() throws {
        let pg = try PostgresCluster("debit-prop")
        defer { pg.remove() }
        let admin = try PGConnection(url: pg.url)
        for seed in 1...4 {
            try admin.query("CREATE DATABASE debit\(seed)")
            try withTempDirectory("debit-prop-pg-\(seed)") { dir in
                let central = try Fixtures.central(in: dir, database: pg.url(database: "debit\(seed)"))
                try Self.path(seed: seed, central: central, dir: dir)
            }
        }
    }

    /// One random honest path of `seed` at a store of `central`, pushed in random batches; then
    /// one more debit, refused.
    static func path(seed: Int, central: FenxiaoNode, dir: TempDirectory) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        do {
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.members.upsert(id: "M1", name: "Li", phone: nil)
            _ = try central.members.ledger(member: "M1", account: .wallet, delta: 500_000, reason: "deposit")
            _ = try central.members.ledger(member: "M1", account: .points, delta: 50_000, reason: "gift")
            _ = try central.members.setPointsCatalogItem("sku:BUN-01", points: 300)
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            for sku in ["TEA-01", "BUN-01", "MUG-01"] {
                _ = try s1.inventory.move(sku: sku, quantity: 500, reason: .receive)
            }
            var orders: [String] = []
            for _ in 0..<25 {
                let sku = ["TEA-01", "BUN-01", "MUG-01"][rng.below(3)]
                let line = LineRequest.line(sku, Int64(1 + rng.below(3)))
                switch rng.below(5) {
                case 0:
                    if let o = try? s1.orders.create(OrderRequest(lines: [line], member: "M1", pay: .stored)) {
                        orders.append(o.id)
                    }
                case 1:
                    var r = OrderRequest(
                        lines: [line], member: "M1", pay: rng.chance(50) ? PaymentMethod.cash : .stored)
                    r.points = Int64(1 + rng.below(400))
                    if let o = try? s1.orders.create(r) { orders.append(o.id) }
                case 2:
                    if let o = orders.isEmpty ? nil : orders[rng.below(orders.count)] {
                        let amount = rng.chance(50) ? nil : Money(cents: Int64(1 + rng.below(5)) * 100)
                        _ = try? s1.orders.refund(order: o, amount: amount, reason: "prop", restock: false)
                    }
                case 3:
                    _ = try? s1.members.exchangePoints(member: "M1", item: "sku:BUN-01")
                default:
                    if let o = try? s1.orders.create(OrderRequest(lines: [line], member: "M1", pay: .cash)) {
                        orders.append(o.id)
                    }
                }
            }
            // Pushed in batches of random size: a batch boundary may fall between a payment and its debit.
            let s1ID = try #require(NodeID("s1"))
            let changes = try s1.read { try $0.ownChanges(after: 0, limit: 100_000) }
            var start = 0
            while start < changes.count {
                let end = min(changes.count, start + 1 + rng.below(6))
                do {
                    _ = try central.sync.acceptPush(from: s1ID, changes: Array(changes[start..<end]))
                } catch {
                    Issue.record("seed \(seed): an honest batch was refused: \(error.message)")
                    return
                }
                start = end
            }
            let pulled = try central.read { try $0.changesForPull(node: s1ID, after: 0, limit: 100_000) }
            _ = try s1.store.applyPull(pulled.changes, cursor: pulled.last)
            #expect(try s1.sync.status().state_hash == central.sync.status(scopeOf: "s1").state_hash, "seed \(seed)")
            #expect(try central.members.find("M1").wallet_cents == s1.members.find("M1").wallet_cents)
            #expect(orders.count >= 5, "seed \(seed): the path sold")
            #expect(
                try central.members.find("M1").wallet_cents < 500_000,
                "seed \(seed): stored value was spent on the path")
            #expect(
                try central.sync.conflicts().filter { $0.rule == "overdraft" }.isEmpty,
                "seed \(seed): honest debits never overdraw here")

            // One more debit on any of those orders, by payment or redemption: refused, nothing changes.
            guard !orders.isEmpty else { return }
            let before = try central.sync.status().state_hash
            let order = orders[rng.below(orders.count)]
            let points = rng.chance(50)
            let forged = ChangeRecord(
                origin: s1ID, seq: (changes.last?.seq ?? 0) + 1, hlc: HLC(wallMillis: s1.store.wallNow(), counter: 0),
                kind: .memberLedger,
                entity: "WL-forged-\(seed)",
                fields: [
                    "member": "M1", "account": .string(points ? "points" : "wallet"),
                    "delta": .int(-Int64(1 + rng.below(5_000))),
                    "reason": .string(points ? "redeem" : "payment"), "ref": .string(order),
                ], scope: .global)
            #expect(throws: NodeError.self, "seed \(seed): a debit beyond \(order)'s payments was accepted") {
                _ = try central.sync.acceptPush(from: s1ID, changes: [forged])
            }
            #expect(try central.sync.status().state_hash == before)
        }
    }
}
