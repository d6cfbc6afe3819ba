import Commerce

/// Builders for the pricing tests: cart lines, promotions and coupons with readable defaults.
public enum PricingFixture {
    /// A cart line named after its SKU.
    public static func item(
        _ sku: String, _ quantity: Int64, _ priceCents: Int64, category: String? = nil
    ) -> PricingEngine.Item {
        PricingEngine.Item(
            sku: sku, name: "name of \(sku)", quantity: quantity, unitPrice: Money(cents: priceCents),
            category: category.flatMap { CategoryPath($0) })
    }

    /// A promotion called "promo <id>" unless named.
    public static func promo(
        _ id: String, _ rule: Promotion.Rule, name: String? = nil, exclusive: Bool = false,
        audience: Audience = .everyone, starts: Int64? = nil, ends: Int64? = nil
    ) -> Promotion {
        Promotion(
            id: id, name: name ?? "promo \(id)", rule: rule, startsAt: starts, endsAt: ends, exclusive: exclusive,
            audience: audience)
    }

    /// A coupon of `kind` with a minimum spend and the items it applies to.
    public static func coupon(_ code: String, _ kind: Coupon.Kind, min: Int64 = 0, scope: ItemScope = .all) -> Coupon {
        Coupon(code: code, kind: kind, minSpendCents: min, scope: scope)
    }
}
