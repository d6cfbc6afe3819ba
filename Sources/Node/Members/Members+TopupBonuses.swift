import Commerce
import Replication
import Storage

extension Members {
    static func topupBonuses(_ r: StoreReader) throws -> [TopupBonus] {
        (try r.setting(SettingRegister.Topup.self).tiers ?? []).sorted { $0.threshold_cents < $1.threshold_cents }
    }

    public func topupBonuses() throws(NodeError) -> [TopupBonus] { try read { try Self.topupBonuses($0) } }

    /// Head office replaces the top-up bonus tiers ("500=50,1000=120": top up ¥500, get ¥50).
    public func setTopupBonuses(_ text: String) throws(NodeError) -> [TopupBonus] {
        var tiers: [TopupBonus] = []
        for part in text.split(separator: ",") where !text.isEmpty && text != "none" {
            let pair = part.split(separator: "=")
            guard pair.count == 2, let t = Money(parsing: String(pair[0])), let b = Money(parsing: String(pair[1])),
                t.cents > 0, b.cents >= 0, b.cents <= t.cents
            else {
                throw NodeError(.invalidInput, "tier '\(part)' must be THRESHOLD=BONUS in yuan, bonus ≤ threshold (e.g. 500=50)")
            }
            tiers.append(TopupBonus(threshold_cents: t.cents, bonus_cents: b.cents))
        }
        guard Set(tiers.map(\.threshold_cents)).count == tiers.count else {
            throw NodeError(.invalidInput, "each threshold may appear once")
        }
        let sorted = tiers.sorted { $0.threshold_cents < $1.threshold_cents }
        try saveSettings(SettingRegister.Topup(tiers: sorted), permission: .marketing)
        return sorted
    }
}
