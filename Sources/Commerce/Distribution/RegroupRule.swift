import Replication

/// What distributors are grouped by when head office regroups them.
public enum RegroupDimension: String, Sendable, Codable, CaseIterable {
    /// Level-1 sales (paid minus refunded), against yuan thresholds.
    case sales
    /// The channels named in their application.
    case channel
}

/// How head office regroups every active distributor: by sales (`gold=10000,silver=2000`: the
/// highest threshold reached) or by channel (`Douyin=douyin`: the first channel named in the
/// application, case insensitive).
public enum RegroupRule: Sendable, Equatable {
    /// A group reached at a sales threshold.
    public struct SalesTier: Sendable, Equatable {
        public var group: String
        public var threshold: Money
        public init(group: String, threshold: Money) {
            self.group = group
            self.threshold = threshold
        }
    }

    /// A group for distributors whose application names a channel.
    public struct ChannelTier: Sendable, Equatable {
        public var channel: String
        public var group: String
        public init(channel: String, group: String) {
            self.channel = channel
            self.group = group
        }
    }

    case sales([SalesTier])
    case channel([ChannelTier])

    /// The dimension grouped by.
    public var dimension: RegroupDimension {
        switch self {
        case .sales: return .sales
        case .channel: return .channel
        }
    }

    /// The group names the rule assigns.
    public var groups: [String] {
        switch self {
        case .sales(let tiers): return tiers.map(\.group)
        case .channel(let tiers): return tiers.map(\.group)
        }
    }

    /// Whether the rule has no tier.
    public var isEmpty: Bool { groups.isEmpty }

    /// Tiers as typed for `dimension`: `GROUP=YUAN,…` for sales, `CHANNEL=GROUP,…` for
    /// channel. Refused with a message naming `tiers` (or `by`).
    public init(by dimension: RegroupDimension, parsing text: String) throws(CommerceError) {
        var pairs: [(String, String)] = []
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw Self.malformed(part) }
            pairs.append((pair[0], pair[1]))
        }
        switch dimension {
        case .sales:
            var tiers: [SalesTier] = []
            for (group, yuan) in pairs {
                guard let threshold = Money(parsing: yuan), threshold.cents >= 0 else {
                    throw CommerceError(.invalidInput, "\(Field.tiers) '\(yuan)' must be an amount in yuan")
                }
                tiers.append(SalesTier(group: group, threshold: threshold))
            }
            self = .sales(tiers)
        case .channel:
            self = .channel(pairs.map { ChannelTier(channel: $0.0, group: $0.1) })
        }
    }

    static func malformed(_ part: Substring) -> CommerceError {
        CommerceError(
            .invalidInput,
            "tier '\(part)' must be GROUP=YUAN for \(Field.`by`) sales, CHANNEL=GROUP for \(Field.`by`) channel",
            field: .tiers)
    }
}
