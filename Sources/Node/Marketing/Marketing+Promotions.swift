import Commerce
import Foundation
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

extension Marketing {
    /// Publishes a spend-X-save-Y promotion (满减), e.g. spend ¥100 save ¥10, spend ¥200 save ¥25
    /// (central only). Each tier needs 0 < save ≤ spend.
    public func addSpendSavePromotion(id: String, name: String, tiers: [Promotion.Tier]) throws(NodeError)
        -> PromotionView
    {
        try requireCentral("publishing promotions")
        guard !tiers.isEmpty else {
            throw NodeError(.invalidInput, "give at least one tier SPEND:SAVE in \(Field.spendSave)")
        }
        if let bad = tiers.first(where: { !$0.isValid }) {
            throw NodeError(
                .invalidInput,
                "tier \(Money(cents: bad.thresholdCents).yuan):\(Money(cents: bad.saveCents).yuan) in \(Field.spendSave) must have 0 < SAVE ≤ SPEND"
            )
        }
        return try publishPromotion(
            id: id, PromotionRegister(name: name, rule: PromotionRegister.spendSave, tiers: tiers, ended: false))
    }

    /// Publishes a percentage-off promotion on some SKUs (all when empty) (central only).
    public func addPercentPromotion(id: String, name: String, percent: Int64, skus: [String]) throws(NodeError)
        -> PromotionView
    {
        try requireCentral("publishing promotions")
        guard (1...99).contains(percent) else { throw NodeError(.invalidInput, "percent must be between 1 and 99") }
        return try publishPromotion(
            id: id,
            PromotionRegister(
                name: name, rule: PromotionRegister.percentOff, percent: percent, skus: skus, ended: false))
    }

    func publishPromotion(id: String, _ promotion: PromotionRegister) throws(NodeError) -> PromotionView {
        guard SKUCode(id) != nil else {
            throw NodeError(.invalidInput, "promotion id '\(id)' must be letters, digits, '-' or '_'")
        }
        return try write(.marketing, "promotion.publish", subject: id) { tx in
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
            detail: (p.ended == true ? "ended; " : "")
                + (p.tiersJSON?.canonicalText ?? p.percent.map { "\($0)%" } ?? ""))
    }

    /// Publishes a promotion of any kind (central only), stored with its full definition.
    public func publish(_ promotion: Promotion) throws(NodeError) -> PromotionView {
        try requireCentral("publishing promotions")
        guard SKUCode(promotion.id) != nil else {
            throw NodeError(.invalidInput, "promotion id '\(promotion.id)' must be letters, digits, '-' or '_'")
        }
        let definition: JSONValue
        do { definition = try definitionField(promotion) } catch {
            throw NodeError(.invalidInput, "cannot encode the promotion: \(error)")
        }
        return try publishPromotion(
            id: promotion.id,
            PromotionRegister(
                name: promotion.name, rule: Self.ruleName(promotion.rule), ended: false, definition: definition))
    }

    static func ruleName(_ rule: Promotion.Rule) -> String {
        switch rule {
        case .percentOff: return "percent_off"
        case .spendSave: return "spend_save"
        case .flashSale: return "flash_sale"
        case .memberPrice: return "member_price"
        case .buyNGetM: return "buy_n_get_m"
        case .gift: return "gift"
        }
    }
}
