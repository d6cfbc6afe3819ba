import Commerce
import Foundation
import Hummingbird
import Node

/// The coupons page: coupons the member may claim (holders-only coupons open for claiming,
/// see ``MemberSelfService/coupons()``) with a claim button each, and the coupons they hold with
/// their state (unused, used, expired) and minimum spend.
extension MallFace {
    func addCouponRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/coupons") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let coupons = try await blocking { try me.coupons() }
            let claimed = request.uri.queryParameters.get("claimed").map { String($0) }
            return couponsPage(request, signed, coupons, claimed: claimed)
        }
        memberForm(router, "/mall/coupons/claim", back: "/mall/coupons") { form, me in
            let code = String((form["code"] ?? "").prefix(80))
            _ = try me.claimCoupon(code: code)
            return "/mall/coupons?claimed=" + code
        }
    }

    /// What a coupon takes off, in the member's words (its minimum spend apart).
    static func couponTerms(_ c: Coupon, _ t: [String: String], zh: Bool) -> String {
        switch c.kind {
        case .amountOff(let cents): return zh ? "减 ¥\(Money(cents: cents).yuan)" : "¥\(Money(cents: cents).yuan) off"
        case .percentOff(let percent, let cap):
            let capped = cap.map { zh ? "，最多减 ¥\(Money(cents: $0).yuan)" : ", at most ¥\(Money(cents: $0).yuan)" } ?? ""
            return (zh ? "减 \(percent)%" : "\(percent)% off") + capped
        case .freeItem(let sku, let units): return zh ? "赠 \(sku) ×\(units)" : "\(units) × \(sku) free"
        case .freeShipping: return t["benefit_free_shipping"] ?? ""
        }
    }

    /// The minimum spend of a coupon, or "no minimum".
    static func minSpend(_ cents: Int64, _ t: [String: String], zh: Bool) -> String {
        guard cents > 0 else { return t["coupon_no_min_spend"] ?? "" }
        return zh ? "满 ¥\(Money(cents: cents).yuan) 可用" : "min spend ¥\(Money(cents: cents).yuan)"
    }

    func couponsPage(_ request: Request, _ signed: MallRequest, _ c: MemberCoupons, claimed: String?) -> Response {
        let t = MallText.catalog(signed.language)
        let zh = signed.language == .zh
        func ends(_ at: Int64?) -> String {
            at.map { (t["coupon_valid_until"] ?? "") + " " + Self.shanghaiTime($0) } ?? (t["coupon_no_end"] ?? "")
        }
        let states = ["active": "unused", "used": "used", "expired": "expired"]
        return page(request, signed, title: t["my_coupons"] ?? "") {
            MallTemplates.render(
                "mall_coupons",
                [
                    "t": t, "csrf": signed.session.csrf,
                    "claimed": claimed.flatMap { code in c.held.first { $0.held.code == code }?.held.code } ?? false,
                    "claimable": c.claimable.map { k in
                        [
                            "code": k.coupon.code, "terms": Self.couponTerms(k.coupon, t, zh: zh),
                            "min_spend": Self.minSpend(k.coupon.minSpendCents, t, zh: zh),
                            "ends": ends(k.coupon.endsAt),
                        ]
                    },
                    "held": c.held.map { h in
                        let state = states[h.held.status] ?? h.held.status
                        return [
                            "code": h.held.code, "state": state, "state_label": t["coupon_" + state] ?? state,
                            "terms": h.coupon.map { Self.couponTerms($0, t, zh: zh) }
                                ?? (zh
                                    ? "减 ¥\(Money(cents: h.held.amount_cents).yuan)"
                                    : "¥\(Money(cents: h.held.amount_cents).yuan) off"),
                            "min_spend": Self.minSpend(h.held.min_spend_cents, t, zh: zh),
                            "min_spend_cents": String(h.held.min_spend_cents), "ends": ends(h.held.ends_at),
                        ]
                    },
                ])
        }
    }
}
