import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Testing

/// The console's marketing screen over HTTP on a real central (ConsoleShop, where member M9
/// bought mugs): promotions and coupons with their rules in Chinese, the forms calling the
/// same use cases as `fenxiao promo` and `fenxiao coupon`, issuing a coupon to a member group,
/// the effect of each on sales equal to `reports.promotionEffect`, CSRF and permissions.
@Suite struct ConsoleMarketingTests {
    func withConsole(_ body: @Sendable (ConsoleBrowser, FenxiaoNode) async throws -> Void) async throws {
        let dir = TempDirectory("console-marketing")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let boss = central.acting(as: "boss")
        _ = try boss.marketing.addSpendSavePromotion(
            id: "MJ", name: "双十二满减",
            tiers: [
                Promotion.Tier(thresholdCents: 10000, saveCents: 1000),
                Promotion.Tier(thresholdCents: 20000, saveCents: 2500),
            ])
        _ = try boss.marketing.defineCoupon(code: "C5", amount: Money(cents: 500), minSpend: nil, singleUse: false)
        // ¥135.00 of mugs: 满100减10, then coupon C5.
        _ = try boss.orders.create(OrderRequest(lines: [.line("MUG-01", 3)], coupon: "C5", pay: .card))
        _ = try boss.members.defineGroup(
            id: "BUYERS", name: "近期购买", minSpend: nil, minOrders: 1, days: 30, region: nil)
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            _ = try await browser.logIn("hana", "hana-pass-1")
            try await body(browser, central)
        }
    }

    @Test func thePageShowsRulesInChineseAndTheEffectOfEachOnSales() async throws {
        try await withConsole { browser, central in
            let page = try await browser.get("/console/marketing")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>营销</h1>"))
            let mj = try #require(page.body.range(of: #"<tr data-promotion="MJ">"#))
            let row = String(page.body[mj.lowerBound...].prefix(3000).split(separator: "</tr>")[0])
            #expect(row.contains("满100减10、满200减25") && row.contains("进行中"))
            let effect = try central.acting(as: "boss").reports.promotionEffect()
            let promotion = try #require(effect.first { $0.id == "MJ" })
            #expect(promotion.orders == 1 && promotion.discount_cents == 1000 && promotion.net_cents == 12000)
            #expect(row.contains(#"<td class="num" data-label="使用订单数">1</td>"#))
            #expect(row.contains("¥10.00") && row.contains("¥120.00"))
            let c5 = try #require(page.body.range(of: #"<tr data-coupon="C5">"#))
            let couponRow = String(page.body[c5.lowerBound...].prefix(1500))
            #expect(couponRow.contains("减 ¥5.00") && couponRow.contains("¥120.00"))
            let csv = try await browser.get("/console/marketing/effect.csv")
            #expect(csv.body.hasPrefix("\u{FEFF}kind,id,name,orders,discount,net_sales\r\n"))
            #expect(csv.body.contains("\r\npromotion,MJ,双十二满减,1,10.00,120.00\r\n"))
            #expect(csv.body.contains("\r\ncoupon,C5,C5,1,5.00,120.00\r\n"))
            #expect(try await browser.get("/console/marketing?lang=en").body.contains("spend ¥100.00 save ¥10.00"))
        }
    }

    @Test func promotionsAreAddedAndEndedAsTheCLIDoes() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/marketing")
            let added = try await browser.post(
                "/console/marketing/promotions",
                [("csrf", csrf), ("rule", "spend_save"), ("id", "MJ2"), ("name", "满300减40"), ("tiers", "300:40")])
            #expect(added.location == "/console/marketing")
            let mj2 = try #require(try central.marketing.promotionDetails().first { $0.id == "MJ2" })
            #expect(mj2.promotion?.rule == .spendSave(tiers: [Promotion.Tier(thresholdCents: 30000, saveCents: 4000)]))
            _ = try await browser.post(
                "/console/marketing/promotions",
                [
                    ("csrf", csrf), ("rule", "percent"), ("id", "TEA9"), ("name", "茶九折"), ("percent", "10"),
                    ("skus", "TEA-01"),
                ])
            let tea = try #require(try central.marketing.promotionDetails().first { $0.id == "TEA9" })
            #expect(tea.promotion?.rule == .percentOff(percent: 10, skus: ["TEA-01"]))
            #expect(try await browser.get("/console/marketing").body.contains("9折（限 TEA-01）"))
            _ = try await browser.post("/console/marketing/promotions/end", [("csrf", csrf), ("id", "MJ")])
            #expect(try central.marketing.promotionDetails().first { $0.id == "MJ" }?.ended == true)
            let audit = try central.acting(as: "boss").access.auditLog(user: "hana")
            #expect(audit.contains { $0.action == "promotion.publish" && $0.subject == "MJ2" })
            #expect(audit.contains { $0.action == "promotion.end" })
        }
    }

    @Test func aCouponIsDefinedAndIssuedToAMemberGroup() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/marketing")
            let defined = try await browser.post(
                "/console/marketing/coupons",
                [
                    ("csrf", csrf), ("code", "VIP20"), ("kind", "amount"), ("amount", "20"), ("min_spend", "100"),
                    ("holders_only", "1"),
                ])
            #expect(defined.location == "/console/marketing")
            let vip = try #require(try central.marketing.couponDetails().first { $0.usage.code == "VIP20" })
            #expect(vip.coupon?.kind == .amountOff(cents: 2000) && vip.coupon?.minSpendCents == 10000)
            #expect(vip.usage.holders_only && vip.usage.issued == 0)
            let page = try await browser.get("/console/marketing")
            #expect(page.body.contains("满 ¥100.00 减 ¥20.00") && page.body.contains(#"<option value="BUYERS">"#))
            let issued = try await browser.post(
                "/console/marketing/coupons/issue", [("csrf", csrf), ("code", "VIP20"), ("group", "BUYERS")])
            #expect(issued.location == "/console/marketing")
            #expect(try central.acting(as: "boss").members.groupMembers("BUYERS") == ["M9"])
            #expect(try central.marketing.coupons().first { $0.code == "VIP20" }?.issued == 1)
            let byId = try await browser.post(
                "/console/marketing/coupons/issue", [("csrf", csrf), ("code", "VIP20"), ("members", "A, B")])
            #expect(byId.status == .seeOther)
            #expect(try central.marketing.coupons().first { $0.code == "VIP20" }?.issued == 3)
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndChangesNothing() async throws {
        try await withConsole { browser, central in
            let csrf = try await browser.csrf("/console/marketing")
            let promotions = try central.marketing.promotionDetails()
            let coupons = try central.marketing.coupons()
            let cases: [(String, [(String, String)], String)] = [
                (
                    "/console/marketing/promotions",
                    [("rule", "spend_save"), ("id", "X"), ("name", "x"), ("tiers", "100:200")], "满减档位"
                ),
                (
                    "/console/marketing/promotions",
                    [("rule", "spend_save"), ("id", "a b"), ("name", "x"), ("tiers", "100:10")], "编号（id）"
                ),
                (
                    "/console/marketing/promotions",
                    [("rule", "percent"), ("id", "X"), ("name", "x"), ("percent", "100")], "折扣百分比"
                ),
                (
                    "/console/marketing/promotions",
                    [("rule", "percent"), ("id", "X"), ("name", "x"), ("percent", "-5")], "折扣百分比"
                ),
                (
                    "/console/marketing/promotions",
                    [("rule", "percent"), ("id", "X"), ("name", ""), ("percent", "5")], "名称（name）"
                ),
                ("/console/marketing/coupons", [("code", "Y"), ("kind", "amount"), ("amount", "0")], "减免金额"),
                ("/console/marketing/coupons", [("code", "Y"), ("kind", "amount"), ("amount", "-3")], "减免金额"),
                (
                    "/console/marketing/coupons", [("code", "Y"), ("kind", "amount"), ("amount", "99999999999999")],
                    "减免金额"
                ),
                ("/console/marketing/coupons", [("code", "Y"), ("kind", "percent"), ("percent", "0")], "折扣百分比"),
                (
                    "/console/marketing/coupons",
                    [
                        ("code", "Y"), ("kind", "amount"), ("amount", "5"), ("starts", "2027-01-02T00:00"),
                        ("ends", "2027-01-01T00:00"),
                    ],
                    "结束时间"
                ),
                ("/console/marketing/coupons/issue", [("code", "C5")], "会员分组"),
            ]
            for (uri, form, label) in cases {
                let answer = try await browser.post(uri, [("csrf", csrf)] + form)
                #expect(answer.status == .badRequest, "\(form)")
                #expect(answer.body.contains(label), "\(form): \(answer.body.suffix(300))")
            }
            let unknown = try await browser.post(
                "/console/marketing/coupons/issue", [("csrf", csrf), ("code", "NOPE"), ("group", "BUYERS")])
            #expect(unknown.status == .notFound && unknown.body.contains("优惠券 NOPE 不存在"))
            let publicCoupon = try await browser.post(
                "/console/marketing/coupons/issue", [("csrf", csrf), ("code", "C5"), ("group", "BUYERS")])
            #expect(publicCoupon.status == .badRequest && publicCoupon.body.contains("优惠券 C5 是公开券"))
            let endUnknown = try await browser.post(
                "/console/marketing/promotions/end", [("csrf", csrf), ("id", "NOPE")])
            #expect(endUnknown.status == .notFound && endUnknown.body.contains("促销 NOPE 不存在"))
            #expect(try central.marketing.promotionDetails() == promotions)
            #expect(try central.marketing.coupons() == coupons)
        }
    }

    @Test func withoutCSRFOrWithoutThePermissionEveryRouteIs403AndNothingChanges() async throws {
        try await withConsole { hana, central in
            let routes: [(post: Bool, uri: String, form: [(String, String)])] = [
                (false, "/console/marketing", []), (false, "/console/marketing/effect.csv", []),
                (
                    true, "/console/marketing/promotions",
                    [("rule", "percent"), ("id", "P"), ("name", "p"), ("percent", "5")]
                ),
                (true, "/console/marketing/promotions/end", [("id", "MJ")]),
                (true, "/console/marketing/coupons", [("code", "Z"), ("kind", "amount"), ("amount", "1")]),
                (true, "/console/marketing/coupons/issue", [("code", "C5"), ("members", "A")]),
            ]
            let promotions = try central.marketing.promotionDetails()
            let coupons = try central.marketing.coupons()
            for route in routes where route.post {
                #expect(try await hana.post(route.uri, route.form).status == .forbidden, "\(route.uri)")
            }
            for user in ["fay", "max"] {
                var browser = ConsoleBrowser(client: hana.client)
                _ = try await browser.logIn(user, ConsoleShop.passwords[user] ?? "")
                let csrf = try await browser.csrf()
                #expect(!(try await browser.get("/console").body.contains(#"href="/console/marketing""#)))
                for route in routes {
                    let answer =
                        route.post
                        ? try await browser.post(route.uri, [("csrf", csrf)] + route.form)
                        : try await browser.get(route.uri)
                    #expect(answer.status == .forbidden, "\(user) \(route.uri)")
                }
            }
            #expect(try central.marketing.promotionDetails() == promotions)
            #expect(try central.marketing.coupons() == coupons)
        }
    }
}
