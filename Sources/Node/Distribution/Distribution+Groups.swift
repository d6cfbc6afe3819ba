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
        if let group, SKUCode(group) == nil {
            throw NodeError(.invalidInput, "group '\(group)' must be letters, digits, '-' or '_'")
        }
        return try write(.approveDistributors, "distributor.group", subject: id) { tx in
            _ = try Self.requireDistributor(id, tx.reader)
            try tx.emit(DistributorRegister.grouped(group), entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }

    /// Groups every active distributor by performance or channel, deterministically from the
    /// merged data. By sales (tiers `gold=10000,silver=2000`: yuan of level-1 sales, paid minus
    /// refunded): the highest tier reached; a distributor below every tier leaves a tier group
    /// (a downgrade) but keeps a group set by hand. By channel (tiers `Douyin=douyin,WeChat=wechat`):
    /// the first channel named in their application (case insensitive). Returns the changes made.
    public func regroup(_ regroupRule: RegroupRule) throws(NodeError) -> [GroupChange] {
        try requireCentral("grouping distributors")
        guard !regroupRule.isEmpty else { throw NodeError(.invalidInput, "give at least one tier in \(Field.tiers)") }
        if let bad = regroupRule.groups.first(where: { SKUCode($0) == nil }) {
            throw NodeError(.invalidInput, "group '\(bad)' in \(Field.tiers) must be letters, digits, '-' or '_'")
        }
        /// The group a distributor belongs in (their current one when the rule says nothing).
        let rule: (DistributorView, Int64) -> String?
        switch regroupRule {
        case .sales(let tiers):
            let names = Set(tiers.map(\.group))
            let sorted = tiers.sorted { ($0.threshold.cents, $0.group) > ($1.threshold.cents, $1.group) }
            rule = { d, sales in
                // Below every tier: out of a tier group (a downgrade); a group set by hand stays.
                sorted.first { sales >= $0.threshold.cents }?.group ?? d.group.flatMap { names.contains($0) ? nil : $0 }
            }
        case .channel(let tiers):
            rule = { d, _ in
                let channels = (d.channels ?? "").lowercased()
                return tiers.first { channels.contains($0.channel.lowercased()) }?.group ?? d.group
            }
        }
        let bySales = regroupRule.dimension == .sales
        let active = try list(status: .active)
        var planned: [(DistributorView, String?)] = []
        for d in active {
            let sales = bySales ? try performance(of: d.id).sales_cents : 0
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
