import Commerce
import FenxiaoTesting
import Foundation
import Replication
import Storage
import Testing

/// Replays every conformance vector in `sync/vectors/` in every permutation of node order,
/// with duplicated and reversed batches, and checks the expected state and one state hash.
@Suite struct VectorTests {
    struct Vector: Decodable {
        struct Expect: Decodable {
            struct Register: Decodable { let kind: String; let id: String; let fields: [String: JSONValue] }
            struct Stock: Decodable { let sku: String; let warehouse: String; let on_hand: Int64; let reserved: Int64 }
            struct Order: Decodable {
                let id: String; let status: String; let paid_cents: Int64?; let refunded_cents: Int64?
            }
            struct Balance: Decodable { let member: String; let account: String; let balance: Int64 }
            /// Points available and expired at `at`, by the expiry rule of the `points` setting.
            struct Points: Decodable { let member: String; let at: Int64; let available: Int64; let expired: Int64 }
            struct Commission: Decodable, Hashable {
                let order: String; let level: Int; let distributor: String; let earn_cents: Int64;
                let reversed_cents: Int64
            }
            struct Conflict: Decodable, Hashable, CustomStringConvertible {
                let id: String; let rule: String; let subject: String; let loser: String; let amount: Int64
                var description: String { "\(id) [\(rule) \(subject) loser=\(loser) amount=\(amount)]" }
            }
            let registers: [Register]?
            let stock: [Stock]?
            let orders: [Order]?
            let balances: [Balance]?
            let points: [Points]?
            let commissions: [Commission]?
            let conflicts: [Conflict]
        }
        let name: String
        let rule: String
        let nodes: [String: [ChangeRecord]]
        let expect: Expect
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("sync/vectors")
    }

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }
            .sorted()
    }

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[T]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }

    @Test func everyRuleHasAVector() {
        let rules = Set(
            Self.files.compactMap {
                try? JSONDecoder().decode(
                    Vector.self, from: Data(contentsOf: Self.directory.appendingPathComponent($0))
                ).rule
            })
        #expect(Self.files.count >= 8, "sync/vectors holds \(Self.files.count) vectors")
        for rule in [
            "register", "ledger", "stock_count", "allocation", "order_state", "refund_cap", "unique_claim", "overdraft",
            "points_expiry", "clock_bound", "points_returned_once",
        ] {
            #expect(rules.contains(rule), "no vector for rule \(rule)")
        }
    }

    @Test(arguments: VectorTests.files)
    func vectorHoldsInEveryDeliveryOrder(file: String) throws {
        let vector = try JSONDecoder().decode(
            Vector.self, from: Data(contentsOf: Self.directory.appendingPathComponent(file)))
        try withTempDirectory("vec") { dir in
            let names = vector.nodes.keys.sorted()
            var deliveries: [[[ChangeRecord]]] = Self.permutations(names).map { order in
                order.compactMap { vector.nodes[$0] }
            }
            // Duplicated and reordered batches: each node's changes reversed, everything twice.
            deliveries.append(
                names.reversed().compactMap { vector.nodes[$0]?.reversed() } + names.compactMap { vector.nodes[$0] })
            var rng = SeededRandom(seed: UInt64(file.utf8.count))
            var all = names.flatMap { vector.nodes[$0] ?? [] }
            all.shuffle(using: &rng)
            deliveries.append(all.map { [$0] } + [all])

            var hashes = Set<String>()
            for (i, delivery) in deliveries.enumerated() {
                let store = try NodeStore.create(
                    directory: dir.sub("d\(i)"), identity: NodeIdentity(node: .central, role: .central))
                for batch in delivery { _ = try store.applyRemote(batch) }
                hashes.insert(try store.read { try $0.stateHash() })
                if i == 0 || i == deliveries.count - 1 { try check(vector, store) }
            }
            #expect(
                hashes.count == 1,
                "\(vector.name): \(hashes.count) different state hashes over \(deliveries.count) deliveries")
        }
    }

    func check(_ v: Vector, _ store: NodeStore) throws {
        try store.read { r in
            for e in v.expect.registers ?? [] {
                let kind = try #require(EntityKind(e.kind))
                #expect(try r.register(kind, e.id) == e.fields, "\(v.name): register \(e.kind) \(e.id)")
            }
            for e in v.expect.stock ?? [] {
                let level = try r.stockLevel(sku: e.sku, warehouse: e.warehouse)
                #expect(
                    level.on_hand == e.on_hand && level.reserved == e.reserved,
                    "\(v.name): stock \(e.sku)@\(e.warehouse) is \(level)")
            }
            for e in v.expect.orders ?? [] {
                let order = try #require(try r.order(e.id), "\(v.name): order \(e.id) missing")
                #expect(order.status == e.status, "\(v.name): order \(e.id) status")
                if let paid = e.paid_cents { #expect(order.paid_cents == paid, "\(v.name): order \(e.id) paid") }
                if let refunded = e.refunded_cents {
                    #expect(order.refunded_cents == refunded, "\(v.name): order \(e.id) refunded")
                }
            }
            for e in v.expect.balances ?? [] {
                #expect(
                    try r.balance(member: e.member, account: e.account) == e.balance,
                    "\(v.name): balance \(e.member) \(e.account)")
            }
            for e in v.expect.points ?? [] {
                let schedule = try (r.register(SettingRegister.Points.self, "points") ?? SettingRegister.Points())
                    .schedule
                let entries = try r.rows(
                    "SELECT id, delta, hlc FROM member_ledger WHERE member = ? AND account = 'points'", [e.member]
                ).map {
                    PointsExpiry.Entry(at: HLC(rawValue: $0["hlc"]).wallMillis, id: $0["id"], delta: $0["delta"])
                }
                let status = PointsExpiry.status(of: entries, schedule: schedule, now: e.at)
                #expect(
                    status.available == e.available && status.expired == e.expired,
                    "\(v.name): points of \(e.member) at \(e.at) are \(status)")
            }
            if let expected = v.expect.commissions {
                let actual = try r.rows(
                    "SELECT order_id, level, distributor, earn_cents, reversed_cents FROM commissions"
                ).map {
                    Vector.Expect.Commission(
                        order: $0[0], level: $0[1], distributor: $0[2], earn_cents: $0[3], reversed_cents: $0[4])
                }
                #expect(Set(actual) == Set(expected), "\(v.name): commissions")
            }
            let actual = Set(
                try r.conflicts().map {
                    Vector.Expect.Conflict(
                        id: $0.id, rule: $0.rule, subject: $0.subject, loser: $0.loser, amount: $0.amount)
                })
            let expected = Set(v.expect.conflicts)
            #expect(
                actual == expected,
                "\(v.name): conflicts differ.\n  missing: \(expected.subtracting(actual))\n  unexpected: \(actual.subtracting(expected))"
            )
        }
    }
}
