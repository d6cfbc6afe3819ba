/// Who a promotion or coupon is for. Every non-empty list must admit the context; empty lists
/// admit everyone, guests included.
public struct Audience: Sendable, Equatable, Codable {
    /// Member levels admitted (`gold`, `silver`); a guest has no level and is refused.
    public var memberLevels: [String]
    /// Member groups admitted: the member must belong to at least one of them.
    public var memberGroups: [String]
    /// Store (node) ids where it can be used.
    public var stores: [String]
    /// Sales channels where it can be used.
    public var channels: [SalesChannel]
    /// Members only: a guest (no member id) is refused.
    public var membersOnly: Bool

    public init(
        memberLevels: [String] = [], memberGroups: [String] = [], stores: [String] = [],
        channels: [SalesChannel] = [], membersOnly: Bool = false
    ) {
        self.memberLevels = memberLevels
        self.memberGroups = memberGroups
        self.stores = stores
        self.channels = channels
        self.membersOnly = membersOnly
    }

    /// Everyone, everywhere.
    public static let everyone = Audience()

    /// Why an audience refuses a context.
    public enum Mismatch: String, Sendable, Equatable, Codable {
        case membersOnly, memberLevel, memberGroup, store, channel
    }

    /// The first condition the context fails, checked in the order members only, level, group,
    /// store, channel; nil when the context is admitted.
    public func mismatch(with context: PricingContext) -> Mismatch? {
        let isMember = context.memberID != nil || context.memberLevel != nil
        if membersOnly && !isMember { return .membersOnly }
        if !memberLevels.isEmpty {
            guard let level = context.memberLevel, memberLevels.contains(level) else { return .memberLevel }
        }
        if !memberGroups.isEmpty && !memberGroups.contains(where: { context.memberGroups.contains($0) }) {
            return .memberGroup
        }
        if !stores.isEmpty {
            guard let store = context.store, stores.contains(store) else { return .store }
        }
        if !channels.isEmpty {
            guard let channel = context.channel, channels.contains(channel) else { return .channel }
        }
        return nil
    }

    /// What the context lacks, with the audience's values (`PricingText` words it).
    func requirement(_ mismatch: Mismatch) -> PricingNote.AudienceRequirement {
        switch mismatch {
        case .membersOnly: return .membersOnly
        case .memberLevel: return .memberLevels(memberLevels)
        case .memberGroup: return .memberGroups(memberGroups)
        case .store: return .stores(stores)
        case .channel: return .channels(channels)
        }
    }
}
