import Commerce
import Replication

/// The seeds every property test runs: 200 well-spread values.
let propertySeeds: [UInt64] = {
    var rng = SplitMix64(seed: 0xFE_1A0)
    return (0..<200).map { _ in rng.next() }
}()

/// Keeps the first element of each key: what a node holds after idempotent apply.
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

/// Shared fixtures: node ids and stamps with readable defaults.
enum Fixture {
    static func node(_ raw: String) -> NodeID {
        guard let id = NodeID(raw) else { preconditionFailure("fixture node id '\(raw)' is invalid") }
        return id
    }

    static let storeA = node("store-a")
    static let storeB = node("store-b")
    static let storeC = node("store-c")
    static let nodes = [storeA, storeB, storeC, NodeID.central]

    static func stamp(_ origin: NodeID, _ seq: Int64, at wall: Int64, _ counter: Int = 0) -> ChangeStamp {
        ChangeStamp(hlc: HLC(wallMillis: wall, counter: counter), origin: origin, seq: seq)
    }
}
