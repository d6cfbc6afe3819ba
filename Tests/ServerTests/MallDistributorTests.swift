import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The distributor pages of the mall over HTTP on a real central database (issue 19, items 6
/// and 7): applying and the review's status, the referral link and its QR code, the link's
/// landing and the bindings it leads to, the commission ledger over the after-sale window on a
/// hand-moved clock (the same figures as `fenxiao distributor account` and the console's
/// report), the monthly statement, withdrawals with their fee and a repeated confirm, the team
/// list's sort key, CSRF, and nobody reaching someone else's distributor record.
@Suite struct MallDistributorTests {
    static let bobPhone = "13800000002"
    static let day: Int64 = 86_400_000

    /// Central (``MallShop/make(_:clock:)``) with 100 mugs online, a commission rule of 10 % on
    /// level 1 and `window` days of after-sale window, and member B (Bob); `approved`: Ann (A)
    /// applied in the mall's way and head office approved her (referral code RC-A).
    func withMall(
        window: Int64 = 7, approved: Bool = true,
        _ body: @Sendable (MallBrowser, FenxiaoNode, ManualClock) async throws -> Void
    ) async throws {
        let dir = TempDirectory("malldist")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try MallShop.make(dir, clock: clock)
        _ = try central.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        _ = try central.members.upsert(id: "B", name: "Bob", phone: Self.bobPhone)
        _ = try central.distribution.defineCommissionRule(
            id: "R1", levels: [10], effectiveFrom: 0, windowDays: window, selfPurchase: false, overrides: [:])
        if approved {
            _ = try central.selfService(member: "A").applyAsDistributor(
                channels: "微信群", experience: nil, inviterCode: nil)
            _ = try central.distribution.review(id: "A", approve: true, reason: nil, group: nil)
        }
        try await mallApp(central).test(.router) { client in
            try await body(MallBrowser(client: client), central, clock)
        }
    }

    /// An online order of `qty` mugs by `member` through `via`, paid, shipped and (unless told
    /// otherwise) completed with the existing use cases.
    @discardableResult
    static func buy(
        _ central: FenxiaoNode, member: String, qty: Int64, via: String? = nil, complete: Bool = true
    ) throws -> String {
        var request = OrderRequest(lines: [.line("MUG-01", qty)], member: member, channel: .online)
        request.via = via
        let order = try central.orders.create(request)
        _ = try central.orders.transition(order: order.id, to: .paid, pay: .card)
        _ = try central.orders.transition(order: order.id, to: .shipped, carrier: "SF", tracking: "SF1")
        if complete { _ = try central.orders.transition(order: order.id, to: .completed) }
        return order.id
    }

    /// The text of the element with `id` (up to its first `<`).
    static func text(_ id: String, in html: String) -> String? {
        guard let r = html.range(of: #"id="\#(id)""#) else { return nil }
        guard let open = html[r.upperBound...].firstIndex(of: ">") else { return nil }
        return String(html[html.index(after: open)...].prefix { $0 != "<" })
    }

    /// The `data-state` of every commission row, in page order.
    static func states(_ html: String) -> [String] {
        html.components(separatedBy: #"class="card commission" data-state=""#).dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    @Test func applyThenHeadOfficeReviewsAndTheStatusShows() async throws {
        try await withMall(approved: false) { browser, central, _ in
            #expect(try await browser.get("/mall/distributor").location?.hasPrefix("/mall/login?next=") == true)
            try await browser.login(central, phone: MallShop.annPhone)
            let form = try await browser.get("/mall/distributor")
            for id in ["apply-channels", "apply-experience", "apply-inviter", "apply-submit"] {
                #expect(form.body.contains(#"id="\#(id)""#), "\(id)")
            }
            let csrf = try await browser.csrf()
            let forged = try await browser.post("/mall/distributor/apply", [("channels", "微信群")])
            #expect(forged.status == .forbidden)
            let empty = try await browser.post("/mall/distributor/apply", [("csrf", csrf), ("channels", "  ")])
            #expect(empty.status == .badRequest && empty.body.contains("请填写推广渠道"))
            let unknown = try await browser.post(
                "/mall/distributor/apply", [("csrf", csrf), ("channels", "微信群"), ("inviter", "RC-NOPE")])
            #expect(unknown.status.code >= 400 && unknown.status.code < 500 && unknown.body.contains("推荐码 RC-NOPE 不存在"))
            #expect(throws: NodeError.self) { try central.distribution.find("A") }
            let applied = try await browser.post(
                "/mall/distributor/apply", [("csrf", csrf), ("channels", "微信群"), ("experience", "开过网店")])
            #expect(applied.location == "/mall/distributor")
            let d = try central.distribution.find("A")
            #expect(d.status == "applied" && d.channels == "微信群")
            let pending = try await browser.get("/mall/distributor")
            #expect(pending.body.contains(#"id="distributor-status" data-status="applied">审核中"#))
            #expect(!pending.body.contains("apply-submit") && !pending.body.contains("overview-available"))
            let twice = try await browser.post("/mall/distributor/apply", [("csrf", csrf), ("channels", "抖音")])
            #expect(twice.status == .conflict && twice.body.contains("您已申请过分销员"))
            _ = try central.distribution.review(id: "A", approve: true, reason: nil, group: nil)
            let active = try await browser.get("/mall/distributor")
            #expect(active.body.contains(#"data-status="active">已通过"#))
            #expect(Self.text("referral-code", in: active.body) == "RC-A")
            #expect(Self.text("overview-available", in: active.body) == "¥0.00")
            for id in ["go-link", "go-team", "go-commissions", "go-statement", "go-withdraw"] {
                #expect(active.body.contains(#"id="\#(id)""#), "\(id)")
            }
            // A rejection shows with head office's reason.
            let bob = MallBrowser(client: browser.client, address: "203.0.113.8")
            try await bob.login(central, phone: Self.bobPhone)
            _ = try await bob.post(
                "/mall/distributor/apply", [("csrf", try await bob.csrf()), ("channels", "朋友圈"), ("inviter", "RC-A")])
            #expect(try central.distribution.find("B").inviter == "A")
            _ = try central.distribution.review(id: "B", approve: false, reason: "资料不全", group: nil)
            let rejected = try await bob.get("/mall/distributor")
            #expect(rejected.body.contains(#"data-status="rejected">未通过"#))
            #expect(Self.text("distributor-reason", in: rejected.body) == "资料不全")
            #expect(try await bob.get("/mall/distributor/commissions").status == .conflict)
        }
    }

    @Test func theLinkAndItsQRCodeAreTheDistributorsOwn() async throws {
        try await withMall { browser, central, _ in
            try await browser.login(central, phone: MallShop.annPhone)
            let page = try await browser.get("/mall/distributor/link?product=MUG-01")
            #expect(page.status == .ok)
            let link = try #require(Self.text("referral-link", in: page.body))
            #expect(link.hasPrefix("http://") && link.hasSuffix("/mall/r/RC-A?p=MUG-01"))
            #expect(page.body.contains(#"<svg xmlns="http://www.w3.org/2000/svg" id="referral-qr""#))
            let expected = try #require(QRCode.svg(link, id: "referral-qr"))
            #expect(page.body.contains(expected), "the QR code is the link's, drawn here")
            let shop = try await browser.get("/mall/distributor/link?product=%3Cscript%3E")
            #expect(Self.text("referral-link", in: shop.body)?.hasSuffix("/mall/r/RC-A") == true)
            let svg = try await browser.get("/mall/distributor/qr.svg?product=MUG-01")
            #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml")
            #expect(svg.body == QRCode.svg(link))
            // Bob is no distributor: his link page sends him to the centre (the application form).
            let bob = MallBrowser(client: browser.client, address: "203.0.113.8")
            try await bob.login(central, phone: Self.bobPhone)
            #expect(try await bob.get("/mall/distributor/link").location == "/mall/distributor")
            #expect(try await bob.get("/mall/distributor/qr.svg").location == "/mall/distributor")
        }
    }

    @Test func theQRCodeHasTheSizeAndModulesOfItsText() throws {
        let text = "https://mall.example.cn/mall/r/RC-A?p=MUG-01"
        let grid = try #require(QRCode.modules(text))
        let n = grid.count
        #expect(n >= 21 && (n - 17) % 4 == 0 && grid.allSatisfy { $0.count == n }, "version v has 4v + 17 modules")
        // The three finder patterns: a dark 7×7 ring around a dark 3×3 centre, with light between.
        for (top, left) in [(0, 0), (0, n - 7), (n - 7, 0)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = y == 0 || y == 6 || x == 0 || x == 6
                    let centre = (2...4).contains(y) && (2...4).contains(x)
                    #expect(grid[top + y][left + x] == (ring || centre), "finder at \(top),\(left): \(y),\(x)")
                }
            }
        }
        // Timing pattern on row 6 alternates between the finders.
        #expect((8..<(n - 8)).allSatisfy { grid[6][$0] == ($0 % 2 == 0) })
        // The SVG: side n + 8 (a quiet zone of 4), 4 px a module, and exactly the grid's dark modules.
        let svg = try #require(QRCode.svg(text))
        #expect(svg.contains(#"viewBox="0 0 \#(n + 8) \#(n + 8)""#) && svg.contains(#"width="\#((n + 8) * 4)""#))
        let d = try #require(svg.components(separatedBy: #"d=""#).last?.prefix { $0 != "\"" })
        var drawn = Array(repeating: Array(repeating: false, count: n), count: n)
        for run in d.split(separator: "z") {
            let numbers = run.split(whereSeparator: { "Mhv ".contains($0) }).compactMap { Int($0) }
            let (x, y, width) = (numbers[0] - 4, numbers[1] - 4, numbers[2])
            for i in x..<(x + width) { drawn[y][i] = true }
        }
        #expect(drawn == grid)
        #expect(QRCode.svg("") == nil && QRCode.svg(String(repeating: "x", count: 2000)) == nil)
    }

    @Test func theLandingRemembersAnActiveCodeAndRedirects() async throws {
        try await withMall { browser, central, _ in
            let landing = try await browser.get("/mall/r/RC-A?p=MUG-01")
            #expect(landing.status == .seeOther && landing.location == "/mall/products/MUG-01")
            let cookie = try #require(landing.headers[values: .setCookie].first { $0.hasPrefix("fenxiao_mall_ref=") })
            #expect(cookie == "fenxiao_mall_ref=RC-A; Path=/mall; Max-Age=2592000; HttpOnly; SameSite=Lax")
            #expect(try await browser.get("/mall/r/RC-A").location == "/mall/shop")
            #expect(try await browser.get("/mall/r/RC-A?p=..%2F..%2Fadmin").location == "/mall/shop")
            // Unknown, malformed or not active codes still go to the shop, without a cookie.
            _ = try central.selfService(member: "B").applyAsDistributor(
                channels: "抖音", experience: nil, inviterCode: nil)
            let stranger = MallBrowser(client: browser.client, address: "203.0.113.9")
            for code in ["RC-NOPE", "RC-B", "%27%20OR%201%3D1--", String(repeating: "R", count: 100)] {
                let bad = try await stranger.get("/mall/r/\(code)?p=MUG-01")
                #expect(bad.location == "/mall/products/MUG-01", "\(code)")
                #expect(bad.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("fenxiao_mall_ref") }, "\(code)")
            }
            #expect(stranger.cookies["fenxiao_mall_ref"] == nil)
        }
    }

    @Test func signingInAfterTheLinkBindsByReferralCodeWhenTheRuleSaysSo() async throws {
        try await withMall { browser, central, clock in
            // Head office binds only by first purchase: the link alone binds nobody.
            _ = try central.distribution.setDistributionSettings(
                lockDays: nil, binding: .firstPurchase, autoApproveSpend: nil)
            let bob = browser
            _ = try await bob.get("/mall/r/RC-A")
            try await bob.login(central, phone: Self.bobPhone)
            #expect(try central.distribution.performance(of: "A").customers == 0)
            // With referral-code binding, signing in after the link binds (locked 30 days).
            _ = try central.distribution.setDistributionSettings(lockDays: 30, binding: .both, autoApproveSpend: nil)
            clock.advance(minutes: 2)  // one code a minute per phone
            let again = MallBrowser(client: browser.client, address: "203.0.113.8")
            _ = try await again.get("/mall/r/RC-A?p=MUG-01")
            try await again.login(central, phone: Self.bobPhone)
            #expect(try central.distribution.performance(of: "A").customers == 1)
            let binding = try #require(try central.read { try $0.register(BindingRegister.self, "B") })
            #expect(binding.distributor == "A" && binding.via == .referralCode)
            // Ann's own link never binds Ann.
            let ann = MallBrowser(client: browser.client, address: "203.0.113.10")
            _ = try await ann.get("/mall/r/RC-A")
            try await ann.login(central, phone: MallShop.annPhone)
            _ = try await ann.get("/mall/r/RC-A")
            #expect(try central.read { try $0.register(BindingRegister.self, "A") } == nil)
            // Bob is now a customer on Ann's team page.
            let team = try await ann.get("/mall/distributor/team")
            #expect(team.body.contains(#"<div class="team-row" data-id="B">"#) && team.body.contains("Bob"))
        }
    }

    @Test func aFirstPurchaseThroughTheLinkEarnsCommissionThatFreezesThenFrees() async throws {
        try await withMall(window: 3) { browser, central, clock in
            // Checkout passes the link's cookie as `via`: Bob is unbound, so his first order binds him.
            let order = try Self.buy(central, member: "B", qty: 2, via: "RC-A", complete: false)
            let binding = try #require(try central.read { try $0.register(BindingRegister.self, "B") })
            #expect(binding.distributor == "A" && binding.via == .firstPurchase && binding.order == order)
            try await browser.login(central, phone: MallShop.annPhone)
            let pending = try await browser.get("/mall/distributor/commissions")
            #expect(Self.states(pending.body) == ["pending"])
            #expect(Self.text("commission-pending", in: pending.body) == "¥9.00")
            #expect(pending.body.contains(#"data-order="\#(order)""#))
            _ = try central.orders.transition(order: order, to: .completed)
            let frozen = try await browser.get("/mall/distributor/commissions")
            #expect(Self.states(frozen.body) == ["frozen"])
            #expect(Self.text("commission-frozen", in: frozen.body) == "¥9.00")
            #expect(Self.text("commission-available", in: frozen.body) == "¥0.00")
            let until = ConsoleDates.time(clock.now() + 3 * Self.day)
            #expect(frozen.body.contains("冻结至 \(until)"))
            clock.advance(millis: 3 * Self.day + 1)  // within the session's 7 idle days
            let available = try await browser.get("/mall/distributor/commissions")
            #expect(Self.states(available.body) == ["available"])
            #expect(Self.text("commission-available", in: available.body) == "¥9.00")
            // The figures are the CLI's (`distributor account`) and the console's report.
            let account = try central.distribution.commissionAccount("A")
            let report = try #require(
                try central.distribution.commissionReport(by: .distributor).first { $0.key == "A" })
            #expect(account.available_cents == 900 && report.available_cents == 900 && report.frozen_cents == 0)
            let home = try await browser.get("/mall/distributor")
            #expect(Self.text("overview-available", in: home.body) == "¥9.00")
            #expect(Self.text("overview-lifetime", in: home.body) == "¥9.00")
            // A second order refunded in full after completion: its commission is reversed, with the reason.
            let second = try Self.buy(central, member: "B", qty: 1)
            _ = try central.orders.refund(order: second, amount: nil, reason: "杯子破损", restock: false)
            let ledger = try await browser.get("/mall/distributor/commissions")
            #expect(Self.states(ledger.body) == ["reversed", "available"])
            #expect(ledger.body.contains("冲减原因：杯子破损"))
            #expect(Self.text("commission-available", in: ledger.body) == "¥9.00")
            let customers = try await browser.get("/mall/distributor/team?tab=customers")
            #expect(customers.body.contains(#"<span class="team-orders">2</span>"#))
            #expect(customers.body.contains(#"<span class="team-amount">90.00</span>"#))
        }
    }

    @Test func theMonthlyStatementIsTheCommissionReportsMonth() async throws {
        try await withMall(window: 0) { browser, central, _ in
            try Self.buy(central, member: "B", qty: 2, via: "RC-A")
            let refunded = try Self.buy(central, member: "B", qty: 1)
            _ = try central.orders.refund(order: refunded, amount: Money(cents: 2000), reason: "少发", restock: false)
            try await browser.login(central, phone: MallShop.annPhone)
            let months = try central.distribution.monthlyStatement(of: "A")
            let month = try #require(months.first)
            #expect(months.count == 1 && month.earned_cents == 1350 && month.reversed_cents == 200)
            let page = try await browser.get("/mall/distributor/statement?month=\(month.month)")
            #expect(page.status == .ok)
            #expect(Self.text("statement-orders", in: page.body) == "2")
            #expect(Self.text("statement-earned", in: page.body) == "¥13.50")
            #expect(Self.text("statement-reversed", in: page.body) == "¥2.00")
            #expect(Self.text("statement-net", in: page.body) == "¥11.50")
            let thisMonth = try await browser.get("/mall/distributor/statement")
            #expect(Self.text("statement-earned", in: thisMonth.body) == "¥13.50")
            for bad in ["2026-13", "2026-1", "x%27%20OR%201%3D1"] {
                let refused = try await browser.get("/mall/distributor/statement?month=\(bad)")
                #expect(refused.status == .badRequest && refused.body.contains("月份格式应为 2026-05"), "\(bad)")
            }
        }
    }

    @Test func aWithdrawalShowsItsFeeRefusesBelowTheMinimumAndConfirmsOnce() async throws {
        try await withMall(window: 0) { browser, central, _ in
            try Self.buy(central, member: "B", qty: 5, via: "RC-A")  // ¥225.00 → ¥22.50 available
            try await browser.login(central, phone: MallShop.annPhone)
            let form = try await browser.get("/mall/distributor/withdraw")
            for id in [
                "withdraw-amount", "withdraw-method", "withdraw-preview", "withdraw-balance", "withdraw-minimum",
            ] {
                #expect(form.body.contains(#"id="\#(id)""#), "\(id)")
            }
            #expect(Self.text("withdraw-balance", in: form.body) == "¥22.50")
            #expect(!form.body.contains("withdraw-confirm"))
            let low = try await browser.get("/mall/distributor/withdraw?amount=5&method=bank")
            #expect(low.status == .badRequest && low.body.contains("提现金额 ¥5.00 低于最低提现额 ¥10.00"))
            #expect(!low.body.contains("withdraw-confirm"))
            let over = try await browser.get("/mall/distributor/withdraw?amount=30&method=stored_value")
            #expect(over.status == .conflict && !over.body.contains("withdraw-confirm"))
            let junk = try await browser.get("/mall/distributor/withdraw?amount=1e9&method=gold")
            #expect(junk.status == .badRequest)
            let preview = try await browser.get("/mall/distributor/withdraw?amount=20&method=bank")
            #expect(preview.status == .ok)
            #expect(Self.text("withdraw-fee", in: preview.body) == "¥1.00")  // 1 %, at least ¥1
            #expect(Self.text("withdraw-net", in: preview.body) == "¥19.00")
            let rules = try central.distribution.withdrawalRules()
            #expect(rules.split(amount: 2000, method: .bank).fee == 100)
            let state = try #require(MallBrowser.hidden("state", in: preview.body))
            let csrf = try #require(MallBrowser.hidden("csrf", in: preview.body))
            let fields = [("amount", "20.00"), ("method", "bank"), ("state", state)]
            #expect(try await browser.post("/mall/distributor/withdraw", fields).status == .forbidden)
            #expect(try central.distribution.withdrawals(distributor: "A").isEmpty)
            let confirmed = try await browser.post("/mall/distributor/withdraw", [("csrf", csrf)] + fields)
            #expect(confirmed.status == .seeOther)
            let again = try await browser.post("/mall/distributor/withdraw", [("csrf", csrf)] + fields)
            #expect(again.status == .conflict && again.body.contains("该提现已提交过"))
            let made = try central.distribution.withdrawals(distributor: "A")
            #expect(made.count == 1 && made.first?.amount_cents == 2000 && made.first?.fee_cents == 100)
            let list = try await browser.get(try #require(confirmed.location))
            let id = try #require(made.first?.id)
            #expect(list.body.contains(#"data-id="\#(id)" data-status="requested""#))
            #expect(Self.text("withdraw-balance", in: list.body) == "¥2.50")
            #expect(try central.distribution.commissionAccount("A").balance_cents == 250)
        }
    }

    @Test func theTeamListSortsOnlyByWhitelistedKeys() async throws {
        try await withMall(window: 0) { browser, central, _ in
            _ = try central.members.upsert(id: "C", name: "Cai", phone: "13800000003")
            _ = try central.distribution.bindCustomer(member: "B", referralCode: "RC-A")
            _ = try central.distribution.bindCustomer(member: "C", referralCode: "RC-A")
            try Self.buy(central, member: "B", qty: 1)
            try Self.buy(central, member: "C", qty: 3)
            try Self.buy(central, member: "C", qty: 1)
            try await browser.login(central, phone: MallShop.annPhone)
            func order(_ page: MallBrowser.Answer) -> [String] {
                page.body.components(separatedBy: #"<div class="team-row" data-id=""#).dropFirst().map {
                    String($0.prefix { $0 != "\"" })
                }
            }
            let byAmount = try await browser.get("/mall/distributor/team?sort=amount")
            #expect(order(byAmount) == ["C", "B"] && byAmount.body.contains(#"data-sort="amount""#))
            #expect(order(try await browser.get("/mall/distributor/team?sort=orders")) == ["C", "B"])
            for injection in ["amount%3B%20DROP%20TABLE%20orders--", "amount%20DESC", "(SELECT%201)", "member"] {
                let page = try await browser.get("/mall/distributor/team?sort=\(injection)&tab=customers%27")
                #expect(page.status == .ok && page.body.contains(#"data-sort="joined""#), "\(injection)")
                #expect(page.body.contains(#"data-tab="customers""#))
            }
            #expect(try central.orders.list().count == 3, "the orders are still there")
            // The team tabs: Bob becomes Ann's level 1, his invitee level 2.
            _ = try central.selfService(member: "B").applyAsDistributor(
                channels: "朋友圈", experience: nil, inviterCode: "RC-A")
            _ = try central.distribution.review(id: "B", approve: true, reason: nil, group: nil)
            _ = try central.selfService(member: "C").applyAsDistributor(
                channels: "朋友圈", experience: nil, inviterCode: "RC-B")
            #expect(order(try await browser.get("/mall/distributor/team?tab=level1")) == ["B"])
            #expect(order(try await browser.get("/mall/distributor/team?tab=level2")) == ["C"])
        }
    }

    @Test func nobodyReachesSomeoneElsesDistributorRecord() async throws {
        try await withMall(window: 0) { browser, central, _ in
            try Self.buy(central, member: "B", qty: 5, via: "RC-A")
            try await browser.login(central, phone: Self.bobPhone)  // Bob: a customer, no distributor
            let csrf = try await browser.csrf()
            for path in [
                "/mall/distributor/commissions", "/mall/distributor/team", "/mall/distributor/statement",
                "/mall/distributor/withdraw", "/mall/distributor/commissions?distributor=A",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .notFound && page.body.contains("您还不是分销员"), "\(path)")
                #expect(!page.body.contains("22.50"), "\(path)")
            }
            let home = try await browser.get("/mall/distributor?distributor=A")
            #expect(home.body.contains("apply-submit") && !home.body.contains("RC-A"))
            let steal = try await browser.post(
                "/mall/distributor/withdraw",
                [("csrf", csrf), ("distributor", "A"), ("amount", "20"), ("method", "stored_value"), ("state", "x")])
            #expect(steal.status == .notFound)
            #expect(try central.distribution.withdrawals().isEmpty)
            // Signed out, every page asks to sign in and nothing is withdrawn.
            let stranger = MallBrowser(client: browser.client, address: "203.0.113.9")
            #expect(try await stranger.get("/mall/distributor/commissions").location?.hasPrefix("/mall/login") == true)
            let anonymous = try await stranger.post(
                "/mall/distributor/withdraw", [("amount", "20"), ("method", "cash"), ("state", "x")])
            #expect(anonymous.location?.hasPrefix("/mall/login") == true)
            #expect(try central.distribution.withdrawals().isEmpty)
        }
    }
}

/// Times as the distributor pages print them (the console's format, reporting time zone +8 h).
enum ConsoleDates {
    static func time(_ millis: Int64) -> String {
        let seconds = (millis + 8 * 3_600_000) / 1000
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}
