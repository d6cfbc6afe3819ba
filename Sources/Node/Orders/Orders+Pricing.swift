import Commerce
import Replication
import Storage

/// Carts priced by the pricing engine with everything this node knows: list prices at the
/// time, promotions and member levels, the member's groups, the coupon and its holders, the
/// shipping fee of online orders.
extension Orders {
    /// Prices a cart with the pricing engine, as `order create` would, without selling.
    public func quote(_ req: OrderRequest) throws(NodeError) -> PricingEngine.Quote {
        let (lines, _) = try Self.parse(req)
        return try read { r in
            try price(lines, coupon: req.coupon, member: req.member, channel: req.channel, r, now: store.wallNow())
                .quote
        }
    }

    /// The quote of a cart, the member's level it was priced at (its points multiplier applies
    /// to the sale), and whether the coupon is holders-only (its use is a claim per holder).
    func price(
        _ lines: [LineRequest], coupon: String?, member: String?, channel: SalesChannel, _ r: StoreReader, now: Int64
    ) throws -> (quote: PricingEngine.Quote, level: MemberLevel?, holdersOnlyCoupon: Bool) {
        var items: [PricingEngine.Item] = []
        for l in lines {
            let sku = try Catalog.requireSKU(l.sku, r, at: now)
            guard sku.on_shelf else {
                throw NodeError(.conflict, "SKU \(l.sku) is off the shelf and cannot be sold")
            }
            items.append(
                .init(
                    sku: l.sku, name: sku.name, quantity: l.quantity, unitPrice: Money(cents: sku.price_cents),
                    category: sku.category.flatMap(CategoryPath.init)))
        }
        var level: MemberLevel?
        var groups: [String] = []
        if let member {
            guard try r.register(.member, member) != nil else {
                throw NodeError(.notFound, "member \(member) is unknown here; check the id or run `fenxiao sync`")
            }
            level = try Members.memberLevel(member, r)
            groups = try Members.memberGroups(member, r, now: now)
        }
        // Online orders pay the shipping fee unless the member's level ships free.
        let shipping = channel == .online && level?.free_shipping != true ? try Self.shippingFee(r) : 0
        let context = PricingContext(
            now: now, memberID: member, memberLevel: level?.id, memberGroups: groups, store: identity.node.rawValue,
            channel: channel, shippingFee: Money(cents: shipping))
        let promotions =
            try r.registers(.promotion).compactMap { Promotion(id: $0.id, fields: $0.fields) }
            + Members.memberLevels(r).compactMap(\.promotion)
        var couponDef: Coupon?
        var holdersOnlyCoupon = false
        if let coupon {
            let (c, holdersOnly) = try Marketing.couponRegister(coupon, r)
            holdersOnlyCoupon = holdersOnly
            if holdersOnly {
                guard let member, try Marketing.holds(member, coupon: coupon, r) else {
                    throw NodeError(
                        .conflict,
                        "coupon \(coupon) is for members who hold it; \(member.map { "\($0) does not" } ?? "give \(Field.member)")"
                    )
                }
                if try r.claimCount(Marketing.useKey(coupon, member: member, holdersOnly: true)) > 0 {
                    throw NodeError(.conflict, "member \(member) has already used coupon \(coupon)")
                }
            } else if c.singleUse, try r.claimCount("coupon:\(coupon)") > 0 {
                throw NodeError(.conflict, "coupon \(coupon) has already been used")
            }
            couponDef = c
        }
        let quote = PricingEngine.quote(items: items, promotions: promotions, coupon: couponDef, context: context)
        if let c = couponDef, quote.couponApplied == nil {
            var error = NodeError(
                .conflict, message: quote.couponRejection?.message ?? "coupon \(c.code) does not apply to this cart",
                field: .coupon)
            error.pricingNote = quote.couponRejection?.note
            throw error
        }
        return (quote, level, holdersOnlyCoupon)
    }
}
