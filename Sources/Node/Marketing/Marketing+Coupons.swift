import Commerce
import Foundation
import Replication
import Storage

/// A coupon as defined: its code and its register (amount, conditions, who may use it).
public struct DefinedCoupon: Sendable, Equatable {
    public var code: String
    public var coupon: CouponRegister

    /// The register's fields with the code, as the CLI prints them.
    public var fields: Fields { coupon.fields.merging(["code": .string(code)]) { $1 } }
}

extension Marketing {
    /// Defines a coupon of any kind with its conditions (central only). A `holdersOnly` coupon
    /// is used only by members it was issued to, claimed by, or given to (once each);
    /// `giveOnSpendCents` gives it at checkout to members whose order reaches that total.
    public func define(_ coupon: Coupon, holdersOnly: Bool = false, giveOnSpendCents: Int64? = nil) throws(NodeError)
        -> DefinedCoupon
    {
        try requireCentral("defining coupons")
        guard SKUCode(coupon.code) != nil else {
            throw NodeError(.invalidInput, "coupon code '\(coupon.code)' must be letters, digits, '-' or '_'")
        }
        let definition: JSONValue
        do { definition = try definitionField(coupon) } catch {
            throw NodeError(.invalidInput, "cannot encode the coupon: \(error)")
        }
        if let giveOnSpendCents, giveOnSpendCents < 0 || !holdersOnly {
            throw NodeError(.invalidInput, "\(Field.giveOnSpend) needs \(Field.holdersOnly) and a non-negative amount")
        }
        let register = CouponRegister(
            singleUse: coupon.singleUse, definition: definition, holdersOnly: holdersOnly,
            giveOnSpend: giveOnSpendCents.map(Money.init(cents:)))
        return try write(.marketing, "coupon.define") { tx in
            try tx.emit(.coupon, entity: coupon.code, fields: register.fields, scope: .global)
            return DefinedCoupon(code: coupon.code, coupon: register)
        }
    }

    /// Defines a coupon (central only): a fixed amount off, with a minimum spend, single-use by default.
    public func defineCoupon(code: String, amount: Money, minSpend: Money?, singleUse: Bool) throws(NodeError)
        -> DefinedCoupon
    {
        try requireCentral("defining coupons")
        guard SKUCode(code) != nil else {
            throw NodeError(.invalidInput, "coupon code '\(code)' must be letters, digits, '-' or '_'")
        }
        guard amount.cents > 0 else {
            throw NodeError(.invalidInput, "coupon \(Field.amount) \(amount.yuan) must be a positive amount in yuan")
        }
        if let minSpend, minSpend.cents < 0 {
            throw NodeError(.invalidInput, "\(Field.minSpend) \(minSpend.yuan) must be an amount in yuan")
        }
        let register = CouponRegister(amount: amount, minSpend: minSpend ?? .zero, singleUse: singleUse)
        return try write(.marketing, "coupon.define") { tx in
            try tx.emit(.coupon, entity: code, fields: register.fields, scope: .global)
            return DefinedCoupon(code: code, coupon: register)
        }
    }
}
