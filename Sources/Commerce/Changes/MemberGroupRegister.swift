import Replication

/// The `member_group` register (head office writes it): a group's rule over spend, order count
/// and region within a window of days. `definition` writes every field, `region` as `null`
/// when the group is not limited to one; a field in `cleared` is written as `null`.
public struct MemberGroupRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, days, region
        case minSpend = "min_spend_cents"
        case minOrders = "min_orders"
    }
    public static let kind = EntityKind.memberGroup

    public var name: String?
    public var minSpend: Money?
    public var minOrders: Int64?
    /// The window the spend and orders count over.
    public var days: Int64?
    public var region: String?
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(
        name: String? = nil, minSpend: Money? = nil, minOrders: Int64? = nil, days: Int64? = nil, region: String? = nil,
        cleared: Set<Field> = []
    ) {
        self.name = name
        self.minSpend = minSpend
        self.minOrders = minOrders
        self.days = days
        self.region = region
        self.cleared = cleared
    }

    /// A complete group definition: every field, `region` cleared when there is none.
    public static func definition(name: String, minSpend: Money, minOrders: Int64, days: Int64, region: String?)
        -> MemberGroupRegister
    {
        MemberGroupRegister(
            name: name, minSpend: minSpend, minOrders: minOrders, days: days, region: region,
            cleared: region == nil ? [.region] : [])
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        minSpend = try f.optionalInt(.minSpend).map(Money.init(cents:))
        minOrders = try f.optionalInt(.minOrders)
        days = try f.optionalInt(.days)
        region = try f.optionalString(.region)
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.minSpend, minSpend?.cents)
        f.set(.minOrders, minOrders)
        f.set(.days, days)
        f.set(.region, region)
        for field in cleared { f.set(field, JSONValue.null) }
    }
}
