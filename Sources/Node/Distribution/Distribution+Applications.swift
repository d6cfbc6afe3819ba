import Commerce
import Replication
import Storage

extension Distribution {
    /// A member applies to become a distributor (any node; head office reviews).
    public func apply(member: String, channels: String?, experience: String?, inviterCode: String?)
        throws(NodeError) -> DistributorView
    {
        try write(.manageMembers, "distributor.apply") { tx in
            _ = try Members.memberView(member, tx.reader)
            if try tx.reader.register(.distributor, member) != nil {
                throw NodeError(
                    .conflict, "member \(member) has already applied; see `fenxiao distributor show \(member)`")
            }
            var application = DistributorRegister(
                member: member, status: .applied, referralCode: "RC-\(member)", appliedAtMillis: tx.nowMillis,
                channels: channels,
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
                ? []
                : r.registers(.distributor).filter { try DistributorRegister(fields: $0.fields).status == .applied }
                    .map(\.id)
        }
        guard !pending.isEmpty else { return [] }
        return try write(.approveDistributors, "distributor.auto_review") { tx in
            var approved: [DistributorView] = []
            for id in pending {
                guard try tx.reader.register(DistributorRegister.self, id)?.status == .applied,
                    let reason = try Self.autoApproval(member: id, tx.reader)
                else { continue }
                try tx.emit(
                    DistributorRegister(status: .active, reason: reason, reviewedAtMillis: tx.nowMillis), entity: id,
                    scope: .global)
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
                throw NodeError(
                    .conflict,
                    "distributor \(id) is \(d.status); only applications and frozen distributors are reviewed")
            }
            let review = DistributorRegister(
                status: approve ? .active : .rejected, reason: reason, reviewedAtMillis: tx.nowMillis, group: group)
            try tx.emit(review, entity: id, scope: .global)
            return try Self.requireDistributor(id, tx.flushed())
        }
    }
}
