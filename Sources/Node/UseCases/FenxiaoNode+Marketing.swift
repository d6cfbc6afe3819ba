import Commerce
import Replication
import Storage

extension Promotion {
    /// Promotion `id` read from its register; nil when ended or not a promotion.
    init?(id: String, fields f: Fields) {
        guard let promotion = (try? PromotionRegister(fields: f))?.promotion(id: id) else { return nil }
        self = promotion
    }
}

extension Coupon {
    /// Coupon `code` read from its register; nil when the register is not a coupon.
    init?(code: String, fields f: Fields) {
        guard let coupon = (try? CouponRegister(fields: f))?.coupon(code: code) else { return nil }
        self = coupon
    }
}

/// A promotion as listed.
public struct PromotionView: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var rule: String
    public var detail: String
}

extension FenxiaoNode {
    /// Publishes a spend-X-save-Y promotion (满减), e.g. tiers "100:10,200:25" in yuan (central only).
    public func addSpendSavePromotion(id: String, name: String, tiers: String) throws(NodeError) -> PromotionView {
        try requireCentral("publishing promotions")
        var parsed: [Promotion.Tier] = []
        for part in tiers.split(separator: ",") {
            let pair = part.split(separator: ":")
            guard pair.count == 2, let t = Money(parsing: String(pair[0])), let s = Money(parsing: String(pair[1])),
                t.cents > 0, s.cents > 0, s.cents <= t.cents
            else {
                throw NodeError(
                    .invalidInput, "tier '\(part)' must be SPEND:SAVE in yuan with 0 < SAVE ≤ SPEND (e.g. 100:10)")
            }
            parsed.append(Promotion.Tier(thresholdCents: t.cents, saveCents: s.cents))
        }
        guard !parsed.isEmpty else { throw NodeError(.invalidInput, "give at least one tier SPEND:SAVE") }
        return try publishPromotion(
            id: id, PromotionRegister(name: name, rule: PromotionRegister.spendSave, tiers: parsed, ended: false))
    }

    /// Publishes a percentage-off promotion on some SKUs (all when empty) (central only).
    public func addPercentPromotion(id: String, name: String, percent: Int64, skus: [String]) throws(NodeError)
        -> PromotionView
    {
        try requireCentral("publishing promotions")
        guard (1...99).contains(percent) else { throw NodeError(.invalidInput, "percent must be between 1 and 99") }
        return try publishPromotion(
            id: id, PromotionRegister(name: name, rule: PromotionRegister.percentOff, percent: percent, skus: skus, ended: false))
    }

    func publishPromotion(id: String, _ promotion: PromotionRegister) throws(NodeError) -> PromotionView {
        guard SKUCode(id) != nil else { throw NodeError(.invalidInput, "promotion id '\(id)' must be letters, digits, '-' or '_'") }
        return try write { tx in
            try tx.emit(promotion, entity: id, scope: .global)
            return try Self.promotionView(id, try tx.flushed().register(.promotion, id) ?? promotion.fields)
        }
    }

    /// Ends a promotion now (central only).
    public func endPromotion(id: String) throws(NodeError) -> PromotionView {
        try requireCentral("ending promotions")
        return try write(.marketing, "promotion.end") { tx in
            guard try tx.reader.register(.promotion, id) != nil else {
                throw NodeError(.notFound, "promotion \(id) does not exist")
            }
            try tx.emit(PromotionRegister(ended: true), entity: id, scope: .global)
            return try Self.promotionView(id, try tx.flushed().register(.promotion, id) ?? [:])
        }
    }

    public func promotions() throws(NodeError) -> [PromotionView] {
        try read { r in try r.registers(.promotion).map { try Self.promotionView($0.id, $0.fields) } }
    }

    static func promotionView(_ id: String, _ f: Fields) throws -> PromotionView {
        let p = try PromotionRegister(fields: f)
        return PromotionView(
            id: id, name: p.name ?? id, rule: p.rule ?? "?",
            detail: (p.ended == true ? "ended; " : "") + (p.tiersJSON?.canonicalText ?? p.percent.map { "\($0)%" } ?? ""))
    }

    /// Defines a coupon (central only): a fixed amount off, with a minimum spend, single-use by default.
    public func defineCoupon(code: String, amount: String, minSpend: String?, singleUse: Bool) throws(NodeError)
        -> [String: JSONValue]
    {
        try requireCentral("defining coupons")
        guard SKUCode(code) != nil else { throw NodeError(.invalidInput, "coupon code '\(code)' must be letters, digits, '-' or '_'") }
        guard let a = Money(parsing: amount), a.cents > 0 else {
            throw NodeError(.invalidInput, "coupon amount '\(amount)' must be a positive amount in yuan")
        }
        var min: Int64 = 0
        if let minSpend {
            guard let m = Money(parsing: minSpend), m.cents >= 0 else {
                throw NodeError(.invalidInput, "minimum spend '\(minSpend)' must be an amount in yuan")
            }
            min = m.cents
        }
        let fields = CouponRegister(amount: a, minSpend: Money(cents: min), singleUse: singleUse).fields
        return try write(.marketing, "coupon.define") { tx in
            try tx.emit(.coupon, entity: code, fields: fields, scope: .global)
            return fields.merging(["code": .string(code)]) { $1 }
        }
    }
}
