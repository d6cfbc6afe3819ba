/// What the pricing engine says about a cart, as data: one case per kind of sentence, with the
/// values that sentence needs (amounts in fen, promotion names and ids, SKUs, line numbers,
/// scopes). The stages record these facts; faces render them in the reader's language
/// (`PricingText`), as conflicts are (`ConflictFacts`, `ConflictText`).
///
/// `Discount`, `Gift` and `Skipped` of a quote, and its `CouponRejection`, each carry one.
public enum PricingNote: Sendable, Equatable, Codable {
    // MARK: Discounts

    /// A line rule priced one line (`Flash sale: ¥9.90 each on line 1 (TEA-01 × 2)`); `level`
    /// names the member level when the rule is a level's discount (`Promotion.levelDiscount`).
    case lineRule(
        promotion: String, rule: LineRule, offer: LineOffer, line: Int, sku: String, quantity: Int64,
        level: String? = nil)
    /// A buy-N-get-M promotion discounted `freeUnits` units of its lines.
    case multiBuy(promotion: String, buy: Int64, get: Int64, percentOff: Int64, scope: ItemScope, freeUnits: Int64)
    /// A spend-save tier (满减) applied: spend `thresholdCents`, save `saveCents`.
    case spendSave(promotion: String, thresholdCents: Int64, saveCents: Int64)
    /// A fixed-amount coupon took `offCents` off the lines in `scope`.
    case couponAmountOff(code: String, offCents: Int64, scope: ItemScope)
    /// A percentage coupon took `percent` % of `ofCents` (the eligible net), capped at
    /// `cappedAtCents` when the cap bit.
    case couponPercentOff(code: String, percent: Int64, ofCents: Int64, scope: ItemScope, cappedAtCents: Int64?)
    /// A free-item coupon made `units` × `sku` free.
    case couponFreeItem(code: String, units: Int64, sku: String)
    /// A free-shipping coupon waived the fee.
    case couponFreeShipping(code: String, feeCents: Int64)

    // MARK: Gifts

    /// A gift with purchase (满赠) granted for reaching `thresholdCents` on `scope`.
    case gift(promotion: String, quantity: Int64, name: String, sku: String, thresholdCents: Int64, scope: ItemScope)

    // MARK: Promotions that took nothing off

    /// A member level's benefits were set aside: they would have raised the total.
    case levelSetAside(level: String)
    /// Member benefits were set aside: they would have raised the total.
    case memberBenefitsSetAside
    /// An exclusive promotion gave way to coupon `code`, which saves more.
    case exclusiveGaveWayToCoupon(code: String)
    /// A line rule's price is not below the list price of these lines (line numbers).
    case lineRuleNotBelowListPrice(lines: [Int])
    /// Another line rule prices these lines (line numbers) at least as low.
    case lineRuleBeaten(lines: [Int])
    /// A multi-buy promotion's lines went to these promotions (ids), better deals for them.
    case multiBuyLinesTaken(by: [String])
    /// A multi-buy promotion needs `needs` units of `scope`; the cart has `has` (after the
    /// promotions `takenBy` took their lines).
    case multiBuyTooFewUnits(needs: Int64, scope: ItemScope, has: Int64, takenBy: [String])
    /// The units a multi-buy promotion would discount are the ones coupon `code` makes free.
    case multiBuyUnitsFreedByCoupon(code: String)
    /// Nothing is left to take off the promotion's lines.
    case nothingLeftOnLines
    /// Nothing is left to take off the order.
    case nothingLeft
    /// A gift's threshold on `scope` is not reached: the cart's threshold base there is `hasCents`.
    case giftBelowThreshold(thresholdCents: Int64, scope: ItemScope, hasCents: Int64)
    /// No spend-save tier is reached: the lowest is spend `thresholdCents` save `saveCents`, the
    /// cart's threshold base is `hasCents`.
    case spendSaveBelowThreshold(thresholdCents: Int64, saveCents: Int64, hasCents: Int64)
    /// Spend-save promotion `by` (id) saves more; one applies per order.
    case spendSaveBeaten(by: String)

    // MARK: Coupon rejections

    case couponNotYetValid(code: String)
    case couponExpired(code: String)
    /// The coupon's audience refuses the customer, the store or the channel.
    case couponAudience(code: String, requirement: AudienceRequirement)
    /// An exclusive promotion (id) applied to the order and excludes coupons.
    case couponExcludedByPromotion(code: String, promotion: String)
    /// No line of the cart is in the coupon's scope.
    case couponNoEligibleItems(code: String, scope: ItemScope)
    /// A free-item coupon's SKU is not in the cart.
    case couponFreeItemMissing(code: String, sku: String)
    /// The eligible lines' threshold base (`hasCents`) is below the coupon's minimum spend.
    case couponBelowMinimumSpend(code: String, minSpendCents: Int64, scope: ItemScope, hasCents: Int64)
    /// The coupon would take nothing off this cart.
    case couponNothingToDiscount(code: String)

    /// Which kind of line rule priced a line.
    public enum LineRule: String, Sendable, Equatable, Codable {
        case percentOff, flashSale, memberPrice
    }

    /// What a line rule offered the line: a percentage off, a unit price, or (a per-SKU price
    /// list without this SKU) the listed prices.
    public enum LineOffer: Sendable, Equatable, Codable {
        case percentOff(Int64)
        case unitPrice(cents: Int64)
        case listedPrices
    }

    /// The condition of an audience a context failed, with its values.
    public enum AudienceRequirement: Sendable, Equatable, Codable {
        case membersOnly
        case memberLevels([String])
        case memberGroups([String])
        case stores([String])
        case channels([SalesChannel])
    }

    /// Why a coupon was refused, for the rejection cases (nil for the others).
    public var rejectionReason: CouponRejection.Reason? {
        switch self {
        case .couponNotYetValid: return .notYetValid
        case .couponExpired: return .expired
        case .couponAudience(_, let requirement):
            switch requirement {
            case .membersOnly: return .membersOnly
            case .memberLevels: return .memberLevel
            case .memberGroups: return .memberGroup
            case .stores: return .store
            case .channels: return .channel
            }
        case .couponExcludedByPromotion: return .excludedByPromotion
        case .couponNoEligibleItems, .couponFreeItemMissing: return .noEligibleItems
        case .couponBelowMinimumSpend: return .belowMinimumSpend
        case .couponNothingToDiscount: return .nothingToDiscount
        default: return nil
        }
    }
}
