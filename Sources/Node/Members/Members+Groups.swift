import Commerce
import Foundation
import Replication
import Storage

/// A member group defined by rules over spend, order frequency and region, e.g. "spent ≥
/// ¥2,000 in 90 days in Zhejiang". Membership is recomputed from the merged data whenever it is
/// asked for, so every node holding the same data agrees.
public struct MemberGroup: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var min_spend_cents: Int64
    public var min_orders: Int64
    public var days: Int64
    public var region: String?
}

extension Members {
    /// Defines or changes a group (central only).
    public func defineGroup(id: String, name: String, minSpend: Money?, minOrders: Int64, days: Int64, region: String?)
        throws(NodeError) -> MemberGroup
    {
        try requireCentral("defining member groups")
        guard SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "group id '\(id)' must be letters, digits, '-' or '_'")
        }
        guard (1...3650).contains(days), minOrders >= 0 else {
            throw NodeError(.invalidInput, "\(Field.days) 1…3650, \(Field.minOrders) ≥ 0")
        }
        let spend = try minSpend.map { m throws(NodeError) in try Amounts.fen(m, .minSpend) } ?? 0
        return try write(.marketing, "group.define", subject: id) { tx in
            try tx.emit(
                MemberGroupRegister.definition(
                    name: name, minSpend: Money(cents: spend), minOrders: minOrders, days: days, region: region),
                entity: id, scope: .global)
            return MemberGroup(
                id: id, name: name, min_spend_cents: spend, min_orders: minOrders, days: days, region: region)
        }
    }

    static func groups(_ r: StoreReader) throws -> [MemberGroup] {
        try r.registers(.memberGroup).map { g in
            let group = try MemberGroupRegister(fields: g.fields)
            return MemberGroup(
                id: g.id, name: group.name ?? g.id, min_spend_cents: group.minSpend?.cents ?? 0,
                min_orders: group.minOrders ?? 0,
                days: group.days ?? 90, region: group.region)
        }
    }

    public func groups() throws(NodeError) -> [MemberGroup] { try read { r in try Self.groups(r) } }

    /// Spend (paid − refunded) and order count of each member since `since`.
    static func activity(_ r: StoreReader, since: Int64, member: String? = nil) throws -> [String: (
        spend: Int64, orders: Int64
    )] {
        try r.memberActivity(since: since, member: member)
    }

    static func qualifies(_ g: MemberGroup, member: MemberRegister, activity: (spend: Int64, orders: Int64)?) -> Bool {
        if let region = g.region, member.region != region { return false }
        let a = activity ?? (0, 0)
        return a.spend >= g.min_spend_cents && a.orders >= g.min_orders
    }

    /// The groups a member belongs to now.
    static func memberGroups(_ member: String, _ r: StoreReader, now: Int64) throws -> [String] {
        let groups = try groups(r)
        guard !groups.isEmpty, let f = try r.register(MemberRegister.self, member) else { return [] }
        return try groups.filter { g in
            qualifies(g, member: f, activity: try activity(r, since: now - g.days * 86_400_000, member: member)[member])
        }.map(\.id)
    }

    /// The members of a group now, by id.
    public func groupMembers(_ id: String) throws(NodeError) -> [String] {
        let now = store.wallNow()
        return try read(.seeReports) { r in
            guard let g = try Self.groups(r).first(where: { $0.id == id }) else {
                throw NodeError(.notFound, "no member group \(id); define it with `fenxiao group define`")
            }
            let activity = try Self.activity(r, since: now - g.days * 86_400_000)
            return try r.registers(.member).filter {
                Self.qualifies(g, member: try MemberRegister(fields: $0.fields), activity: activity[$0.id])
            }
            .map(\.id)
        }
    }

    /// Members with no purchase and no login in the last `days` days (for a recall campaign).
    public func dormant(days: Int64) throws(NodeError) -> [String] {
        guard days >= 1 else { throw NodeError(.invalidInput, "\(Field.days) must be at least 1") }
        let now = store.wallNow()
        let since = now - days * 86_400_000
        return try read(.seeReports) { r in
            let active = try Self.activity(r, since: since)
            return try r.registers(.member).filter { m in
                try active[m.id] == nil && (MemberRegister(fields: m.fields).lastLoginAtMillis ?? 0) < since
            }.map(\.id)
        }
    }
}
