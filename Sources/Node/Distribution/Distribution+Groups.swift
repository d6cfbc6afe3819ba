import Commerce
import Foundation
import Replication
import Storage

/// A distributor moved to (or out of) a group.
public struct GroupChange: Sendable, Equatable, Codable {
    public var distributor: String
    public var from: String?
    public var to: String?
}

extension Distribution {
    /// Head office puts a distributor in a group (its commission overrides, `group:<name>`,
    /// apply to orders sold from then on; past orders keep the group they snapshotted), or
    /// takes them out with nil.
    public func setGroup(id: String, group: String?) throws(NodeError) -> DistributorView {
        try requireCentral("grouping distributors")
        if let group, SKUCode(group) == nil { throw NodeError(.invalidInput, "group '\(group)' must be letters, digits, '-' or '_'") }
        return try write(.approveDistributors, "distributor.group", subject: id) { tx in
            _ = try Self.requireDistributor(id, tx.reader)
            try tx.emit(DistributorRegister.grouped(group), entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }

    /// Groups every active distributor by performance or channel, deterministically from the
    /// merged data. `by: "sales"` with tiers `gold=10000,silver=2000` (yuan of level-1 sales,
    /// paid minus refunded): the highest tier reached; a distributor below every tier leaves a
    /// tier group (a downgrade) but keeps a group set by hand. `by: "channel"` with tiers
    /// `Douyin=douyin,WeChat=wechat`: the first channel named in their application (case
    /// insensitive). Returns the changes made.
    public func regroup(by dimension: String, tiers text: String) throws(NodeError) -> [GroupChange] {
        try requireCentral("grouping distributors")
        var tiers: [(key: String, group: String)] = []
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, SKUCode(pair[0]) != nil || dimension == "channel", SKUCode(pair[1]) != nil || dimension == "sales"
            else {
                throw NodeError(.invalidInput, "tier '\(part)' must be GROUP=YUAN for \(Field.`by`) sales, CHANNEL=GROUP for \(Field.`by`) channel")
            }
            tiers.append((pair[0], pair[1]))
        }
        guard !tiers.isEmpty else { throw NodeError(.invalidInput, "give at least one tier in \(Field.tiers)") }
        /// The group a distributor belongs in (their current one when the rule says nothing).
        let rule: (DistributorView, Int64) -> String?
        switch dimension {
        case "sales":
            var thresholds: [(group: String, cents: Int64)] = []
            for t in tiers { thresholds.append((t.key, try Amounts.fen(t.group, .tiers))) }
            let names = Set(thresholds.map(\.group))
            let sorted = thresholds.sorted { ($0.cents, $0.group) > ($1.cents, $1.group) }
            rule = { d, sales in
                // Below every tier: out of a tier group (a downgrade); a group set by hand stays.
                sorted.first { sales >= $0.cents }?.group ?? d.group.flatMap { names.contains($0) ? nil : $0 }
            }
        case "channel":
            rule = { d, _ in
                let channels = (d.channels ?? "").lowercased()
                return tiers.first { channels.contains($0.key.lowercased()) }?.group ?? d.group
            }
        default:
            throw NodeError(.invalidInput, "\(Field.`by`) must be sales or channel")
        }
        let active = try list(status: "active")
        var planned: [(DistributorView, String?)] = []
        for d in active {
            let sales = dimension == "sales" ? try performance(of: d.id).sales_cents : 0
            let target = rule(d, sales)
            if target != d.group { planned.append((d, target)) }
        }
        guard !planned.isEmpty else { return [] }
        return try write(.approveDistributors, "distributor.regroup") { tx in
            try planned.map { d, target in
                try tx.emit(DistributorRegister.grouped(target), entity: d.id, scope: .global)
                return GroupChange(distributor: d.id, from: d.group, to: target)
            }
        }
    }
}
