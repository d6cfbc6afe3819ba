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
    /// A member applies to become a distributor (any node; head office reviews).
    public func apply(member: String, channels: String?, experience: String?, inviterCode: String?)
        throws(NodeError) -> DistributorView
    {
        try write(.manageMembers, "distributor.apply") { tx in
            _ = try Members.memberView(member, tx.reader)
            if try tx.reader.register(.distributor, member) != nil {
                throw NodeError(.conflict, "member \(member) has already applied; see `fenxiao distributor show \(member)`")
            }
            var application = DistributorRegister(
                member: member, status: .applied, referralCode: "RC-\(member)", appliedAtMillis: tx.nowMillis, channels: channels,
                experience: experience)
            if let inviterCode {
                let inviter = try Self.distributor(byCode: inviterCode, tx.reader)
                guard inviter.status == DistributorRegister.Status.active.rawValue else {
                    throw NodeError(.conflict, "inviter \(inviter.id) is \(inviter.status), not active")
                }
                application.inviter = inviter.id
            }
            if identity.role == .central, let reason = try Self.autoApproval(member: member, tx.reader) {
                application.status = .active
                application.reason = reason
                application.reviewedAtMillis = tx.nowMillis
            }
            try tx.emit(application, entity: member, scope: .global)
            return try Self.requireDistributor(member, tx.flushed())
        }
    }

    /// Why a member's application is approved automatically, or nil when the settings leave it
    /// to a person: they spent (paid minus refunded, over all their orders here) at least the
    /// threshold.
    static func autoApproval(member: String, _ r: StoreReader) throws -> String? {
        guard let threshold = try distributionSettings(r).auto_approve_spend_cents else { return nil }
        let spent = try Members.lifetimeSpend(of: member, r)
        guard spent >= threshold else { return nil }
        return "auto-approved: spent \(Money(cents: spent)) ≥ \(Money(cents: threshold))"
    }

    /// Head office approves every pending application that meets the automatic approval rule
    /// (applications made at stores arrive by sync; `serve` runs this every few seconds).
    /// Returns the approved distributors.
    public func autoReviewApplications() throws(NodeError) -> [DistributorView] {
        try requireCentral("reviewing distributors")
        let pending = try read { r in
            try Self.distributionSettings(r).auto_approve_spend_cents == nil
                ? [] : r.registers(.distributor).filter { try DistributorRegister(fields: $0.fields).status == .applied }.map(\.id)
        }
        guard !pending.isEmpty else { return [] }
        return try write(.approveDistributors, "distributor.auto_review") { tx in
            var approved: [DistributorView] = []
            for id in pending {
                guard try tx.reader.register(DistributorRegister.self, id)?.status == .applied,
                    let reason = try Self.autoApproval(member: id, tx.reader)
                else { continue }
                try tx.emit(
                    DistributorRegister(status: .active, reason: reason, reviewedAtMillis: tx.nowMillis), entity: id, scope: .global)
                approved.append(try Self.requireDistributor(id, tx.flushed()))
            }
            return approved
        }
    }

    /// Head office approves or rejects an application, optionally placing it in a group.
    public func review(id: String, approve: Bool, reason: String?, group: String?) throws(NodeError)
        -> DistributorView
    {
        try requireCentral("reviewing distributors")
        return try write(.approveDistributors, "distributor.review") { tx in
            let d = try Self.requireDistributor(id, tx.reader)
            guard d.status == "applied" || d.status == "frozen" else {
                throw NodeError(.conflict, "distributor \(id) is \(d.status); only applications and frozen distributors are reviewed")
            }
            let review = DistributorRegister(
                status: approve ? .active : .rejected, reason: reason, reviewedAtMillis: tx.nowMillis, group: group)
            try tx.emit(review, entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }

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

    public func distributor(_ id: String) throws(NodeError) -> DistributorView {
        try read { r in try Self.requireDistributor(id, r) }
    }

    public func list(status: String? = nil) throws(NodeError) -> [DistributorView] {
        try read { r in
            try r.registers(.distributor).map { try Self.distributorView($0.id, $0.fields) }.filter { status == nil || $0.status == status }
        }
    }

    /// The downline of a distributor as indented lines (depth-first, by id).
    public func tree(_ id: String) throws(NodeError) -> [String] {
        try read { r in
            _ = try Self.requireDistributor(id, r)
            let all = try r.registers(.distributor).map { try Self.distributorView($0.id, $0.fields) }
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
        guard let found = try r.registers(.distributor).first(where: { try DistributorRegister(fields: $0.fields).referralCode == code }) else {
            throw NodeError(.notFound, "referral code \(code) is unknown; check it or run `fenxiao sync`")
        }
        return try distributorView(found.id, found.fields)
    }
}

/// A distributor's performance from the merged data.
public struct DistributorPerformance: Sendable, Equatable, Codable {
    public var distributor: String
    /// Paid minus refunded on orders where they were level 1.
    public var sales_cents: Int64
    public var orders: Int64
    /// Customers bound to them.
    public var customers: Int64
    /// Distributors they invited.
    public var team: Int64
}

/// One month of a distributor's statement.
public struct StatementMonth: Sendable, Equatable, Codable {
    public var month: String
    public var earned_cents: Int64
    public var reversed_cents: Int64
    public var withdrawn_cents: Int64
}

extension Distribution {
    /// Head office freezes, reactivates or ends a distributor (`frozen`, `active`, `quit`). A
    /// frozen or departed distributor is left out of new orders' upline and cannot withdraw.
    public func setStatus(id: String, status: String, reason: String?) throws(NodeError) -> DistributorView {
        try requireCentral("changing distributor status")
        guard let newStatus = DistributorRegister.Status(rawValue: status), [.active, .frozen, .quit].contains(newStatus) else {
            throw NodeError(.invalidInput, "status must be active, frozen or quit")
        }
        return try write(.approveDistributors, "distributor.\(status)", subject: id) { tx in
            let d = try Self.requireDistributor(id, tx.reader)
            guard d.status != "applied" && d.status != "rejected" else {
                throw NodeError(.conflict, "distributor \(id) is \(d.status); review the application first")
            }
            guard d.status != "quit" else { throw NodeError(.conflict, "distributor \(id) has quit") }
            try tx.emit(DistributorRegister(status: newStatus, reason: reason), entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }

    public func performance(of id: String) throws(NodeError) -> DistributorPerformance {
        try read { r in
            _ = try Self.requireDistributor(id, r)
            let sales = try r.distributorSales(id)
            let customers = try r.registers(.binding).filter { try BindingRegister(fields: $0.fields).distributor == id }.count
            let team = try r.registers(.distributor).filter { try DistributorRegister(fields: $0.fields).inviter == id }.count
            return DistributorPerformance(
                distributor: id, sales_cents: sales.cents, orders: sales.orders,
                customers: Int64(customers), team: Int64(team))
        }
    }

    /// Commission earned, reversed and withdrawn per month (months of payment, Asia/Shanghai).
    public func monthlyStatement(of id: String) throws(NodeError) -> [StatementMonth] {
        let offset = try dayOffsetMillis()
        return try read { r in
            _ = try Self.requireDistributor(id, r)
            var months: [String: StatementMonth] = [:]
            func month(_ millis: Int64) -> String { NodeCalendar.reportMonth(millis, offset: offset) }
            for row in try r.commissionEntries(distributor: id) {
                let m = month(row.paidAt ?? 0)
                var s = months[m] ?? StatementMonth(month: m, earned_cents: 0, reversed_cents: 0, withdrawn_cents: 0)
                s.earned_cents += row.earnCents
                s.reversed_cents += row.reversedCents
                months[m] = s
            }
            for register in try r.registers(.withdrawal) {
                let w = try WithdrawalRegister(fields: register.fields)
                guard w.distributor == id, let status = w.status, status != .rejected, status != .failed else { continue }
                let m = month(w.at[.requested] ?? 0)
                var s = months[m] ?? StatementMonth(month: m, earned_cents: 0, reversed_cents: 0, withdrawn_cents: 0)
                s.withdrawn_cents += w.split.debited
                months[m] = s
            }
            return months.values.sorted { $0.month < $1.month }
        }
    }
}
