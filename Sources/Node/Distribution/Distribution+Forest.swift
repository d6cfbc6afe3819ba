import Commerce
import Replication
import Storage

extension Distribution {
    /// Every top distributor's downline in one read: for each distributor who was approved at
    /// some point (not `applied` or `rejected`) and whose inviter is no distributor here, by id,
    /// the entries ``tree(_:)`` gives for them (depth-first by id, at most 10 levels down). The
    /// console's whole tree, without one read of every distributor per top distributor.
    public func forest() throws(NodeError) -> [[DownlineEntry]] {
        try read { r in
            let all = try r.registers(.distributor).map { try Self.distributorView($0.id, $0.fields) }
            let ids = Set(all.map(\.id))
            var children: [String: [DistributorView]] = [:]
            for d in all { if let inviter = d.inviter { children[inviter, default: []].append(d) } }
            func walk(_ d: DistributorView, _ depth: Int, _ lines: inout [DownlineEntry]) {
                lines.append(
                    DownlineEntry(
                        distributor: d.id, status: DistributorRegister.Status(rawValue: d.status), depth: depth))
                guard depth < 10 else { return }
                for child in (children[d.id] ?? []).sorted(by: { $0.id < $1.id }) { walk(child, depth + 1, &lines) }
            }
            return all.filter { d in
                d.status != "applied" && d.status != "rejected" && (d.inviter.map { !ids.contains($0) } ?? true)
            }.sorted { $0.id < $1.id }.map { root in
                var lines: [DownlineEntry] = []
                walk(root, 0, &lines)
                return lines
            }
        }
    }
}
