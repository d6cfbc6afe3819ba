import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Replication
import Server
import Storage
import Testing

/// The members' benefits in the mall over HTTP on a real central database: the daily check-in
/// (once per Asia/Shanghai day, on a hand-moved clock), points with expiry, history and
/// exchange, claimable and held coupons with the one-per-member limit, level and progress,
/// stored value, and the share reward with its daily cap. Every figure on a page is checked
/// against the use case the CLI prints.
@Suite struct MallBenefitTests {
    /// Ann (member A) signed in at a central with benefits set up: two levels, a top-up bonus,
    /// points that expire after 365 days, a claimable coupon, a points-catalog coupon.
    func withAnn(
        _ body: @Sendable (MallBrowser, FenxiaoNode, ManualClock) async throws -> Void
    ) async throws {
        let dir = TempDirectory("mall-benefits")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try MallShop.make(dir, clock: clock, pointsExpiryDays: 365)
        _ = try central.members.defineLevel(
            id: "silver", name: "银卡", minPoints: 100, pointsMultiplier: 100, discountPercent: 5, freeShipping: true)
        _ = try central.members.defineLevel(
            id: "gold", name: "金卡", minPoints: 1000, pointsMultiplier: 150, discountPercent: 10)
        _ = try central.members.setTopupBonuses([TopupBonus(threshold_cents: 50_000, bonus_cents: 5_000)])
        _ = try central.members.setPointsSettings(
            capPercent: nil, expiryDays: 365, sharePoints: 5, shareDailyLimit: 2)
        _ = try central.marketing.define(
            Coupon(code: "NEW10", amountCents: 1000, minSpendCents: 5000), holdersOnly: true)
        _ = try central.marketing.define(Coupon(code: "PUBLIC5", amountCents: 500))
        _ = try central.marketing.define(
            Coupon(code: "PTS20", amountCents: 2000, minSpendCents: 10_000), holdersOnly: true)
        _ = try central.members.setPointsCatalogItem("coupon:PTS20", points: 100)
        _ = try central.members.setPointsCatalogItem("sku:MUG-01", points: 100_000)
        try await mallApp(central).test(.router) { client in
            let browser = MallBrowser(client: client)
            try await browser.login(central, phone: MallShop.annPhone)
            try await body(browser, central, clock)
        }
    }

    /// The text of the element with `id` (up to the next `<`).
    static func element(_ id: String, in html: String) -> String? {
        guard let r = html.range(of: #"id="\#(id)""#) else { return nil }
        guard let close = html[r.upperBound...].firstIndex(of: ">") else { return nil }
        return String(html[html.index(after: close)...].prefix { $0 != "<" })
    }

    static func points(_ central: FenxiaoNode) throws -> Int64 { try central.members.points(of: "A").available }

    @Test func checkingInTwiceInOneShanghaiDayGivesPointsOnceAndTheNextDayCounts() async throws {
        try await withAnn { browser, central, clock in
            // 2027-01-15 08:00 UTC = 16:00 in Shanghai.
            let page = try await browser.get("/mall/checkin")
            #expect(page.status == .ok)
            #expect(Self.element("checkin-streak", in: page.body) == "0")
            #expect(page.body.contains(#"data-checked="false""#) && page.body.contains(#"id="checkin""#))
            let csrf = try await browser.csrf()
            let first = try await browser.post("/mall/checkin", [("csrf", csrf)])
            #expect(first.status == .seeOther && first.location == "/mall/checkin?checked=new")
            #expect(try Self.points(central) == 130)
            let after = try await browser.get(try #require(first.location))
            #expect(after.body.contains("签到成功") && after.body.contains(#"data-checked="true""#))
            #expect(Self.element("checkin-streak", in: after.body) == "1")

            // 23:59 in Shanghai: the same day; a repeated click changes nothing and says so.
            clock.advance(minutes: 7 * 60 + 59)
            let again = try await browser.post("/mall/checkin", [("csrf", csrf)])
            #expect(again.location == "/mall/checkin?checked=already")
            #expect(try await browser.get("/mall/checkin?checked=already").body.contains("今天已经签到过了"))
            #expect(try Self.points(central) == 130)
            #expect(try central.members.pointsHistory(of: "A").filter { $0.reason == "checkin" }.count == 1)

            // 00:01 in Shanghai (still 16:01 the same day in UTC): a new day, the streak is 2.
            clock.advance(minutes: 2)
            let next = try await browser.get("/mall/checkin")
            #expect(next.body.contains(#"data-checked="false""#))
            #expect(Self.element("checkin-streak", in: next.body) == "1")
            let second = try await browser.post("/mall/checkin", [("csrf", csrf)])
            #expect(second.location == "/mall/checkin?checked=new")
            #expect(try Self.points(central) == 140)
            let two = try await browser.get("/mall/checkin")
            #expect(Self.element("checkin-streak", in: two.body) == "2")
            #expect(Self.element("checkin-points", in: two.body) == "140")

            // A day skipped breaks the streak.
            clock.advance(minutes: 2 * 24 * 60)
            #expect(Self.element("checkin-streak", in: try await browser.get("/mall/checkin").body) == "0")
        }
    }

    @Test func everyBenefitPostNeedsTheSessionsCSRFTokenAndChangesNothingWithout() async throws {
        try await withAnn { browser, central, _ in
            let history = try central.members.pointsHistory(of: "A")
            for (path, fields) in [
                ("/mall/checkin", [("csrf", "forged")]), ("/mall/points/exchange", [("item", "coupon:PTS20")]),
                ("/mall/coupons/claim", [("csrf", "x"), ("code", "NEW10")]), ("/mall/share", [("product", "TEA-01")]),
            ] {
                let answer = try await browser.post(path, fields)
                #expect(answer.status == .forbidden, "\(path)")
                #expect(answer.body.contains("页面已过期"))
            }
            #expect(try central.members.pointsHistory(of: "A") == history)
            #expect(try central.marketing.coupons(heldBy: "A").isEmpty)
            // Signed out, the pages ask for a login and come back.
            let other = MallBrowser(client: browser.client)
            #expect(try await other.get("/mall/points").location == "/mall/login?next=%2Fmall%2Fpoints")
            #expect(try await other.post("/mall/checkin", [("csrf", "x")]).location?.hasPrefix("/mall/login") == true)
        }
    }

    @Test func thePointsPageShowsTheUseCasesFiguresAndExchangesForPoints() async throws {
        try await withAnn { browser, central, clock in
            let page = try await browser.get("/mall/points")
            #expect(page.status == .ok)
            let view = try central.members.points(of: "A")
            #expect(Self.element("points-balance", in: page.body) == String(view.available))
            #expect(view.available == 120)
            #expect(Self.element("points-lifetime", in: page.body) == String(view.lifetime_earned))
            #expect(page.body.contains("积分自获得之日起 365 天后过期"))
            // Every entry of `fenxiao points history A`, with its figure.
            let history = try central.members.pointsHistory(of: "A")
            #expect(!history.isEmpty)
            for e in history {
                #expect(
                    page.body.contains(#"data-entry="\#(e.id)" data-delta="\#(e.delta > 0 ? "+" : "")\#(e.delta)""#))
            }
            #expect(
                page.body.contains(#"id="exchange-coupon-PTS20""#) && page.body.contains(#"id="exchange-sku-MUG-01""#))

            // Too few points: refused clearly, nothing changes.
            let csrf = try await browser.csrf()
            let short = try await browser.post("/mall/points/exchange", [("csrf", csrf), ("item", "sku:MUG-01")])
            #expect(short.status == .conflict)
            #expect(short.body.contains("积分不足：您有 120 积分，该商品需要 100000 积分"))
            let unknown = try await browser.post("/mall/points/exchange", [("csrf", csrf), ("item", "coupon:NEW10")])
            #expect(unknown.status == .notFound && unknown.body.contains("不在积分商城"))
            let malformed = try await browser.post("/mall/points/exchange", [("csrf", csrf), ("item", "drop table")])
            #expect(malformed.status == .badRequest)
            #expect(try Self.points(central) == 120)

            // Exchanged: the points are spent and the coupon is hers.
            let done = try await browser.post("/mall/points/exchange", [("csrf", csrf), ("item", "coupon:PTS20")])
            #expect(done.status == .seeOther && done.location == "/mall/points?exchanged=coupon%3APTS20")
            #expect(try Self.points(central) == 20)
            #expect(try central.marketing.coupons(heldBy: "A").map(\.code) == ["PTS20"])
            let after = try await browser.get(try #require(done.location))
            #expect(Self.element("points-balance", in: after.body) == "20")
            #expect(after.body.contains("已兑换：PTS20"))
            // Held once: a second exchange is refused.
            let twice = try await browser.post("/mall/points/exchange", [("csrf", csrf), ("item", "coupon:PTS20")])
            #expect(twice.status == .conflict)
            #expect(try Self.points(central) == 20)

            // Ten days before the gift's 365 days are up, its 20 points left expire soon; the
            // page says how many and by when.
            let gift = try #require(try central.members.pointsHistory(of: "A").first { $0.reason == "gift" })
            clock.advance(millis: gift.at_ms + 355 * 86_400_000 - clock.now())
            try await browser.login(central, phone: MallShop.annPhone)  // the session has long ended
            let later = try await browser.get("/mall/points")
            let soon = try central.members.points(of: "A")
            #expect(soon.expiring_soon == 20)
            #expect(Self.element("points-expiring", in: later.body)?.hasPrefix("20 · 截至 ") == true)
        }
    }

    @Test func aMemberClaimsAClaimableCouponOnceAndSeesItsState() async throws {
        try await withAnn { browser, central, _ in
            let page = try await browser.get("/mall/coupons")
            #expect(page.status == .ok)
            // Claimable: the holders-only coupon open for claiming; not the public one (used by
            // its code), nor the one the points catalog sells.
            #expect(page.body.contains(#"id="claim-NEW10""#))
            #expect(!page.body.contains(#"id="claim-PUBLIC5""#) && !page.body.contains(#"id="claim-PTS20""#))
            let csrf = try await browser.csrf()
            let claim = try await browser.post("/mall/coupons/claim", [("csrf", csrf), ("code", "NEW10")])
            #expect(claim.status == .seeOther && claim.location == "/mall/coupons?claimed=NEW10")
            #expect(try central.marketing.coupons(heldBy: "A").map(\.code) == ["NEW10"])

            // Beyond the limit (one per member): the second claim is refused, nothing changes.
            let again = try await browser.post("/mall/coupons/claim", [("csrf", csrf), ("code", "NEW10")])
            #expect(again.status == .conflict)
            #expect(again.body.contains("您已领取过优惠券 NEW10，每人限领一张"))
            #expect(try central.marketing.coupons().first { $0.code == "NEW10" }?.claimed == 1)
            // Not claimable: the points catalog's coupon, a public one, an unknown one, a bad code.
            for (code, status) in [
                ("PTS20", HTTPResponse.Status.notFound), ("PUBLIC5", .notFound), ("NOPE", .notFound),
                ("x' OR 1=1", .badRequest),
            ] {
                let refused = try await browser.post("/mall/coupons/claim", [("csrf", csrf), ("code", code)])
                #expect(refused.status == status, "\(code)")
            }
            #expect(try central.marketing.coupons(heldBy: "A").count == 1)

            let mine = try await browser.get("/mall/coupons?claimed=NEW10")
            #expect(
                mine.body.contains(
                    #"class="row coupon my-coupon state-unused" data-code="NEW10" data-state="unused" data-min-spend="5000""#
                ))
            #expect(mine.body.contains("满 ¥50.00 可用") && mine.body.contains("减 ¥10.00"))
            #expect(!mine.body.contains(#"id="claim-NEW10""#))
            #expect(try await browser.get("/mall/coupons?lang=en").body.contains("min spend ¥50.00"))
        }
    }

    @Test func concurrentClaimsAndCheckInsFromOnePhoneCountOnce() async throws {
        try await withAnn { browser, central, _ in
            let csrf = try await browser.csrf()
            async let a = browser.post("/mall/coupons/claim", [("csrf", csrf), ("code", "NEW10")])
            async let b = browser.post("/mall/coupons/claim", [("csrf", csrf), ("code", "NEW10")])
            let claims = try await [a, b].map(\.status)
            #expect(claims.filter { $0 == .seeOther }.count == 1 && claims.filter { $0 == .conflict }.count == 1)
            #expect(try central.marketing.coupons().first { $0.code == "NEW10" }?.issued == 1)

            async let c = browser.post("/mall/checkin", [("csrf", csrf)])
            async let d = browser.post("/mall/checkin", [("csrf", csrf)])
            let checkins = try await [c, d].compactMap(\.location).sorted()
            #expect(checkins == ["/mall/checkin?checked=already", "/mall/checkin?checked=new"])
            #expect(try Self.points(central) == 130)
        }
    }

    @Test func theLevelPageShowsTheLevelItsBenefitsAndProgressToTheNext() async throws {
        try await withAnn { browser, central, _ in
            let page = try await browser.get("/mall/level")
            #expect(page.status == .ok)
            let level = try #require(try central.members.level(of: "A"))
            #expect(Self.element("level-name", in: page.body) == level.name)
            #expect(level.id == "silver")
            #expect(page.body.contains("减 5%") && page.body.contains("免运费"))
            let earned = try central.members.points(of: "A").lifetime_earned
            #expect(page.body.contains(#"id="level-progress""#))
            #expect(Self.element("level-next", in: page.body) == "金卡")
            #expect(page.body.contains("累计获得积分 \(earned) / 1000，还差 \(1000 - earned)"))
            let english = try await browser.get("/mall/level?lang=en")
            #expect(english.body.contains("5% off every purchase") && english.body.contains("Free shipping"))
        }
    }

    @Test func theWalletPageShowsTheBalanceHistoryAndTopUpBonuses() async throws {
        try await withAnn { browser, central, _ in
            _ = try central.members.ledger(member: "A", account: .wallet, delta: -1250, reason: "payment")
            let page = try await browser.get("/mall/wallet")
            #expect(page.status == .ok)
            let balance = try central.members.mallMember("A").wallet
            #expect(Self.element("wallet-balance", in: page.body) == balance.yuan)
            #expect(balance.yuan == "22.50")
            let history = try central.members.walletHistory(of: "A")
            #expect(history.count == 2)
            for e in history {
                #expect(page.body.contains(#"data-entry="\#(e.id)" data-delta-cents="\#(e.delta_cents)""#))
            }
            #expect(page.body.contains("-12.50") && page.body.contains("+35.00"))
            #expect(page.body.contains("充 ¥500.00 送 ¥50.00") && page.body.contains("门店收银台"))
            let english = try await browser.get("/mall/wallet?lang=en")
            #expect(
                english.body.contains("top up ¥500.00, get ¥50.00 more") && english.body.contains(#"<html lang="en""#))
        }
    }

    @Test func sharingAProductRewardsPointsUpToTheDailyCap() async throws {
        try await withAnn { browser, central, clock in
            let csrf = try await browser.csrf()
            let first = try await browser.post("/mall/share", [("csrf", csrf), ("product", "TEA-01")])
            #expect(first.status == .seeOther && first.location == "/mall/products/TEA-01?shared=5")
            #expect(try Self.points(central) == 125)
            let shares = try central.members.pointsHistory(of: "A").filter { $0.reason == "share" }
            #expect(shares.map(\.ref) == ["TEA-01"] && shares.map(\.delta) == [5])
            let second = try await browser.post("/mall/share", [("csrf", csrf), ("product", "BUN-01")])
            #expect(second.location == "/mall/products/BUN-01?shared=5")
            // The cap (2 a day) reached: the share earns nothing more today.
            let third = try await browser.post("/mall/share", [("csrf", csrf), ("product", "TEA-01")])
            #expect(third.location == "/mall/products/TEA-01?shared=0")
            #expect(try Self.points(central) == 130)
            #expect(try central.members.pointsHistory(of: "A").filter { $0.reason == "share" }.count == 2)
            // Unknown or malformed products are refused.
            #expect(try await browser.post("/mall/share", [("csrf", csrf), ("product", "NOPE-9")]).status == .notFound)
            #expect(try await browser.post("/mall/share", [("csrf", csrf), ("product", "../x")]).status == .badRequest)
            // The next Shanghai day counts again.
            clock.advance(minutes: 24 * 60)
            let tomorrow = try await browser.post("/mall/share", [("csrf", csrf), ("product", "TEA-01")])
            #expect(tomorrow.location == "/mall/products/TEA-01?shared=5")
            #expect(try Self.points(central) == 135)
        }
    }

    @Test func theBenefitPagesRenderInEnglish() async throws {
        try await withAnn { browser, _, _ in
            for (path, words) in [
                ("/mall/checkin", "Check in"), ("/mall/points", "Points history"),
                ("/mall/coupons", "Coupons to claim"),
                ("/mall/level", "Next level"), ("/mall/wallet", "Stored-value history"),
            ] {
                let page = try await browser.get(path + "?lang=en")
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.contains(words) && page.body.contains(#"<html lang="en""#), "\(path)")
                #expect(!page.body.contains("签到") || path != "/mall/checkin")
            }
        }
    }
}
