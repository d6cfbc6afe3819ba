@testable import Replication

/// Keeps the first element of each key: what a node holds after idempotent apply
/// (a change delivered twice is stored once).
func uniqued<T, K: Hashable>(_ items: [T], by key: (T) -> K) -> [T] {
    var seen: Set<K> = []
    return items.filter { seen.insert(key($0)).inserted }
}

/// Delivery orders of the same set: as given, reversed, and `shuffles` random shuffles.
func deliveryOrders<T>(of items: [T], shuffles: Int, using rng: inout SplitMix64) -> [[T]] {
    var orders = [items, items.reversed()]
    for _ in 0..<shuffles { orders.append(items.shuffled(using: &rng)) }
    return orders
}

/// The same list with some elements delivered more than once, in a random order.
func withDuplicates<T>(_ items: [T], using rng: inout SplitMix64) -> [T] {
    var out = items
    for item in items where rng.chance(30) { out.append(item) }
    return out.shuffled(using: &rng)
}

/// Shared fixtures: node ids, stamps and changes with readable defaults.
enum Fixture {
    static let storeA = NodeID(unchecked: "store-a")
    static let storeB = NodeID(unchecked: "store-b")
    static let storeC = NodeID(unchecked: "store-c")
    static let nodes = [storeA, storeB, storeC, NodeID.central]

    static func hlc(_ wall: Int64, _ counter: Int = 0) -> HLC { HLC(wallMillis: wall, counter: counter) }

    static func stamp(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ counter: Int = 0) -> ChangeStamp {
        ChangeStamp(hlc: hlc(wall, counter), origin: origin, seq: seq)
    }

    static func write(
        _ origin: NodeID, _ seq: Int64, at wall: Int64, _ fields: Fields, saw context: VersionVector = VersionVector(),
        kind: EntityKind = .member, entity: String = "M1"
    ) -> ChangeRecord {
        ChangeRecord(
            origin: origin, seq: seq, hlc: hlc(wall), kind: kind, entity: entity, fields: fields, context: context,
            scope: .global)
    }
}
