import Commerce
import Replication

/// The seeded generator of tests and simulations.
public typealias SeededRandom = SplitMix64

/// Random multi-node histories over the retail entities, as change records. Not every
/// history is one a careful cashier would produce (that is the point): the merge must give
/// one state for any set of changes.
public struct HistoryGenerator {
    public var rng: SeededRandom
    let nodes: [NodeID] = ["central", "s1", "s2", "s3"].compactMap(NodeID.init)
    var seqs: [NodeID: Int64] = [:]
    var clocks: [NodeID: Int64] = [:]
    var seen: [String: VersionVector] = [:]
    var orders: [(id: String, store: NodeID)] = []
    public private(set) var changes: [ChangeRecord] = []

    public init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        let base: Int64 = 1_764_057_600_000
        for n in nodes { clocks[n] = base + Int64(rng.below(86_400_000)) - 43_200_000 }
    }

    mutating func emit(
        _ origin: NodeID, _ kind: EntityKind, _ entity: String, op: ChangeOp = .upsert, _ fields: Fields,
        _ scope: Scope, ctx: VersionVector = VersionVector()
    ) {
        let seq = (seqs[origin] ?? 0) + 1
        seqs[origin] = seq
        let wall = (clocks[origin] ?? 0) + Int64(rng.below(3) == 0 ? 0 : rng.below(5000))
        clocks[origin] = wall
        let hlc = HLC(wallMillis: wall, counter: rng.below(3))
        changes.append(
            ChangeRecord(
                origin: origin, seq: seq, hlc: hlc, kind: kind, entity: entity, op: op, fields: fields, context: ctx,
                scope: scope))
    }

    /// Generates `steps` random operations after a fixed setup (warehouses, catalog, members).
    public mutating func generate(steps: Int) -> [ChangeRecord] {
        let central = nodes[0]
        for s in nodes.dropFirst() {
            emit(central, .warehouse, s.rawValue, ["owner": .string(s.rawValue), "name": .string(s.rawValue)], .global)
        }
        for sku in ["A", "B"] {
            emit(
                central, .sku, sku, ["name": .string("item \(sku)"), "price_cents": .int(Int64(100 + rng.below(900)))],
                .global)
        }
        emit(central, .coupon, "C1", ["amount_cents": 500, "single_use": true], .global)
        for step in 0..<steps { randomStep(step) }
        return changes
    }

    mutating func randomStep(_ step: Int) {
        let origin = nodes[rng.below(nodes.count)]
        let store = origin == .central ? nodes[1 + rng.below(3)] : origin
        let sku = rng.chance(50) ? "A" : "B"
        switch rng.below(10) {
        case 0:
            let member = "M\(rng.below(3))"
            var fields: Fields = [:]
            if rng.chance(60) { fields["phone"] = .string("1380000000\(rng.below(4))") }
            if rng.chance(60) || fields.isEmpty { fields["name"] = .string("name-\(rng.below(5))") }
            var ctx = VersionVector()
            if rng.chance(50), let s = seen[member] { ctx = s }
            emit(origin, .member, member, fields, .global, ctx: ctx)
            var next = seen[member] ?? VersionVector()
            next.record(origin: origin, seq: seqs[origin] ?? 0)
            seen[member] = next
        case 1, 2:
            let reasons: [(String, Int64)] = [
                ("receive", 5), ("sale", -1), ("adjust", -2), ("count", 3), ("allocate", 2), ("return", 1),
            ]
            let (reason, qty) = reasons[rng.below(reasons.count)]
            emit(
                origin, .stockMove, "MV-\(origin)-\(step)",
                [
                    "sku": .string(sku), "warehouse": .string(store.rawValue), "reason": .string(reason),
                    "qty": .int(qty * Int64(1 + rng.below(3))),
                ], .node(store))
        case 3, 4:
            let id = "O-\(origin)-\(step)"
            let status = rng.chance(50) ? "completed" : "pending"
            let created = OrderCreated(
                store: store.rawValue, member: nil, channel: nil, status: status == "completed" ? .completed : .pending,
                subtotal: Money(cents: 1000), discount: .zero, total: Money(cents: 1000), payMethod: nil, coupon: nil,
                warehouse: store.rawValue, createdAtMillis: nil)
            emit(origin, .order, id, created.fields, .node(store))
            emit(
                origin, .orderLine, "\(id)#1",
                [
                    "order": .string(id), "line": 1, "sku": .string(sku), "name": "x", "qty": 1, "unit_cents": 1000,
                    "discount_cents": 0,
                ], .node(store))
            if status == "completed" {
                emit(
                    origin, .payment, "PAY-\(id)", ["order": .string(id), "method": "cash", "amount_cents": 1000],
                    .node(store))
            }
            orders.append((id, store))
        case 5:
            guard let o = orders.isEmpty ? nil : orders[rng.below(orders.count)] else { return }
            let statuses = ["paid", "shipped", "completed", "cancelled"]
            emit(
                rng.chance(50) ? .central : o.store, .order, o.id, op: .transition,
                ["status": .string(statuses[rng.below(4)])], .node(o.store))
        case 6:
            guard let o = orders.isEmpty ? nil : orders[rng.below(orders.count)] else { return }
            emit(
                rng.chance(50) ? .central : o.store, .refund, "RF-\(step)",
                ["order": .string(o.id), "amount_cents": .int(Int64(100 * (1 + rng.below(10))))], .node(o.store))
        case 7:
            let member = "M\(rng.below(3))"
            emit(
                origin, .memberLedger, "PT-\(origin)-\(step)",
                [
                    "member": .string(member), "account": rng.chance(70) ? "points" : "wallet",
                    "delta": .int(Int64(rng.below(200)) - 100),
                ], .global)
        case 8:
            guard let o = orders.isEmpty ? nil : orders[rng.below(orders.count)] else { return }
            emit(
                origin, .couponUse, "CU-\(step)", ["coupon": "C1", "order": .string(o.id), "amount_cents": 500], .global
            )
        default:
            emit(.central, .sku, sku, ["price_cents": .int(Int64(100 + rng.below(900)))], .global)
        }
    }
}
