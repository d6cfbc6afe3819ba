import Replication

/// The `member_level` register (head office writes it): one level (普通 / 银卡 / 金卡 …), its
/// thresholds and benefits. `definition` writes every field, `birthday_coupon` as `null` when
/// there is none; a field in `cleared` is written as `null`.
public struct MemberLevelRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name
        case minPoints = "min_points"
        case pointsMultiplier = "points_multiplier"
        case discountPercent = "discount_percent"
        case freeShipping = "free_shipping"
        case birthdayPoints = "birthday_points"
        case birthdayCoupon = "birthday_coupon"
        case minSpend = "min_spend_cents"
    }
    public static let kind = EntityKind.memberLevel

    public var name: String?
    /// Lifetime points earned needed to reach the level.
    public var minPoints: Int64?
    /// Points earned per yuan, in percent (150 = 1.5 points per yuan).
    public var pointsMultiplierPercent: Int64?
    public var discountPercent: Int64?
    public var freeShipping: Bool?
    public var birthdayPoints: Int64?
    /// A holders-only coupon given on the member's birthday.
    public var birthdayCoupon: String?
    /// Lifetime spend also needed to reach the level.
    public var minSpend: Money?
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(
        name: String? = nil, minPoints: Int64? = nil, pointsMultiplierPercent: Int64? = nil,
        discountPercent: Int64? = nil,
        freeShipping: Bool? = nil, birthdayPoints: Int64? = nil, birthdayCoupon: String? = nil, minSpend: Money? = nil,
        cleared: Set<Field> = []
    ) {
        self.name = name
        self.minPoints = minPoints
        self.pointsMultiplierPercent = pointsMultiplierPercent
        self.discountPercent = discountPercent
        self.freeShipping = freeShipping
        self.birthdayPoints = birthdayPoints
        self.birthdayCoupon = birthdayCoupon
        self.minSpend = minSpend
        self.cleared = cleared
    }

    /// A complete level definition: every field, `birthday_coupon` cleared when there is none.
    public static func definition(
        name: String, minPoints: Int64, pointsMultiplierPercent: Int64, discountPercent: Int64, freeShipping: Bool,
        birthdayPoints: Int64, birthdayCoupon: String?, minSpend: Money
    ) -> MemberLevelRegister {
        MemberLevelRegister(
            name: name, minPoints: minPoints, pointsMultiplierPercent: pointsMultiplierPercent,
            discountPercent: discountPercent,
            freeShipping: freeShipping, birthdayPoints: birthdayPoints, birthdayCoupon: birthdayCoupon,
            minSpend: minSpend,
            cleared: birthdayCoupon == nil ? [.birthdayCoupon] : [])
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        minPoints = try f.optionalInt(.minPoints)
        pointsMultiplierPercent = try f.optionalInt(.pointsMultiplier)
        discountPercent = try f.optionalInt(.discountPercent)
        freeShipping = try f.optionalBool(.freeShipping)
        birthdayPoints = try f.optionalInt(.birthdayPoints)
        birthdayCoupon = try f.optionalString(.birthdayCoupon)
        minSpend = try f.optionalInt(.minSpend).map(Money.init(cents:))
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.minPoints, minPoints)
        f.set(.pointsMultiplier, pointsMultiplierPercent)
        f.set(.discountPercent, discountPercent)
        f.set(.freeShipping, freeShipping)
        f.set(.birthdayPoints, birthdayPoints)
        f.set(.birthdayCoupon, birthdayCoupon)
        f.set(.minSpend, minSpend?.cents)
        for field in cleared { f.set(field, JSONValue.null) }
    }
}
