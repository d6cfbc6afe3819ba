import Replication

/// The `commission_rule` register: one version of the commission scheme, in force from
/// `effective_from` (head office writes it; `CommissionRule` is the value it reads as).
public struct CommissionRuleRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case levels, overrides, fixed
        case effectiveFrom = "effective_from"
        case windowDays = "window_days"
        case selfPurchase = "self_purchase"
        case fixedPerItem = "fixed_per_item"
    }
    public static let kind = EntityKind.commissionRule

    public var rule: CommissionRule

    public init(_ rule: CommissionRule) { self.rule = rule }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        func integers(_ field: Field, _ value: JSONValue?) throws(PayloadError) -> [Int64] {
            guard let value else { return [] }
            guard let items = value.arrayValue else { throw f.fail(field, "must be an array of integers") }
            var out: [Int64] = []
            for item in items {
                guard let i = item.intValue else { throw f.fail(field, "must be an array of integers") }
                out.append(i)
            }
            return out
        }
        guard let levelsValue = f.value(.levels) else { throw f.fail(.levels, "must be an array of integers") }
        var overrides: [String: [Int64]] = [:]
        if let value = f.value(.overrides) {
            guard let object = value.objectValue else {
                throw f.fail(.overrides, "must map sku:/category:/group: keys to rates")
            }
            for (key, rates) in object { overrides[key] = try integers(.overrides, rates) }
        }
        rule = CommissionRule(
            id: "", effectiveFrom: try f.int(.effectiveFrom), levels: try integers(.levels, levelsValue),
            fixedPerOrder: try integers(.fixed, f.value(.fixed)),
            fixedPerItem: try integers(.fixedPerItem, f.value(.fixedPerItem)),
            overrides: overrides, selfPurchase: try f.optionalBool(.selfPurchase) ?? false,
            windowDays: try f.optionalInt(.windowDays) ?? 7)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.levels, JSONValue.array(rule.levels.map(JSONValue.int)))
        f.set(.effectiveFrom, rule.effectiveFrom)
        f.set(.windowDays, rule.windowDays)
        f.set(.selfPurchase, rule.selfPurchase)
        f.set(.overrides, JSONValue.object(rule.overrides.mapValues { JSONValue.array($0.map(JSONValue.int)) }))
        f.set(.fixed, JSONValue.array(rule.fixedPerOrder.map(JSONValue.int)))
        f.set(.fixedPerItem, JSONValue.array(rule.fixedPerItem.map(JSONValue.int)))
    }
}

extension CommissionRule {
    /// Reads rule `id` from its register; nil when the register is not a complete rule.
    public init?(id: String, fields: Fields) {
        guard var rule = try? CommissionRuleRegister(fields: fields).rule else { return nil }
        rule.id = id
        self = rule
    }
}
