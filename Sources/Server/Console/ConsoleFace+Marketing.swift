import Commerce
import Foundation
import Hummingbird
import Node

/// `/console/marketing`: promotions with their rules in the page's language (`PricingText`),
/// ending one (`promo end`), adding a 满减 or a percent-off promotion (`promo add`); coupons
/// with their rules and usage (`coupon list`), defining one (`coupon define`), issuing one to a
/// member group (`coupon issue --group`); and the effect of each on sales (`report
/// promotions`), also as CSV.
extension ConsoleFace {
    func addMarketingRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/console/marketing") { request, _ in
            try await catalogScreen(request, .marketing) { signed in
                let t = ConsoleText.catalog(signed.language)
                let context = try marketingContext(signed, t)
                return page(request, signed, .marketing, title: t["marketing"] ?? "") {
                    ConsoleTemplates.render("marketing", context)
                }
            }
        }
        router.get("/console/marketing/effect.csv") { request, _ in
            try await catalogScreen(request, .marketing) { signed in
                CSV.response(
                    [["kind", "id", "name", "orders", "discount", "net_sales"]]
                        + (try signed.node.reports.promotionEffect()).map {
                            [
                                $0.kind, $0.id, $0.name, String($0.orders), CSV.yuan($0.discount_cents),
                                CSV.yuan($0.net_cents),
                            ]
                        }, name: "promotion-effect")
            }
        }
        router.post("/console/marketing/promotions/end") { request, _ in
            try await catalogAction(request, .marketing) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                _ = try signed.node.marketing.endPromotion(id: try f.required("id", max: 64))
                return "/console/marketing"
            }
        }
        router.post("/console/marketing/promotions") { request, _ in
            try await catalogAction(request, .marketing) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let id = try f.code("id")
                let name = try f.required("name", max: 100)
                switch form["rule"] {
                case "spend_save":
                    let tiers: [Promotion.Tier]
                    do {
                        tiers = try Promotion.Tier.list(parsing: try f.required("tiers", max: 500), field: "tiers")
                    } catch {
                        throw f.refuse(
                            "tiers", zh: "必须写成 满:减（元），多档用逗号分隔，且 0 < 减 ≤ 满，如 100:10,200:25",
                            en: "must be SPEND:SAVE in yuan, comma-separated, with 0 < SAVE ≤ SPEND (100:10,200:25)")
                    }
                    _ = try signed.node.marketing.addSpendSavePromotion(id: id, name: name, tiers: tiers)
                case "percent":
                    let percent = try f.integer("percent", 1...99)
                    let skus = (try f.optional("skus", max: 2000) ?? "").split(whereSeparator: {
                        $0 == "," || $0.isWhitespace
                    })
                    .map(String.init)
                    for sku in skus where SKUCode(sku) == nil {
                        throw f.refuse(
                            "skus", zh: "必须是以逗号分隔的商品编码（“\(sku)”不是）",
                            en: "must be SKU codes separated by commas (not '\(sku)')")
                    }
                    _ = try signed.node.marketing.addPercentPromotion(id: id, name: name, percent: percent, skus: skus)
                default:
                    throw f.refuse("rule", zh: "必须是满减或折扣", en: "must be spend_save or percent")
                }
                return "/console/marketing"
            }
        }
        router.post("/console/marketing/coupons") { request, _ in
            try await catalogAction(request, .marketing) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let code = try f.code("code")
                let kind: Coupon.Kind
                switch form["kind"] {
                case "amount": kind = .amountOff(cents: try f.money("amount", positive: true).cents)
                case "percent":
                    kind = .percentOff(
                        percent: try f.integer("percent", 1...99), capCents: try f.optionalMoney("cap")?.cents)
                default: throw f.refuse("kind", zh: "必须是满减券或折扣券", en: "must be amount or percent")
                }
                let offset = try signed.node.dayOffsetMillis()
                let starts = try f.instant("starts", offsetMillis: offset)
                let ends = try f.instant("ends", offsetMillis: offset)
                if let starts, let ends, starts >= ends {
                    throw f.refuse("ends", zh: "必须晚于开始时间", en: "must be after the start")
                }
                let coupon = Coupon(
                    code: code, kind: kind, minSpendCents: try f.optionalMoney("min_spend")?.cents ?? 0,
                    startsAt: starts, endsAt: ends, singleUse: form["multi_use"] != "1")
                _ = try signed.node.marketing.define(coupon, holdersOnly: form["holders_only"] == "1")
                return "/console/marketing"
            }
        }
        router.post("/console/marketing/coupons/issue") { request, _ in
            try await catalogAction(request, .marketing) { signed, form in
                let f = ConsoleCatalogForm(form, signed.language)
                let code = try f.required("code", max: 64)
                let group = try f.optional("group", max: 64)
                let members = try f.lines("members", max: 8000).flatMap { $0.split(separator: ",") }.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                guard group != nil || !members.isEmpty else {
                    throw f.refuse("group", zh: "请选择会员分组或填写会员编号", en: "choose a member group or give member ids")
                }
                _ = try signed.node.marketing.issueCoupon(code: code, members: members, group: group)
                return "/console/marketing"
            }
        }
    }

    /// The marketing page's data: promotions, coupons, member groups and the effect table.
    func marketingContext(_ signed: ConsoleRequest, _ t: [String: String]) throws(NodeError) -> [String: Any] {
        let language: Language = signed.language == .zh ? .chinese : .english
        let offset = try signed.node.dayOffsetMillis()
        let now = signed.node.store.wallNow()
        func when(_ millis: Int64?) -> String {
            millis.map { ConsoleCatalogForm.localText($0, offsetMillis: offset) } ?? "—"
        }
        // The effect is a report (`see_reports`); a role without it sees the rules only.
        let effect = signed.may(.seeReports) ? try signed.node.reports.promotionEffect() : []
        let bySource = Dictionary(effect.map { ("\($0.kind):\($0.id)", $0) }, uniquingKeysWith: { a, _ in a })
        func effectCells(_ source: String) -> [String: Any] {
            let e = bySource[source]
            return [
                "orders": e?.orders ?? 0, "discount": HTML.yuan(e?.discount_cents ?? 0),
                "net": HTML.yuan(e?.net_cents ?? 0),
            ]
        }
        let promotions: [[String: Any]] = try signed.node.marketing.promotionDetails().map { d in
            let p = d.promotion
            let status: String
            if d.ended || (p?.endsAt.map { now >= $0 } ?? false) {
                status = "mkt_ended"
            } else if let starts = p?.startsAt, now < starts {
                status = "mkt_not_started"
            } else {
                status = "mkt_running"
            }
            return [
                "id": d.id, "name": d.name, "rule": p.map { PricingText.rule($0.rule, in: language) } ?? "?",
                "audience": p.flatMap { PricingText.audience($0.audience, in: language) } ?? t["mkt_everyone"] ?? "",
                "exclusive": p?.exclusive ?? false,
                "window": p?.startsAt == nil && p?.endsAt == nil
                    ? t["mkt_always"] ?? "" : "\(when(p?.startsAt)) – \(when(p?.endsAt))",
                "status": t[status] ?? status, "running": status == "mkt_running" || status == "mkt_not_started",
                "effect": effectCells("promotion:\(d.id)"),
            ]
        }
        let groups = try signed.node.members.groups()
        let coupons: [[String: Any]] = try signed.node.marketing.couponDetails().map { d in
            let u = d.usage
            return [
                "code": u.code, "rule": d.coupon.map { PricingText.coupon($0, in: language) } ?? "?",
                "audience": d.coupon.flatMap { PricingText.audience($0.audience, in: language) } ?? false,
                "holders": u.holders_only, "single": u.single_use, "issued": u.issued, "claimed": u.claimed,
                "used": u.used, "expired": u.expired, "leaked": u.leaked, "status": t["mkt_\(u.status)"] ?? u.status,
                "ends": d.coupon?.endsAt.map { "\(t["mkt_until"] ?? "") \(when($0))" } ?? t["mkt_always"] ?? "",
                "issuable": u.holders_only && u.status == "active",
                "giveOnSpend": d.giveOnSpendCents.map { HTML.yuan($0) } ?? false,
                "effect": effectCells("coupon:\(u.code)"),
            ]
        }
        let others: [[String: Any]] = effect.filter { $0.kind != "promotion" && $0.kind != "coupon" }.map {
            [
                "kind": $0.kind, "id": $0.id, "orders": $0.orders, "discount": HTML.yuan($0.discount_cents),
                "net": HTML.yuan($0.net_cents),
            ]
        }
        return [
            "t": t, "csrf": signed.session.csrf, "promotions": promotions, "noPromotions": promotions.isEmpty,
            "coupons": coupons, "noCoupons": coupons.isEmpty, "others": others, "hasOthers": !others.isEmpty,
            "groups": groups.map { ["id": $0.id, "name": $0.name] }, "hasGroups": !groups.isEmpty,
        ]
    }
}
