import Replication

extension TopupBonus {
    /// Whether the tier makes sense: a positive threshold, a bonus from 0 up to it.
    public var isValid: Bool { threshold_cents > 0 && bonus_cents >= 0 && bonus_cents <= threshold_cents }

    /// Tiers as typed, `500=50,1000=120` (THRESHOLD=BONUS in yuan); `none` or nothing for no
    /// tier. Each is checked; refused with a message naming `field`.
    public static func list(parsing text: String, field: Field = .tiers) throws(CommerceError) -> [TopupBonus] {
        var tiers: [TopupBonus] = []
        for part in text.split(separator: ",") where !text.isEmpty && text != "none" {
            let pair = part.split(separator: "=")
            guard pair.count == 2, let t = Money(parsing: String(pair[0])), let b = Money(parsing: String(pair[1])),
                TopupBonus(threshold_cents: t.cents, bonus_cents: b.cents).isValid
            else {
                throw CommerceError(
                    .invalidInput,
                    "tier '\(part)' in \(field) must be THRESHOLD=BONUS in yuan, bonus ≤ threshold (e.g. 500=50)")
            }
            tiers.append(TopupBonus(threshold_cents: t.cents, bonus_cents: b.cents))
        }
        return tiers
    }
}
