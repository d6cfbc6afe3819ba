import Replication

/// Where a checked batch creates orders and writes members, built once per batch, so that
/// "earlier in the batch" lookups of `StoreWriteCheck` cost a dictionary probe instead of a
/// scan (and a copy) of every earlier change: a pushed batch of 1,000 changes is checked in
/// linear time.
struct BatchIndex {
    /// The index of the first `order` upsert of each order id.
    private(set) var firstOrder: [String: Int] = [:]
    /// The indexes of each member's `member` changes, ascending.
    private(set) var memberChanges: [String: [Int]] = [:]

    init(_ batch: [ChangeRecord]) {
        for (i, c) in batch.enumerated() {
            switch c.kind {
            case .order where c.op == .upsert:
                if firstOrder[c.entity] == nil { firstOrder[c.entity] = i }
            case .member:
                memberChanges[c.entity, default: []].append(i)
            default:
                break
            }
        }
    }

    /// The first upsert of order `id` before `index`.
    func order(_ id: String, before index: Int) -> Int? {
        guard let i = firstOrder[id], i < index else { return nil }
        return i
    }

    /// The `member` changes of `id` before `index`, in batch order.
    func members(_ id: String, before index: Int) -> ArraySlice<Int> {
        guard let all = memberChanges[id] else { return [] }
        return all.prefix { $0 < index }
    }
}
