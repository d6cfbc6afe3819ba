import Replication
import Storage

/// Replays the same changes into fresh central stores, each in another delivery order with
/// duplicates and random batch sizes, and returns the state hashes they end with: one hash
/// means the merge did not depend on the order. `inspect` sees each store once it is replayed.
public func stateHashesOverDeliveries(
    of changes: [ChangeRecord], shuffles: Int, in dir: TempDirectory, label: String = "fresh",
    using rng: inout SplitMix64, inspect: (_ delivery: Int, NodeStore) throws -> Void = { _, _ in }
) throws -> Set<String> {
    var hashes = Set<String>()
    for (i, delivery) in deliveryOrders(of: withDuplicates(changes, using: &rng), shuffles: shuffles, using: &rng)
        .enumerated()
    {
        let fresh = try NodeStore.create(
            directory: dir.sub("\(label)\(i)"), identity: NodeIdentity(node: .central, role: .central))
        var rest = delivery[...]
        while !rest.isEmpty {
            let n = rng.int(1...max(1, rest.count))
            _ = try fresh.applyRemote(Array(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        hashes.insert(try fresh.read { try $0.stateHash() })
        try inspect(i, fresh)
    }
    return hashes
}
