import Commerce
import Replication
import Storage

/// A distributor as shown by `fenxiao distributor`.
public struct DistributorView: Sendable, Equatable, Codable {
    public var id: String
    public var member: String
    public var status: String
    public var referral_code: String
    public var inviter: String?
    public var group: String?
    public var channels: String?
    public var reason: String?
}

extension FenxiaoNode {
    /// How long a customer stays bound to the distributor who referred them.
    public static let bindingLockDays: Int64 = 30

    /// A member applies to become a distributor (any node; head office reviews).
    public func applyDistributor(member: String, channels: String?, experience: String?, inviterCode: String?)
        throws(NodeError) -> DistributorView
    {
        try write(.manageMembers, "distributor.apply") { tx in
            _ = try Self.memberView(member, tx.reader)
            if try tx.reader.register(.distributor, member) != nil {
                throw NodeError(.conflict, "member \(member) has already applied; see `fenxiao distributor show \(member)`")
            }
            var fields: Fields = [
                "member": .string(member), "status": "applied", "referral_code": .string("RC-\(member)"),
                "applied_at": .int(tx.nowMillis),
            ]
            if let channels { fields["channels"] = .string(channels) }
            if let experience { fields["experience"] = .string(experience) }
            if let inviterCode {
                let inviter = try Self.distributor(byCode: inviterCode, tx.reader)
                guard inviter.status == "active" else { throw NodeError(.conflict, "inviter \(inviter.id) is \(inviter.status), not active") }
                fields["inviter"] = .string(inviter.id)
            }
            try tx.emit(.distributor, entity: member, fields: fields, scope: .global)
            return try Self.requireDistributor(member, tx.flushed())
        }
    }

    /// Head office approves or rejects an application, optionally placing it in a group.
    public func reviewDistributor(id: String, approve: Bool, reason: String?, group: String?) throws(NodeError)
        -> DistributorView
    {
        try requireCentral("reviewing distributors")
        return try write(.approveDistributors, "distributor.review") { tx in
            let d = try Self.requireDistributor(id, tx.reader)
            guard d.status == "applied" || d.status == "frozen" else {
                throw NodeError(.conflict, "distributor \(id) is \(d.status); only applications and frozen distributors are reviewed")
            }
            var fields: Fields = ["status": .string(approve ? "active" : "rejected"), "reviewed_at": .int(tx.nowMillis)]
            if let reason { fields["reason"] = .string(reason) }
            if let group { fields["group"] = .string(group) }
            try tx.emit(.distributor, entity: id, fields: fields, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }

    /// Binds a customer to the distributor whose referral code they used; a binding is locked
    /// for ``bindingLockDays`` days.
    public func bindCustomer(member: String, referralCode: String) throws(NodeError) -> DistributorView {
        try write(.manageMembers, "distributor.bind") { tx in
            _ = try Self.memberView(member, tx.reader)
            let d = try Self.distributor(byCode: referralCode, tx.reader)
            guard d.status == "active" else { throw NodeError(.conflict, "distributor \(d.id) is \(d.status), not active") }
            guard d.member != member else { throw NodeError(.invalidInput, "a distributor cannot bind themselves") }
            if let b = try tx.reader.register(.binding, member), let lock = b["lock_until"]?.intValue, lock > tx.nowMillis,
                b["distributor"]?.stringValue != d.id
            {
                throw NodeError(.conflict, "member \(member) is bound to \(b["distributor"]?.stringValue ?? "?") until the lock ends")
            }
            try tx.emit(
                .binding, entity: member,
                fields: ["distributor": .string(d.id), "bound_at": .int(tx.nowMillis),
                         "lock_until": .int(tx.nowMillis + Self.bindingLockDays * 86_400_000), "via": "referral_code"],
                scope: .global)
            return d
        }
    }

    /// The upline chain to snapshot on an order: the buyer themselves when they are an active
    /// distributor (self-purchase), else their bound distributor, then each inviter.
    static func upline(for member: String?, _ r: StoreReader) throws -> (chain: [String], selfPurchase: Bool) {
        guard let member else { return ([], false) }
        var first: String?
        var selfPurchase = false
        if let d = try r.register(.distributor, member), d["status"]?.stringValue == "active" {
            first = member
            selfPurchase = true
        } else if let b = try r.register(.binding, member) {
            first = b["distributor"]?.stringValue
        }
        var chain: [String] = []
        var next = first
        while let id = next, chain.count < CommissionRule.maximumLevels, !chain.contains(id) {
            guard let d = try r.register(.distributor, id), d["status"]?.stringValue == "active" else { break }
            chain.append(id)
            next = d["inviter"]?.stringValue
        }
        return (chain, selfPurchase)
    }

    public func distributor(_ id: String) throws(NodeError) -> DistributorView {
        try read { r in try Self.requireDistributor(id, r) }
    }

    public func distributors(status: String? = nil) throws(NodeError) -> [DistributorView] {
        try read { r in
            try r.registers(.distributor).map { Self.distributorView($0.id, $0.fields) }.filter { status == nil || $0.status == status }
        }
    }

    /// The downline of a distributor as indented lines (depth-first, by id).
    public func distributorTree(_ id: String) throws(NodeError) -> [String] {
        try read { r in
            _ = try Self.requireDistributor(id, r)
            let all = try r.registers(.distributor).map { Self.distributorView($0.id, $0.fields) }
            var lines: [String] = []
            func walk(_ d: String, _ depth: Int) {
                let me = all.first { $0.id == d }
                lines.append(String(repeating: "  ", count: depth) + "\(d) (\(me?.status ?? "?"))")
                guard depth < 10 else { return }
                for child in all.filter({ $0.inviter == d }).map(\.id).sorted() { walk(child, depth + 1) }
            }
            walk(id, 0)
            return lines
        }
    }

    static func distributorView(_ id: String, _ f: Fields) -> DistributorView {
        DistributorView(
            id: id, member: f["member"]?.stringValue ?? id, status: f["status"]?.stringValue ?? "?",
            referral_code: f["referral_code"]?.stringValue ?? "", inviter: f["inviter"]?.stringValue,
            group: f["group"]?.stringValue, channels: f["channels"]?.stringValue, reason: f["reason"]?.stringValue)
    }

    static func requireDistributor(_ id: String, _ r: StoreReader) throws -> DistributorView {
        guard let f = try r.register(.distributor, id) else {
            throw NodeError(.notFound, "no distributor \(id); members apply with `fenxiao distributor apply`")
        }
        return distributorView(id, f)
    }

    static func distributor(byCode code: String, _ r: StoreReader) throws -> DistributorView {
        guard let found = try r.registers(.distributor).first(where: { $0.fields["referral_code"]?.stringValue == code }) else {
            throw NodeError(.notFound, "referral code \(code) is unknown; check it or run `fenxiao sync`")
        }
        return distributorView(found.id, found.fields)
    }
}
