import Replication

extension Promotion.Tier {
    /// Whether the step makes sense: 0 < save ≤ spend.
    public var isValid: Bool { thresholdCents > 0 && saveCents > 0 && saveCents <= thresholdCents }

    /// Spend-save steps as typed, `100:10,200:25` (SPEND:SAVE in yuan), each checked, refused
    /// with a message naming `field` (the face decides how to show it).
    public static func list(parsing text: String, field: Field = .spendSave) throws(CommerceError) -> [Promotion.Tier] {
        var tiers: [Promotion.Tier] = []
        for part in text.split(separator: ",") {
            let pair = part.split(separator: ":")
            guard pair.count == 2, let spend = Money(parsing: String(pair[0])),
                let save = Money(parsing: String(pair[1])),
                Promotion.Tier(thresholdCents: spend.cents, saveCents: save.cents).isValid
            else {
                throw CommerceError(
                    .invalidInput,
                    "tier '\(part)' in \(field) must be SPEND:SAVE in yuan with 0 < SAVE ≤ SPEND (e.g. 100:10)")
            }
            tiers.append(Promotion.Tier(thresholdCents: spend.cents, saveCents: save.cents))
        }
        guard !tiers.isEmpty else {
            throw CommerceError(.invalidInput, "give at least one tier SPEND:SAVE in \(field)")
        }
        return tiers
    }
}
