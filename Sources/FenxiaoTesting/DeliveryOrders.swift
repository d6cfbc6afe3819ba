import Replication

/// Helpers for the merge rules' property tests: the same changes delivered in many orders,
/// with duplicates, as a real network delivers them. Shared by the test targets so every rule
/// is checked the same way.

/// The seeds every property test runs: 200 well-spread values.
public let propertySeeds: [UInt64] = {
    var rng = SplitMix64(seed: 0xFE_1A0)
    return (0..<200).map { _ in rng.next() }
}()

/// Keeps the first element of each key: what a node holds after idempotent apply (a change
/// delivered twice is stored once).
public func uniqued<T, K: Hashable>(_ items: [T], by key: (T) -> K) -> [T] {
    var seen: Set<K> = []
    return items.filter { seen.insert(key($0)).inserted }
}

/// Delivery orders of the same set: as given, reversed, and `shuffles` random shuffles.
public func deliveryOrders<T>(of items: [T], shuffles: Int, using rng: inout SplitMix64) -> [[T]] {
    var orders = [items, items.reversed()]
    for _ in 0..<shuffles { orders.append(items.shuffled(using: &rng)) }
    return orders
}

/// The same list with some elements delivered more than once, in a random order.
public func withDuplicates<T>(_ items: [T], using rng: inout SplitMix64) -> [T] {
    var out = items
    for item in items where rng.chance(30) { out.append(item) }
    return out.shuffled(using: &rng)
}
