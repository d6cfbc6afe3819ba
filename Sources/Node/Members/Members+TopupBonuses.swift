import Commerce
import Replication
import Storage

extension Members {
    static func topupBonuses(_ r: StoreReader) throws -> [TopupBonus] {
        (try r.setting(SettingRegister.Topup.self).tiers ?? []).sorted { $0.threshold_cents < $1.threshold_cents }
    }

    public func topupBonuses() throws(NodeError) -> [TopupBonus] { try read { try Self.topupBonuses($0) } }

    /// Head office replaces the top-up bonus tiers (top up ¥500, get ¥50; none to remove them
    /// all). Each tier needs a positive threshold and a bonus from 0 up to it; each threshold
    /// once.
    public func setTopupBonuses(_ tiers: [TopupBonus]) throws(NodeError) -> [TopupBonus] {
        if let bad = tiers.first(where: { !$0.isValid }) {
            throw NodeError(
                .invalidInput,
                "tier \(Money(cents: bad.threshold_cents).yuan)=\(Money(cents: bad.bonus_cents).yuan) in \(Field.tiers) must have bonus ≤ threshold and threshold > 0"
            )
        }
        guard Set(tiers.map(\.threshold_cents)).count == tiers.count else {
            throw NodeError(.invalidInput, "each threshold may appear once in \(Field.tiers)")
        }
        let sorted = tiers.sorted { $0.threshold_cents < $1.threshold_cents }
        try saveSettings(SettingRegister.Topup(tiers: sorted), permission: .marketing)
        return sorted
    }
}
