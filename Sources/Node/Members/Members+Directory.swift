import Commerce
import Foundation
import Replication
import Storage

/// One member in a search result (the console's member list): contact data masked for roles
/// without `view_contacts`, as ``Members/find(_:)`` masks it.
public struct MemberListing: Sendable, Equatable, Codable {
    public var id: String
    public var name: String?
    public var phone: String?
    /// The member's level id now (nil when no level is defined or reached).
    public var level: String?
    /// Points available now (after expiry).
    public var points: Int64
    public var wallet_cents: Int64
    public var registered_at: Int64?
}

/// A search's answer: at most `limit` members by id, and whether more matched.
public struct MemberSearchResult: Sendable, Equatable, Codable {
    public var members: [MemberListing]
    public var more: Bool
}

/// One stored-value entry of a member: a top-up (`ref` `cash` or `<method>:<reference>`), its
/// bonus, a payment with stored value (`ref` the order), a refund back to it.
public struct WalletEntry: Sendable, Equatable, Codable {
    public var id: String
    public var delta_cents: Int64
    public var reason: String?
    public var ref: String?
    public var at_ms: Int64
    /// The node that wrote it.
    public var origin: String
}

extension Members {
    /// Members whose id or name contains `text` (any case), or whose phone does: any part of it
    /// (4 digits or more) for a role that may see contacts, the whole number otherwise (as the
    /// counter finds a member); narrowed to those at `level` and in `group` now. Needs
    /// `manage_members`.
    public func search(text: String?, level: String?, group: String?, limit: Int = 100) throws(NodeError)
        -> MemberSearchResult
    {
        guard (1...500).contains(limit) else { throw NodeError(.invalidInput, "\(Field.limit) must be 1…500") }
        let needle = text?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard needle.count <= 100 else {
            throw NodeError(.invalidInput, "the search text must be at most 100 characters")
        }
        let now = store.wallNow()
        return try read(.manageMembers) { r in
            let contacts = try actingUser(r).map { $0.role.permissions.contains(.viewContacts) } ?? true
            let digits = needle.count >= 4 && needle.allSatisfy { $0.isNumber || $0 == "+" || $0 == "-" }
            var groupFilter: (MemberGroup, [String: (spend: Int64, orders: Int64)])?
            if let group {
                guard let g = try Self.groups(r).first(where: { $0.id == group }) else {
                    throw NodeError(.notFound, "no member group \(group); define it with `fenxiao group define`")
                }
                groupFilter = (g, try Self.activity(r, since: now - g.days * 86_400_000))
            }
            if let level, try !Self.memberLevels(r).contains(where: { $0.id == level }) {
                throw NodeError(.notFound, "no member level \(level); see `fenxiao member level`")
            }
            var found: [MemberListing] = []
            var more = false
            for m in try r.registers(.member) {
                let f = try MemberRegister(fields: m.fields)
                if !needle.isEmpty {
                    let byName =
                        m.id.lowercased().contains(needle) || (f.name?.lowercased().contains(needle) ?? false)
                    let byPhone = digits && (contacts ? f.phone?.contains(needle) ?? false : f.phone == needle)
                    guard byName || byPhone else { continue }
                }
                if let filter = groupFilter, !Self.qualifies(filter.0, member: f, activity: filter.1[m.id]) {
                    continue
                }
                let memberLevel = try Self.memberLevel(m.id, r)?.id
                if let level, memberLevel != level { continue }
                guard found.count < limit else {
                    more = true
                    break
                }
                let view = try Self.memberView(m.id, r, now: now)
                found.append(
                    MemberListing(
                        id: m.id, name: f.name, phone: contacts ? f.phone : f.phone.map(Role.mask), level: memberLevel,
                        points: view.points, wallet_cents: view.wallet_cents, registered_at: f.registeredAtMillis))
            }
            return MemberSearchResult(members: found, more: more)
        }
    }

    /// The groups `member` belongs to now (groups are rules over spend, orders and region, so
    /// a member joins and leaves them by what they do, never by hand).
    public func groups(of member: String) throws(NodeError) -> [MemberGroup] {
        let now = store.wallNow()
        return try read { r in
            _ = try Self.memberView(member, r)
            let ids = Set(try Self.memberGroups(member, r, now: now))
            return try Self.groups(r).filter { ids.contains($0.id) }
        }
    }

    /// A member's stored-value entries, newest first (at most `limit`).
    public func walletHistory(of member: String, limit: Int = 100) throws(NodeError) -> [WalletEntry] {
        guard (1...10_000).contains(limit) else {
            throw NodeError(.invalidInput, "\(Field.limit) must be between 1 and 10000")
        }
        return try read { r in
            _ = try Self.memberView(member, r)
            return try r.walletHistory(member: member, limit: limit).map {
                WalletEntry(
                    id: $0.id, delta_cents: $0.delta, reason: $0.reason, ref: $0.ref, at_ms: $0.atMillis,
                    origin: $0.origin)
            }
        }
    }
}
