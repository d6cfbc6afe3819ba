/// Top-up bonus tiers (充值赠送): a top-up of at least `threshold_cents` earns `bonus_cents`
/// of extra stored value; the highest tier reached applies.
public struct TopupBonus: Sendable, Equatable, Codable {
    public var threshold_cents: Int64
    public var bonus_cents: Int64

    public init(threshold_cents: Int64, bonus_cents: Int64) {
        self.threshold_cents = threshold_cents
        self.bonus_cents = bonus_cents
    }

    /// The bonus for a top-up of `amount`: the tier with the highest threshold reached.
    public static func bonus(for amount: Int64, tiers: [TopupBonus]) -> Int64 {
        tiers.filter { $0.threshold_cents <= amount }.max { $0.threshold_cents < $1.threshold_cents }?.bonus_cents ?? 0
    }
}
