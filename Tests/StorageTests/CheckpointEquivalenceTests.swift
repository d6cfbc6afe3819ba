import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Storage
import Testing

/// Apply cost independent of history: stock levels and member balances are advanced from a
/// checkpoint by each batch instead of re-folding the key's whole ledger. The oracle is the
/// full fold (`NodeStore.refoldDerivedState`, the pure rules over every held row): after any
/// delivery of any history, advancing must have written exactly what the full fold writes —
/// levels, reservations, open allocations, balances and every conflict record with its text.
@Suite struct CheckpointEquivalenceTests {
    /// Random histories of stock movements (facts, counts, allocations, releases, shipments,
    /// reallocations), member-ledger debits and credits and coupon claims, from four nodes
    /// with skewed clocks (one far behind, so its changes arrive "late" in merge order).
    struct LedgerHistory {
        var rng: SeededRandom
        let nodes: [NodeID] = ["central", "s1", "s2", "s3"].compactMap(NodeID.init)
        var seqs: [NodeID: Int64] = [:]
        var clocks: [NodeID: Int64] = [:]
        var allocations: [(id: String, sku: String, warehouse: String, qty: Int64)] = []
        var changes: [ChangeRecord] = []

        init(seed: UInt64) {
            rng = SeededRandom(seed: seed)
            let base: Int64 = 1_764_057_600_000
            for (i, n) in nodes.enumerated() { clocks[n] = base + (i == 3 ? -3_600_000 : Int64(rng.below(60_000))) }
        }

        mutating func emit(_ origin: NodeID, _ kind: EntityKind, _ entity: String, _ fields: Fields, _ scope: Scope) {
            let seq = (seqs[origin] ?? 0) + 1
            seqs[origin] = seq
            let wall = (clocks[origin] ?? 0) + Int64(rng.below(4) == 0 ? 0 : rng.below(2000))
            clocks[origin] = wall
            changes.append(
                ChangeRecord(
                    origin: origin, seq: seq, hlc: HLC(wallMillis: wall, counter: rng.below(2)), kind: kind,
                    entity: entity,
                    op: .upsert, fields: fields, context: VersionVector(), scope: scope))
        }

        mutating func move(
            _ origin: NodeID, _ id: String, _ sku: String, _ warehouse: String, _ reason: String, _ qty: Int64,
            releases: String? = nil
        ) {
            var f: Fields = [
                "sku": .string(sku), "warehouse": .string(warehouse), "reason": .string(reason), "qty": .int(qty),
            ]
            if let releases { f["releases"] = .string(releases) }
            // Mostly the warehouse's own scope, sometimes global: a smaller scope arriving later must re-fold.
            emit(origin, .stockMove, id, f, rng.chance(90) ? .node(NodeID(warehouse) ?? .central) : .global)
        }

        mutating func generate(steps: Int) -> [ChangeRecord] {
            emit(.central, .coupon, "ONCE", ["amount_cents": 500, "single_use": true], .global)
            emit(.central, .coupon, "MANY", ["amount_cents": 300, "single_use": false], .global)
            for step in 0..<steps {
                let origin = nodes[rng.below(nodes.count)]
                let sku = rng.chance(70) ? "A" : "B"
                let warehouse = rng.chance(70) ? "s1" : "s2"
                let id = "MV-\(step)"
                switch rng.below(20) {
                case 0, 1, 2: move(origin, id, sku, warehouse, "sale", -Int64(1 + rng.below(3)))
                case 3, 4: move(origin, id, sku, warehouse, "receive", Int64(1 + rng.below(6)))
                case 5:
                    move(
                        origin, id, sku, warehouse, ["adjust", "return", "transfer_in", "transfer_out"][rng.below(4)],
                        Int64(rng.below(7)) - 3)
                case 6: move(origin, id, sku, warehouse, "count", Int64(rng.below(12)))
                case 7, 8:
                    let qty = Int64(1 + rng.below(3))
                    move(origin, id, sku, warehouse, "allocate", qty)
                    allocations.append((id, sku, warehouse, qty))
                case 9, 10:
                    guard let a = allocations.isEmpty ? nil : allocations[rng.below(allocations.count)] else {
                        continue
                    }
                    let ship = rng.chance(50)
                    // Now and then a release names an allocation of another key (it must not release it).
                    let w = rng.chance(90) ? a.warehouse : (a.warehouse == "s1" ? "s2" : "s1")
                    move(origin, id, a.sku, w, ship ? "sale" : "release", ship ? -a.qty : a.qty, releases: a.id)
                case 11:
                    guard let a = allocations.isEmpty ? nil : allocations[rng.below(allocations.count)] else {
                        continue
                    }
                    move(.central, id, a.sku, a.warehouse, "reallocate", 0, releases: a.id)
                case 12, 13, 14, 15, 16:
                    let member = "M\(rng.below(3))"
                    let debit = rng.chance(55)
                    emit(
                        origin, .memberLedger, "PT-\(step)",
                        [
                            "member": .string(member), "account": rng.chance(70) ? "points" : "wallet",
                            "delta": .int(debit ? -Int64(1 + rng.below(80)) : Int64(1 + rng.below(100))),
                        ],
                        rng.chance(95) ? .global : .node(origin))
                case 17, 18:
                    emit(
                        origin, .couponUse, "CU-\(step)",
                        [
                            "coupon": .string(rng.chance(50) ? "ONCE" : "MANY"), "order": .string("O-\(step)"),
                            "amount_cents": 300,
                        ],
                        .global)
                default:
                    move(origin, id, sku, warehouse, "sale", -1)
                }
            }
            return changes
        }
    }

    /// Mostly in merge order (the common case: appended changes), with some changes held back
    /// and delivered later, in random batch sizes, some batches delivered twice.
    static func delivery(_ changes: [ChangeRecord], rng: inout SeededRandom, shuffled: Bool) -> [[ChangeRecord]] {
        var ordered = changes.sorted { $0.stamp < $1.stamp }
        if shuffled {
            ordered.shuffle(using: &rng)
        } else {
            var late: [ChangeRecord] = []
            ordered = ordered.filter { c in
                if rng.chance(8) { late.append(c); return false }
                return true
            }
            for c in late { ordered.insert(c, at: min(ordered.count, rng.below(ordered.count + 1) + rng.below(40))) }
        }
        var batches: [[ChangeRecord]] = []
        var i = 0
        while i < ordered.count {
            let n = 1 + rng.below(rng.chance(70) ? 3 : 25)
            batches.append(Array(ordered[i..<min(i + n, ordered.count)]))
            if rng.chance(5), let again = batches.randomElement(using: &rng) { batches.append(again) }
            i += n
        }
        return batches
    }

    struct Applied {
        var state: [String]
        var hash: String
        var report = ApplyReport()
    }

    /// Applies `batches` to a fresh central node; returns its checkpointed rows and hash, then
    /// checks that the full re-fold of that same node writes exactly the same rows.
    static func apply(_ batches: [[ChangeRecord]], in dir: TempDirectory, name: String) throws -> Applied {
        let store = try NodeStore.create(
            directory: dir.sub(name), identity: NodeIdentity(node: .central, role: .central))
        var total = ApplyReport()
        for b in batches {
            let r = try store.applyRemote(b)
            total.stockAdvanced += r.stockAdvanced
            total.stockRefolded += r.stockRefolded
            total.ledgersAdvanced += r.ledgersAdvanced
            total.ledgersRefolded += r.ledgersRefolded
        }
        let advanced = try store.checkpointedState()
        let hash = try store.read { try $0.stateHash() }
        try store.refoldDerivedState()
        let refolded = try store.checkpointedState()
        #expect(
            advanced == refolded,
            "\(name): advancing differs from the full fold: \(firstDifference(advanced, refolded))")
        #expect(try store.read { try $0.stateHash() } == hash)
        return Applied(state: advanced, hash: hash, report: total)
    }

    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        for (x, y) in zip(a, b) where x != y { return "\(x)  vs  \(y)" }
        return a.count == b.count ? "none" : "\(a.count) rows vs \(b.count)"
    }

    @Test func advancingFromCheckpointsEqualsTheFullFoldInAnyDeliveryOrder() async throws {
        let advancedStock = Counter()
        let advancedLedgers = Counter()
        await propertyCheck(count: 25, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("ckpt") { dir in
                var gen = LedgerHistory(seed: UInt64(seed))
                let changes = gen.generate(steps: 260)
                var rng = SeededRandom(seed: UInt64(seed) &* 131 &+ 3)
                do {
                    let reference = try Self.apply([changes], in: dir, name: "ref")
                    for k in 0..<3 {
                        let got = try Self.apply(
                            Self.delivery(changes, rng: &rng, shuffled: k == 2), in: dir, name: "d\(k)")
                        #expect(got.hash == reference.hash, "delivery \(k) of seed \(seed) diverged")
                        #expect(
                            got.state == reference.state,
                            "seed \(seed) delivery \(k): \(Self.firstDifference(got.state, reference.state))")
                        advancedStock.add(got.report.stockAdvanced)
                        advancedLedgers.add(got.report.ledgersAdvanced)
                    }
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
        // Guards the generator: the comparison means something only if the checkpointed paths ran.
        #expect(advancedStock.value > 1000)
        #expect(advancedLedgers.value > 300)
    }

    /// The issue's case: one online reservation on a SKU, then counter sales one by one. Every
    /// sale after the first touch advances the level (no re-fold), the reservation stays granted,
    /// and the result equals the full fold.
    @Test func counterSalesAfterAReservationAdvanceWithoutRefolding() throws {
        try withTempDirectory("stream") { dir in
            var changes: [ChangeRecord] = []
            var seq: Int64 = 0
            func move(_ id: String, _ reason: String, _ qty: Int64, releases: String? = nil) {
                seq += 1
                var f: Fields = ["sku": "TEA-01", "warehouse": "central", "reason": .string(reason), "qty": .int(qty)]
                if let releases { f["releases"] = .string(releases) }
                changes.append(
                    ChangeRecord(
                        origin: .central, seq: seq, hlc: HLC(wallMillis: 1_764_057_600_000 + seq, counter: 0),
                        kind: .stockMove,
                        entity: id, op: .upsert, fields: f, context: VersionVector(), scope: .node(.central)))
            }
            move("R", "receive", 1000)
            move("AL", "allocate", 2)
            for i in 0..<300 { move("S\(i)", "sale", -3) }
            move("SHIP", "sale", -2, releases: "AL")
            let got = try Self.apply(changes.map { [$0] }, in: dir, name: "n")
            #expect(got.report.stockRefolded == 1, "only the first movement folds")
            #expect(got.report.stockAdvanced == changes.count - 1)
            #expect(got.state.contains("level|TEA-01|central|node:central|98|0"), "\(got.state)")
        }
    }

    /// Overselling: facts alone take on-hand below zero; the advanced path reads only the
    /// latest debits that make up the deficit and flags the same ones as the full fold, also
    /// when several debits share one clock value.
    @Test func oversoldAttributionMatchesTheFullFold() throws {
        try withTempDirectory("oversold") { dir in
            var batches: [[ChangeRecord]] = []
            var seqs: [String: Int64] = [:]
            func move(_ origin: String, _ id: String, _ reason: String, _ qty: Int64, wall: Int64) -> ChangeRecord {
                let seq = (seqs[origin] ?? 0) + 1
                seqs[origin] = seq
                return ChangeRecord(
                    origin: NodeID(origin) ?? .central, seq: seq,
                    hlc: HLC(wallMillis: 1_764_057_600_000 + wall, counter: 0),
                    kind: .stockMove, entity: id, op: .upsert,
                    fields: ["sku": "A", "warehouse": "s1", "reason": .string(reason), "qty": .int(qty)],
                    context: VersionVector(),
                    scope: .node(NodeID("s1") ?? .central))
            }
            batches.append([move("s1", "C", "count", 5, wall: 1)])
            for i in 0..<20 {
                // Two stores sell at the same millisecond: ties are ordered by origin.
                batches.append([
                    move("s1", "A\(i)", "sale", -1, wall: 10 + Int64(i)),
                    move("s2", "B\(i)", "sale", -2, wall: 10 + Int64(i)),
                ])
            }
            batches.append([move("s2", "OLD", "sale", -4, wall: 0)])  // before the count: absorbed
            batches.append([move("s1", "R", "receive", 7, wall: 100)])
            let got = try Self.apply(batches, in: dir, name: "n")
            #expect(got.report.stockAdvanced == batches.count - 1)
            #expect(got.state.contains("level|A|s1|node:s1|-48|0"), "\(got.state.prefix(3))")
            #expect(got.state.filter { $0.contains("|oversold|") }.count > 10)
        }
    }
}

/// A counter shared by the property's runs.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.lock(); total += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return total }
}
