import Commerce
import Foundation
import Hummingbird
import Node

/// The points page: balance with expiry, the points rules, the history (the entries of
/// `fenxiao points history`) and the points catalog with an exchange button per item.
extension MallFace {
    func addPointsRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/points") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let points = try await blocking { try me.pointsPage() }
            let exchanged = request.uri.queryParameters.get("exchanged").map { String($0) }
            return pointsPage(request, signed, points, exchanged: exchanged)
        }
        memberForm(router, "/mall/points/exchange", back: "/mall/points") { form, me in
            let item = String((form["item"] ?? "").prefix(100))
            _ = try me.exchangePoints(item: item)
            return "/mall/points?exchanged="
                + (item.addingPercentEncoding(withAllowedCharacters: Self.codeCharacters) ?? "")
        }
    }

    /// The element id of an item's exchange button: `exchange-sku-TEA-01` for `sku:TEA-01`.
    static func exchangeID(_ item: String) -> String {
        "exchange-" + item.replacingOccurrences(of: ":", with: "-")
    }

    func pointsPage(_ request: Request, _ signed: MallRequest, _ p: MemberPoints, exchanged: String?) -> Response {
        let t = MallText.catalog(signed.language)
        let zh = signed.language == .zh
        let s = p.settings
        var rules: [String] = [
            zh ? "积分最多抵扣订单金额的 \(s.cap_percent)%" : "points pay at most \(s.cap_percent) % of an order",
            s.expiry_days.map { zh ? "积分自获得之日起 \($0) 天后过期" : "points expire \($0) days after they were earned" }
                ?? (zh ? "积分永不过期" : "points never expire"),
        ]
        if s.share_points > 0, s.share_daily_limit > 0 {
            rules.append(
                zh
                    ? "分享商品得 \(s.share_points) 积分，每天最多 \(s.share_daily_limit) 次"
                    : "sharing a product earns \(s.share_points) points, \(s.share_daily_limit) times a day")
        }
        let offer = exchanged.flatMap { item in p.catalog.first { $0.item == item } }
        return page(request, signed, title: t["my_points"] ?? "") {
            MallTemplates.render(
                "mall_points",
                [
                    "t": t, "csrf": signed.session.csrf, "available": String(p.points.available),
                    "expiring": String(p.points.expiring_soon), "expired": String(p.points.expired),
                    "expiring_by": p.expiringBy ?? false,
                    "has_expiring": p.expiringBy != nil,
                    "lifetime": String(p.points.lifetime_earned), "rules": rules,
                    "exchanged": offer.map {
                        zh ? "已兑换：\($0.name)（\($0.points) 积分）" : "Exchanged: \($0.name) (\($0.points) points)"
                    }
                        ?? false,
                    "entries": p.history.map { e in
                        [
                            "id": e.id, "at": Self.shanghaiTime(e.at_ms), "reason": Self.reason(e.reason, t),
                            "delta": Self.signed(e.delta), "ref": e.ref ?? "",
                        ]
                    },
                    "items": p.catalog.map { o in
                        [
                            "item": o.item, "button": Self.exchangeID(o.item), "name": o.name,
                            "points": String(o.points),
                            "what": o.coupon.map { Self.couponTerms($0, t, zh: zh) } ?? (t["item_at_counter"] ?? ""),
                            "short": o.points > p.points.available,
                        ] as [String: Any]
                    },
                ])
        }
    }
}
