import Replication

/// The `distributor` register, keyed by the member id: an application (any node), then head
/// office's review, status changes and group. As a change it is a patch; a field in `cleared`
/// is written as `null` (a distributor taken out of its group).
public struct DistributorRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case member, status, channels, experience, inviter, reason, group
        case referralCode = "referral_code"
        case appliedAt = "applied_at"
        case reviewedAt = "reviewed_at"
    }
    /// Where a distributor stands.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Applied; head office reviews.
        case applied
        /// Earns commission and may withdraw.
        case active
        case rejected
        /// Left out of new orders' upline, cannot withdraw; head office may reactivate.
        case frozen
        /// Ended for good.
        case quit
    }
    public static let kind = EntityKind.distributor

    public var member: String?
    public var status: Status?
    public var referralCode: String?
    public var appliedAtMillis: Int64?
    public var channels: String?
    public var experience: String?
    /// The distributor who invited this one (the next level up).
    public var inviter: String?
    /// Why head office (or the automatic rule) decided as it did.
    public var reason: String?
    public var reviewedAtMillis: Int64?
    /// The distributor group (its commission overrides).
    public var group: String?
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(
        member: String? = nil, status: Status? = nil, referralCode: String? = nil, appliedAtMillis: Int64? = nil,
        channels: String? = nil, experience: String? = nil, inviter: String? = nil, reason: String? = nil,
        reviewedAtMillis: Int64? = nil, group: String? = nil, cleared: Set<Field> = []
    ) {
        self.member = member
        self.status = status
        self.referralCode = referralCode
        self.appliedAtMillis = appliedAtMillis
        self.channels = channels
        self.experience = experience
        self.inviter = inviter
        self.reason = reason
        self.reviewedAtMillis = reviewedAtMillis
        self.group = group
        self.cleared = cleared
    }

    /// Moves the distributor into `group`, or out of every group (`null`) when nil.
    public static func grouped(_ group: String?) -> DistributorRegister {
        DistributorRegister(group: group, cleared: group == nil ? [.group] : [])
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        member = try f.optionalString(.member)
        status = try f.optionalChoice(.status)
        referralCode = try f.optionalString(.referralCode)
        appliedAtMillis = try f.optionalInt(.appliedAt)
        channels = try f.optionalString(.channels)
        experience = try f.optionalString(.experience)
        inviter = try f.optionalString(.inviter)
        reason = try f.optionalString(.reason)
        reviewedAtMillis = try f.optionalInt(.reviewedAt)
        group = try f.optionalString(.group)
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.member, member)
        f.set(.status, status)
        f.set(.referralCode, referralCode)
        f.set(.appliedAt, appliedAtMillis)
        f.set(.channels, channels)
        f.set(.experience, experience)
        f.set(.inviter, inviter)
        f.set(.reason, reason)
        f.set(.reviewedAt, reviewedAtMillis)
        f.set(.group, group)
        for field in cleared { f.set(field, JSONValue.null) }
    }
}
