import Commerce
import Foundation
import Hummingbird
import Node
import Replication

/// The cart: a member's lines (central only), quantities changed or removed, priced by the
/// pricing engine with its explanation (each promotion and threshold, member price, shipping,
/// the points cap, how much more reaches the next 满减 tier).
extension MallFace {
    func addCartRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/cart") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let priced = try await blocking { try me.quoteCart() }
            let t = MallText.catalog(signed.language)
            let explain = Self.explanation(priced, signed.language, t)
            return page(request, signed, title: t["nav_cart"] ?? "") {
                MallTemplates.render(
                    "mall_cart",
                    [
                        "t": t, "csrf": signed.session.csrf, "lines": Self.cartRows(priced, t),
                        "empty": priced.lines.isEmpty,
                        "explain": explain, "has_explain": !explain.isEmpty,
                        "refusal": priced.refusal.map { MallText.sentence($0, signed.language) } ?? false,
                        "total": Money(cents: priced.quote?.total.cents ?? 0).yuan,
                        "shipping": Money(cents: priced.quote?.shipping.cents ?? 0).yuan,
                        "can_checkout": priced.quote != nil && priced.refusal == nil,
                    ])
            }
        }
        router.post("/mall/cart/add") { request, _ in
            let form = try await Form.read(request)
            let product = form["product"].flatMap { SKUCode($0) != nil ? $0 : nil }
            guard let (signed, me) = try await member(request) else {
                return redirect(
                    "/mall/login?next=" + Self.queryEncoded(product.map { "/mall/products/" + $0 } ?? "/mall/cart"))
            }
            let back = product.map { "/mall/products/" + $0 } ?? "/mall/cart"
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: back) }
            do {
                let quantity = try Self.quantity(form["qty"])
                let sku = form["sku"] ?? ""
                _ = try await blocking { try me.addToCart(sku: sku, quantity: quantity) }
                return redirect(form["buy"] == "now" ? "/mall/checkout" : "/mall/cart")
            } catch let error as NodeError {
                return refusal(request, signed, error, back: back)
            }
        }
        router.post("/mall/cart/update") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let form = try await Form.read(request)
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/cart") }
            do {
                let sku = form["sku"] ?? ""
                if form["remove"] != nil {
                    try await blocking { try me.removeFromCart(sku: sku) }
                } else {
                    let quantity = try Self.quantity(form["qty"], allowZero: true)
                    try await blocking { try me.setCartQuantity(sku: sku, quantity: quantity) }
                }
                return redirect("/mall/cart")
            } catch let error as NodeError {
                return refusal(request, signed, error, back: "/mall/cart")
            }
        }
    }

    static let qtyField: Field = "qty"

    /// A quantity from a form: whole units, 1–999 (0 too when it removes a line).
    static func quantity(_ text: String?, allowZero: Bool = false) throws(NodeError) -> Int64 {
        guard let text, text.utf8.count <= 4, let n = Int64(text.trimmingCharacters(in: .whitespaces)),
            (allowZero ? 0 : 1)...CartPolicy.maxQuantity ~= n
        else {
            throw NodeError(.invalidInput, "\(qtyField) must be between 1 and \(CartPolicy.maxQuantity)")
        }
        return n
    }

    /// The cart's lines for a template: name, quantity, list price, the line's discount and
    /// net from the quote, stock of the online warehouse.
    static func cartRows(_ priced: CartQuote, _ t: [String: String]) -> [[String: Any]] {
        priced.lines.enumerated().map { index, line in
            let quoted = priced.quote?.lines.first { $0.line == index + 1 && $0.sku == line.sku }
            let net = quoted.map { $0.unitPrice.cents * $0.quantity - $0.discount.cents }
            let stock = ShopStockStatus(available: line.available)
            return [
                "sku": line.sku, "name": line.name, "qty": String(line.quantity),
                "unit": line.listPrice.yuan, "href": "/mall/products/" + line.product,
                "net": Money(cents: net ?? line.listPrice.cents * line.quantity).yuan,
                "discount": (quoted?.discount.cents ?? 0) > 0 ? (quoted?.discount.yuan ?? "") : false,
                "off_shelf": !line.onShelf, "short": line.available < line.quantity,
                "stock": t["stock_" + stock.rawValue] ?? "",
            ]
        }
    }

    /// The pricing engine's explanation of a priced cart, one row per fact, in the reader's
    /// language: discounts (with their amounts), gifts, promotions that took nothing off (and
    /// how much more reaches a 满减 tier), shipping (free by level or coupon) and the points cap.
    static func explanation(_ priced: CartQuote, _ language: TillLanguage, _ t: [String: String]) -> [[String: Any]] {
        guard let quote = priced.quote else { return [] }
        let lang = language.language
        var rows: [[String: Any]] = []
        for d in quote.discounts {
            rows.append([
                "kind": "discount", "source": PricingText.source(d.source, in: lang),
                "text": PricingText.sentence(d.note, in: lang), "amount": "-¥" + Money(cents: d.amountCents).yuan,
            ])
        }
        for g in quote.gifts {
            rows.append([
                "kind": "gift", "source": PricingText.source(g.source, in: lang),
                "text": PricingText.sentence(g.note, in: lang), "amount": false,
            ])
        }
        for s in quote.skipped {
            var text = PricingText.sentence(s.note, in: lang)
            if case let .spendSaveBelowThreshold(threshold, save, has) = s.note, threshold > has {
                text +=
                    "；"
                    + fill(
                        t["more_for_tier"] ?? "",
                        ["more": Money(cents: threshold - has).yuan, "save": Money(cents: save).yuan])
            }
            rows.append([
                "kind": "skipped", "source": PricingText.source(s.source, in: lang), "text": text, "amount": false,
            ])
        }
        if priced.standardShippingFee.cents > 0 {
            let text: String
            if quote.shippingFee.cents == 0 {
                text = fill(t["free_shipping_level"] ?? "", ["fee": priced.standardShippingFee.yuan])
            } else if quote.shipping.cents == 0 {
                text = fill(t["free_shipping_coupon"] ?? "", ["fee": quote.shippingFee.yuan])
            } else {
                text = fill(t["shipping_charged"] ?? "", ["fee": quote.shipping.yuan])
            }
            rows.append(["kind": "shipping", "source": t["shipping"] ?? "", "text": text, "amount": false])
        }
        if priced.pointsCap > 0 {
            rows.append([
                "kind": "points", "source": t["points"] ?? "",
                "text": fill(
                    t["points_cap"] ?? "",
                    [
                        "cap": String(priced.pointsCap), "yuan": Money(cents: priced.pointsCap).yuan,
                        "balance": String(priced.pointsBalance),
                    ]),
                "amount": priced.points > 0 ? "-¥" + Money(cents: priced.points).yuan : false,
            ])
        }
        return rows
    }

    /// A text entry with `{name}` placeholders filled.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
