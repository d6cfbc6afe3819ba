import Commerce
import Foundation
import Replication
import Storage

/// A member level (普通 / 银卡 / 金卡 / 钻石) and its benefits.
public struct MemberLevel: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// Lifetime points earned needed to reach the level.
    public var min_points: Int64
    /// Points earned per yuan, in percent (150 = 1.5 points per yuan).
    public var pointsMultiplierPercent: Int64
    /// Discount on every purchase, in percent (0 = none).
    public var discount_percent: Int64
    /// Online orders of members at this level ship free (no `shipping` settings fee).
    public var free_shipping: Bool = false
    /// Points given on the member's birthday.
    public var birthday_points: Int64 = 0
    /// A holders-only coupon given on the member's birthday.
    public var birthday_coupon: String?
    /// Lifetime spend (paid minus refunded, in fen) also needed to reach the level; 0 = levels
    /// by points only. A chain that ranks members by spend sets `min_points` 0.
    public var min_spend_cents: Int64 = 0

    /// The level's discount as a member-price promotion, so the pricing engine applies it with
    /// the same stacking rules as every other line promotion.
    var promotion: Promotion? {
        guard discount_percent > 0 else { return nil }
        return .levelDiscount(level: id, name: name, percent: discount_percent)
    }
}

extension Members {
    /// Defines or changes a level (central only). Levels are derived from lifetime points, so
    /// upgrades and downgrades are deterministic everywhere.
    public func defineLevel(
        id: String, name: String, minPoints: Int64, pointsMultiplier: Int64, discountPercent: Int64,
        freeShipping: Bool = false,
        birthdayPoints: Int64 = 0, birthdayCoupon: String? = nil, minSpend: Money? = nil
    ) throws(NodeError) -> MemberLevel {
        let minSpendCents = try minSpend.map { m throws(NodeError) in try Amounts.fen(m, .minSpend) } ?? 0
        try requireCentral("defining member levels")
        guard SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "level id '\(id)' must be letters, digits, '-' or '_'")
        }
        guard minPoints >= 0, (100...1000).contains(pointsMultiplier), (0...50).contains(discountPercent) else {
            throw NodeError(
                .invalidInput,
                "\(Field.minPoints) ≥ 0, \(Field.pointsMultiplier) 100…1000 (percent), \(Field.discount) 0…50")
        }
        guard (0...1_000_000).contains(birthdayPoints) else {
            throw NodeError(.invalidInput, "\(Field.birthdayPoints) must be 0…1,000,000")
        }
        return try write(.marketing, "level.define") { tx in
            if let birthdayCoupon, try !Marketing.couponRegister(birthdayCoupon, tx.reader).holdersOnly {
                throw NodeError(
                    .invalidInput,
                    "the birthday coupon must be a holders-only coupon (define it with \(Field.holdersOnly))")
            }
            let level = MemberLevelRegister.definition(
                name: name, minPoints: minPoints, pointsMultiplierPercent: pointsMultiplier,
                discountPercent: discountPercent,
                freeShipping: freeShipping, birthdayPoints: birthdayPoints, birthdayCoupon: birthdayCoupon,
                minSpend: Money(cents: minSpendCents))
            try tx.emit(level, entity: id, scope: .global)
            return try Self.memberLevels(tx.flushed()).first { $0.id == id }
                ?? MemberLevel(
                    id: id, name: name, min_points: minPoints, pointsMultiplierPercent: pointsMultiplier,
                    discount_percent: discountPercent)
        }
    }

    public func levels() throws(NodeError) -> [MemberLevel] {
        try read { r in try Self.memberLevels(r) }
    }

    static func memberLevels(_ r: StoreReader) throws -> [MemberLevel] {
        try r.registers(.memberLevel).map { l in
            let level = try MemberLevelRegister(fields: l.fields)
            return MemberLevel(
                id: l.id, name: level.name ?? l.id, min_points: level.minPoints ?? 0,
                pointsMultiplierPercent: level.pointsMultiplierPercent ?? 100,
                discount_percent: level.discountPercent ?? 0,
                free_shipping: level.freeShipping ?? false, birthday_points: level.birthdayPoints ?? 0,
                birthday_coupon: level.birthdayCoupon, min_spend_cents: level.minSpend?.cents ?? 0)
        }.sorted { ($0.min_points, $0.min_spend_cents, $0.id) < ($1.min_points, $1.min_spend_cents, $1.id) }
    }

    /// The member's level: the highest-ranked (by points, then spend thresholds) whose
    /// thresholds their lifetime earned points and lifetime spend both reach, from the merged
    /// data, so upgrades and downgrades (after refunds) are the same at every node.
    static func memberLevel(_ member: String, _ r: StoreReader) throws -> MemberLevel? {
        let levels = try memberLevels(r)
        guard !levels.isEmpty else { return nil }
        let earned = try lifetimePoints(of: member, r)
        let spent = levels.contains(where: { $0.min_spend_cents > 0 }) ? try lifetimeSpend(of: member, r) : 0
        return levels.last { $0.min_points <= earned && $0.min_spend_cents <= spent }
    }

    public func level(of member: String) throws(NodeError) -> MemberLevel? {
        try read { r in
            _ = try Self.memberView(member, r)
            return try Self.memberLevel(member, r)
        }
    }
}
