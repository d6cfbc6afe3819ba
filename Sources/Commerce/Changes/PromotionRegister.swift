import Replication

/// The `promotion` register (head office writes it): the short forms `spend_save` (with
/// `tiers` [[threshold, save]] in fen) and `percent_off` (with `percent` and `skus`), or any
/// rule with its full `definition`; `ended` stops it early.
public struct PromotionRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, rule, tiers, percent, skus, ended, definition
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }
    public static let kind = EntityKind.promotion
    /// The rule names of the short forms (`rule` is informative when a definition is present).
    public static let spendSave = "spend_save"
    public static let percentOff = "percent_off"

    public var name: String?
    public var rule: String?
    public var tiers: [Promotion.Tier]?
    public var percent: Int64?
    public var skus: [String]?
    public var ended: Bool?
    public var definition: JSONValue?
    public var startsAtMillis: Int64?
    public var endsAtMillis: Int64?

    public init(
        name: String? = nil, rule: String? = nil, tiers: [Promotion.Tier]? = nil, percent: Int64? = nil,
        skus: [String]? = nil,
        ended: Bool? = nil, definition: JSONValue? = nil, startsAtMillis: Int64? = nil, endsAtMillis: Int64? = nil
    ) {
        self.name = name
        self.rule = rule
        self.tiers = tiers
        self.percent = percent
        self.skus = skus
        self.ended = ended
        self.definition = definition
        self.startsAtMillis = startsAtMillis
        self.endsAtMillis = endsAtMillis
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        rule = try f.optionalString(.rule)
        if let value = f.value(.tiers) {
            var tiers: [Promotion.Tier] = []
            for item in value.arrayValue ?? [] {
                guard let pair = item.arrayValue, pair.count == 2, let a = pair[0].intValue, let b = pair[1].intValue
                else {
                    throw f.fail(.tiers, "must be [[threshold, save], …] in fen")
                }
                tiers.append(Promotion.Tier(thresholdCents: a, saveCents: b))
            }
            self.tiers = tiers
        }
        percent = try f.optionalInt(.percent)
        if let value = f.value(.skus) {
            guard let items = value.arrayValue else { throw f.fail(.skus, "must be an array of SKU codes") }
            var skus: [String] = []
            for item in items {
                guard let sku = item.stringValue else { throw f.fail(.skus, "must be an array of SKU codes") }
                skus.append(sku)
            }
            self.skus = skus
        }
        ended = try f.optionalBool(.ended)
        definition = f.value(.definition)
        startsAtMillis = try f.optionalInt(.startsAt)
        endsAtMillis = try f.optionalInt(.endsAt)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.rule, rule)
        f.set(.tiers, tiersJSON)
        f.set(.percent, percent)
        f.set(.skus, skus.map { JSONValue.array($0.map(JSONValue.string)) })
        f.set(.ended, ended)
        f.set(.definition, definition)
        f.set(.startsAt, startsAtMillis)
        f.set(.endsAt, endsAtMillis)
    }

    /// The tiers as stored: `[[threshold, save], …]` in fen.
    public var tiersJSON: JSONValue? {
        tiers.map { JSONValue.array($0.map { .array([.int($0.thresholdCents), .int($0.saveCents)]) }) }
    }

    /// Promotion `id` as the pricing engine applies it; nil when ended or not a promotion.
    public func promotion(id: String) -> Promotion? {
        guard ended != true else { return nil }
        if let definition {
            guard var p = decodeDefinition(definition, as: Promotion.self) else { return nil }
            p.id = id
            return p
        }
        let parsed: Promotion.Rule
        switch rule {
        case Self.spendSave: parsed = .spendSave(tiers: tiers ?? [])
        case Self.percentOff:
            guard let percent else { return nil }
            parsed = .percentOff(percent: percent, skus: skus ?? [])
        default: return nil
        }
        return Promotion(id: id, name: name ?? id, rule: parsed, startsAt: startsAtMillis, endsAt: endsAtMillis)
    }
}
