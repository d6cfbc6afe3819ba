import Commerce
import Foundation
import Replication
import Storage

/// A promotion with its full rule, ended or not, for head office's list.
public struct PromotionDetail: Sendable, Equatable {
    public var id: String
    public var name: String
    public var ended: Bool
    /// The rule, window and audience as the pricing engine reads them; nil when the register
    /// holds no rule this version understands.
    public var promotion: Promotion?
}

/// A coupon with its definition and usage, for head office's list.
public struct CouponDetail: Sendable, Equatable {
    /// The definition; nil when the register holds none this version understands.
    public var coupon: Coupon?
    public var usage: CouponUsage
    /// Given at checkout to members whose order reaches this total, in fen.
    public var giveOnSpendCents: Int64?
}

extension Marketing {
    /// Every promotion with its rule, by id (`promo list` with the definitions).
    public func promotionDetails() throws(NodeError) -> [PromotionDetail] {
        try read { r in
            try r.registers(.promotion).map { id, fields in
                var register = try PromotionRegister(fields: fields)
                let ended = register.ended == true
                register.ended = nil  // read the rule of an ended promotion too
                return PromotionDetail(
                    id: id, name: register.name ?? id, ended: ended, promotion: register.promotion(id: id))
            }.sorted { ($0.ended ? 1 : 0, $0.id) < ($1.ended ? 1 : 0, $1.id) }
        }
    }

    /// Every coupon with its definition and usage, by code (`coupon list` with the definitions).
    public func couponDetails() throws(NodeError) -> [CouponDetail] {
        let now = store.wallNow()
        return try read { r in
            try r.registers(.coupon).map { code, fields in
                let register = try CouponRegister(fields: fields)
                return CouponDetail(
                    coupon: register.coupon(code: code), usage: try Self.usage(of: code, fields, r, now: now),
                    giveOnSpendCents: register.giveOnSpend?.cents)
            }.sorted { $0.usage.code < $1.usage.code }
        }
    }
}
