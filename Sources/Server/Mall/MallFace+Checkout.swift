import Commerce
import Foundation
import Hummingbird
import Node
import Replication
import Storage

/// Checkout: the ship-to address (one of the member's, or typed when the book is empty), the
/// shipping fee as the pricing engine charges it (free by level or by coupon), a coupon the
/// member holds or a typed code, points (capped as the order caps them), and the totals. One
/// form: "recalculate" prices it again, "place order" creates the online order (pending, stock
/// reserved) and goes to its payment page. A hidden one-time token makes a repeated submit
/// answer with the same order.
extension MallFace {
    func addCheckoutRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/checkout") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            return try await checkoutPage(request, signed, me, CheckoutForm(), token: Tokens.generate(), error: nil)
        }
        router.post("/mall/checkout") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let form = try await Form.read(request)
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: "/mall/checkout") }
            let fields = CheckoutForm(form)
            let token = String((form["checkout_token"] ?? "").prefix(64))
            do {
                let checkout = try fields.request(token: token, via: Self.referral(request))
                if form["action"] == "update" {
                    return try await checkoutPage(request, signed, me, fields, token: token, error: nil)
                }
                let order = try await blocking { try me.placeOrder(checkout) }
                return redirect("/mall/orders/\(order)/pay")
            } catch let error as NodeError {
                return try await checkoutPage(
                    request, signed, me, fields, token: token.isEmpty ? Tokens.generate() : token,
                    error: (MallText.sentence(error, signed.language), error.status))
            }
        }
    }

    /// The referral code the phone arrived by (the link's cookie), when it has a code's shape.
    static func referral(_ request: Request) -> String? {
        guard let code = cookie(request, referralCookie), MemberSelfService.referralCodeShape(code) else { return nil }
        return code
    }

    /// What the checkout form holds, as typed.
    struct CheckoutForm: Sendable {
        var address = ""
        var shipName = ""
        var shipPhone = ""
        var shipAddress = ""
        var coupon = ""
        var couponCode = ""
        var points = ""

        init() {}

        init(_ form: Form) {
            let field = { (name: String, limit: Int) in String((form[name] ?? "").prefix(limit)) }
            address = field("address", 80)
            shipName = field("ship_name", 100)
            shipPhone = field("ship_phone", 40)
            shipAddress = field("ship_address", 400)
            coupon = field("coupon", 80)
            couponCode = field("coupon_code", 80).trimmingCharacters(in: .whitespaces)
            points = field("points", 20).trimmingCharacters(in: .whitespaces)
        }

        /// The coupon chosen: a typed code beats the list.
        var chosenCoupon: String? {
            let code = couponCode.isEmpty ? coupon : couponCode
            return code.isEmpty ? nil : code
        }

        func pointsValue() throws(NodeError) -> Int64 {
            guard !points.isEmpty else { return 0 }
            guard let n = Int64(points), n >= 0 else {
                throw NodeError(.invalidInput, "\(Field.points) must be a whole number of points, 0 or more")
            }
            return n
        }

        func request(token: String, via: String?) throws(NodeError) -> CheckoutRequest {
            if let code = chosenCoupon, SKUCode(code) == nil {
                throw NodeError(.invalidInput, "\(Field.coupon) '\(code)' is not a coupon code")
            }
            let shipTo: ShipTo =
                address.isEmpty
                ? .typed(AddressInput(name: shipName, phone: shipPhone, address: shipAddress)) : .saved(id: address)
            return CheckoutRequest(
                shipTo: shipTo, coupon: chosenCoupon, points: try pointsValue(), via: via, token: token)
        }
    }

    func checkoutPage(
        _ request: Request, _ signed: MallRequest, _ me: MemberSelfService, _ fields: CheckoutForm, token: String,
        error: (String, HTTPResponse.Status)?
    ) async throws -> Response {
        let node = self.node
        let coupon = fields.chosenCoupon
        let points = (try? fields.pointsValue()) ?? 0
        let (priced, addresses, held) = try await blocking {
            (
                try me.quoteCart(coupon: coupon, points: points), try me.addresses(),
                try node.marketing.coupons(heldBy: me.member).filter { $0.status == "active" }
            )
        }
        if priced.lines.isEmpty && error == nil { return redirect("/mall/cart") }
        let t = MallText.catalog(signed.language)
        let chosenAddress = fields.address.isEmpty ? addresses.first?.id : fields.address
        let explain = Self.explanation(priced, signed.language, t)
        let refusal = error?.0 ?? priced.refusal.map { MallText.sentence($0, signed.language) }
        let context: [String: Any] = [
            "t": t, "csrf": signed.session.csrf, "token": token,
            "lines": Self.cartRows(priced, t), "explain": explain, "has_explain": !explain.isEmpty,
            "addresses": addresses.map { a in
                [
                    "id": a.id, "label": "\(a.name) \(a.phone) \(a.address)", "selected": a.id == chosenAddress,
                ] as [String: Any]
            },
            "has_addresses": !addresses.isEmpty,
            "ship_name": fields.shipName, "ship_phone": fields.shipPhone, "ship_address": fields.shipAddress,
            "coupons": held.map { c in
                [
                    "code": c.code, "selected": c.code == coupon,
                    "label": c.code
                        + (c.amount_cents > 0 ? " -¥" + Money(cents: c.amount_cents).yuan : "")
                        + (c.min_spend_cents > 0
                            ? " " + Self.fill(t["min_spend"] ?? "", ["min": Money(cents: c.min_spend_cents).yuan]) : "")
                        ,
                ] as [String: Any]
            },
            "coupon_code": fields.couponCode, "points": fields.points,
            "points_cap": String(priced.pointsCap), "points_balance": String(priced.pointsBalance),
            "subtotal": Money(cents: priced.quote?.subtotal.cents ?? 0).yuan,
            "discount": Money(cents: priced.quote?.discountTotal.cents ?? 0).yuan,
            "shipping": Money(cents: priced.quote?.shipping.cents ?? 0).yuan,
            "points_off": Money(cents: priced.points).yuan,
            "total": priced.payable.yuan,
            "error": refusal ?? false,
        ]
        return page(request, signed, title: t["checkout"] ?? "", status: error?.1 ?? .ok) {
            MallTemplates.render("mall_checkout", context)
        }
    }
}
