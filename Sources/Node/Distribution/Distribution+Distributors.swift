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

extension Distribution {
    /// The upline chain to snapshot on an order: the buyer themselves when they are an active
    /// distributor (self-purchase), else their bound distributor, then each inviter.
    static func upline(for member: String?, _ r: StoreReader) throws -> (chain: [String], selfPurchase: Bool) {
        guard let member else { return ([], false) }
        var first: String?
        var selfPurchase = false
        if try r.register(DistributorRegister.self, member)?.status == .active {
            first = member
            selfPurchase = true
        } else if let b = try r.register(BindingRegister.self, member) {
            first = b.distributor
        }
        var chain: [String] = []
        var visited = Set<String>()
        var next = first
        while let id = next, chain.count < CommissionRule.maximumLevels, visited.insert(id).inserted {
            guard let d = try r.register(DistributorRegister.self, id) else { break }
            // A frozen or departed distributor earns nothing; the chain continues above them.
            if d.status == .active { chain.append(id) }
            next = d.inviter
        }
        return (chain, selfPurchase)
    }

    public func find(_ id: String) throws(NodeError) -> DistributorView {
        try read { r in try Self.requireDistributor(id, r) }
    }

    /// Every distributor, or those with `status` (`applied` for the review queue).
    public func list(status: DistributorRegister.Status? = nil) throws(NodeError) -> [DistributorView] {
        try read { r in
            try r.registers(.distributor).map { try Self.distributorView($0.id, $0.fields) }.filter {
                status == nil || $0.status == status?.rawValue
            }
        }
    }

    /// The downline of a distributor, depth-first by id, the distributor first (depth 0), at
    /// most 10 levels down.
    public func tree(_ id: String) throws(NodeError) -> [DownlineEntry] {
        try read { r in
            _ = try Self.requireDistributor(id, r)
            let all = try r.registers(.distributor).map { try Self.distributorView($0.id, $0.fields) }
            var lines: [DownlineEntry] = []
            func walk(_ d: String, _ depth: Int) {
                let me = all.first { $0.id == d }
                lines.append(
                    DownlineEntry(
                        distributor: d, status: me.flatMap { DistributorRegister.Status(rawValue: $0.status) },
                        depth: depth))
                guard depth < 10 else { return }
                for child in all.filter({ $0.inviter == d }).map(\.id).sorted() { walk(child, depth + 1) }
            }
            walk(id, 0)
            return lines
        }
    }

    static func distributorView(_ id: String, _ f: Fields) throws -> DistributorView {
        let d = try DistributorRegister(fields: f)
        return DistributorView(
            id: id, member: d.member ?? id, status: d.status?.rawValue ?? "?", referral_code: d.referralCode ?? "",
            inviter: d.inviter, group: d.group, channels: d.channels, reason: d.reason)
    }

    static func requireDistributor(_ id: String, _ r: StoreReader) throws -> DistributorView {
        guard let f = try r.register(.distributor, id) else {
            throw NodeError(.notFound, "no distributor \(id); members apply with `fenxiao distributor apply`")
        }
        return try distributorView(id, f)
    }

    static func distributor(byCode code: String, _ r: StoreReader) throws -> DistributorView {
        guard
            let found = try r.registers(.distributor).first(where: {
                try DistributorRegister(fields: $0.fields).referralCode == code
            })
        else {
            throw NodeError(.notFound, "referral code \(code) is unknown; check it or run `fenxiao sync`")
        }
        return try distributorView(found.id, found.fields)
    }

    /// Head office freezes, reactivates or ends a distributor (`frozen`, `active`, `quit`). A
    /// frozen or departed distributor is left out of new orders' upline and cannot withdraw.
    public func setStatus(id: String, status newStatus: DistributorRegister.Status, reason: String?) throws(NodeError)
        -> DistributorView
    {
        try requireCentral("changing distributor status")
        guard [.active, .frozen, .quit].contains(newStatus) else {
            throw NodeError(.invalidInput, "\(Field.status) must be active, frozen or quit")
        }
        return try write(.approveDistributors, "distributor.\(newStatus.rawValue)", subject: id) { tx in
            let d = try Self.requireDistributor(id, tx.reader)
            guard d.status != "applied" && d.status != "rejected" else {
                throw NodeError(.conflict, "distributor \(id) is \(d.status); review the application first")
            }
            guard d.status != "quit" else { throw NodeError(.conflict, "distributor \(id) has quit") }
            try tx.emit(DistributorRegister(status: newStatus, reason: reason), entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }
}
