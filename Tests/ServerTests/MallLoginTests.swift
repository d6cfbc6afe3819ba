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

/// The mall's sign-up and sign-in by phone over HTTP on a real central database: the code in
/// the `sms.code` outbox event, new and counter members, the member's page, wrong and expired
/// codes (on a hand-moved clock), the per-phone and per-address limits, CSRF, bad phones.
@Suite struct MallLoginTests {
    func withMall(
        _ body: @Sendable (MallBrowser, FenxiaoNode, ManualClock) async throws -> Void
    ) async throws {
        let dir = TempDirectory("mall")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try MallShop.make(dir, clock: clock)
        try await mallApp(central).test(.router) { client in
            try await body(MallBrowser(client: client), central, clock)
        }
    }

    @Test func aNewPhoneSignsUpWithTheCodeFromTheOutboxAndSeesItsPage() async throws {
        try await withMall { browser, central, clock in
            #expect(try await browser.get("/mall/me").location == "/mall/login")
            let login = try await browser.get("/mall/login")
            #expect(login.body.contains("获取验证码") && login.body.contains(#"<html lang="zh-CN">"#))
            let sent = try await browser.requestCode("13900001234")
            #expect(sent.status == .ok)
            #expect(sent.body.contains("验证码已发送"))
            let events = try MallShop.codeEvents(central)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.subject == "13900001234" && event.delivered_at == nil)
            let payload = try #require(
                try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any])
            let code = try #require(payload["code"] as? String)
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            #expect(payload["phone"] as? String == "13900001234" && payload["purpose"] as? String == "login")
            #expect((payload["expires_at"] as? NSNumber)?.int64Value == clock.now() + 5 * 60_000)

            let answer = try await browser.signIn(sent, phone: "13900001234", code: code, name: "小李")
            #expect(answer.status == .seeOther && answer.location == "/mall/me")
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("fenxiao_mall=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/mall"))
            let me = try await browser.get("/mall/me")
            #expect(me.status == .ok)
            #expect(me.body.contains("小李") && me.body.contains("139****1234"))
            #expect(!me.body.contains("13900001234"))
            let id = try #require(central.read { r in try r.claimant(of: "phone:13900001234") })
            #expect(id.hasPrefix("member:MB-central-"))
            let member = try central.members.find(String(id.dropFirst("member:".count)))
            #expect(member.name == "小李" && member.last_login_at == clock.now() && member.points == 0)
            #expect(me.body.contains(member.id))
            #expect(try await browser.get("/mall/me?lang=en").body.contains("Stored value"))

            // The code logs in once.
            let other = MallBrowser(client: browser.client)
            let otherPage = try await other.get("/mall/login")
            let again = try await other.signIn(otherPage, phone: "13900001234", code: code)
            #expect(again.status == .unauthorized)
            #expect(again.body.contains("没有待用的验证码"))
            #expect(other.cookies["fenxiao_mall"] == nil)

            // Logging out ends the session; without the CSRF token it is refused.
            let forged = try await browser.post("/mall/logout", [("csrf", "nope")])
            #expect(forged.status == .forbidden)
            #expect(try await browser.get("/mall/me").status == .ok)
            let csrf = try #require(MallBrowser.hidden("csrf", in: me.body))
            let out = try await browser.post("/mall/logout", [("csrf", csrf)])
            #expect(out.location == "/mall/login")
            #expect(try await browser.get("/mall/me").location == "/mall/login")
        }
    }

    @Test func aCounterMemberSignsInAsThemselves() async throws {
        try await withMall { browser, central, clock in
            let before = try central.members.search(text: nil, level: nil, group: nil).members.count
            let sent = try await browser.requestCode(MallShop.annPhone)
            let code = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            let answer = try await browser.signIn(sent, phone: MallShop.annPhone, code: code, name: "Someone else")
            #expect(answer.location == "/mall/me")
            let me = try await browser.get("/mall/me")
            #expect(me.body.contains("Ann") && !me.body.contains("Someone else"))
            #expect(me.body.contains("138****0001") && me.body.contains(">120<") && me.body.contains("¥35.00"))
            #expect(try central.members.search(text: nil, level: nil, group: nil).members.count == before)
            #expect(try central.members.find("A").last_login_at == clock.now())
        }
    }

    @Test func fiveWrongCodesKillTheCode() async throws {
        try await withMall { browser, central, _ in
            var page = try await browser.requestCode(MallShop.annPhone)
            let code = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            let wrong = code == "000000" ? "111111" : "000000"
            for left in (0..<5).reversed() {
                page = try await browser.signIn(page, phone: MallShop.annPhone, code: wrong)
                #expect(page.status == .unauthorized)
                #expect(page.body.contains(left > 0 ? "还可再试 \(left) 次" : "该验证码已失效"))
            }
            let dead = try await browser.signIn(page, phone: MallShop.annPhone, code: code)
            #expect(dead.status == .unauthorized)
            #expect(dead.body.contains("已输错 5 次并失效"))
            #expect(browser.cookies["fenxiao_mall"] == nil)
            #expect(try central.members.find("A").last_login_at == nil)
        }
    }

    @Test func anExpiredCodeIsRefused() async throws {
        try await withMall { browser, central, clock in
            let page = try await browser.requestCode(MallShop.annPhone)
            let code = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            clock.advance(minutes: 5)
            let late = try await browser.signIn(page, phone: MallShop.annPhone, code: code)
            #expect(late.status == .unauthorized)
            #expect(late.body.contains("验证码已过期"))
            #expect(browser.cookies["fenxiao_mall"] == nil)
            // A new code a minute later works.
            let fresh = try await browser.requestCode(MallShop.annPhone)
            let newCode = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            #expect(try await browser.signIn(fresh, phone: MallShop.annPhone, code: newCode).location == "/mall/me")
        }
    }

    @Test func codesAreLimitedPerPhoneAndPerAddress() async throws {
        try await withMall { browser, central, clock in
            #expect(try await browser.requestCode(MallShop.annPhone).status == .ok)
            let tooSoon = try await browser.requestCode(MallShop.annPhone)
            #expect(tooSoon.status == .tooManyRequests)
            #expect(tooSoon.body.contains("验证码发送太频繁，请 60 秒后再试"))
            #expect(tooSoon.headers[.retryAfter] == "60")
            #expect(try MallShop.codeEvents(central).count == 1)
            for _ in 0..<4 {
                clock.advance(minutes: 1)
                #expect(try await browser.requestCode(MallShop.annPhone).status == .ok)
            }
            clock.advance(minutes: 1)
            let hourly = try await browser.requestCode(MallShop.annPhone)
            #expect(hourly.status == .tooManyRequests)
            #expect(hourly.body.contains("1 小时内最多获取 5 次"))
            #expect(try MallShop.codeEvents(central).count == 5)
            clock.advance(minutes: 60)
            // Per address: 20 codes an hour from one network, whatever the phones.
            for n in 0..<20 { #expect(try await browser.requestCode("1370000\(1000 + n)").status == .ok) }
            let crowded = try await browser.requestCode("13799999999")
            #expect(crowded.status == .tooManyRequests)
            #expect(crowded.body.contains("当前网络请求过于频繁"))
            #expect(try MallShop.codeEvents(central).count == 25)
            #expect(try MallShop.lastCode(central, phone: "13799999999") == nil)
            let elsewhere = MallBrowser(client: browser.client, address: "198.51.100.9")
            #expect(try await elsewhere.requestCode("13799999999").status == .ok)
            #expect(try await browser.requestCode("13799999998").status == .tooManyRequests)
        }
    }

    @Test func withoutAProxyAClientsOwnForwardedForDoesNotEscapeTheAddressLimit() async throws {
        let dir = TempDirectory("mall-direct")
        defer { dir.remove() }
        let central = try MallShop.make(dir, clock: ManualClock())
        try await mallApp(central, behindProxy: false).test(.router) { (client) async throws -> Void in
            // Each request claims another address; without a proxy they all count as `direct`.
            for n in 0..<20 {
                let browser = MallBrowser(client: client, address: "198.51.100.\(n)")
                #expect(try await browser.requestCode("1370000\(1000 + n)").status == .ok)
            }
            let another = MallBrowser(client: client, address: "192.0.2.99")
            #expect(try await another.requestCode("13799999999").status == .tooManyRequests)
            #expect(try MallShop.codeEvents(central).count == 20)
        }
    }

    @Test func aDeliveredCodeEventLosesItsCodeAndOrderEventsNeverListIt() async throws {
        try await withMall { browser, central, _ in
            #expect(try await browser.requestCode(MallShop.annPhone).status == .ok)
            _ = try central.marketing.sendCampaign(kind: .recall, message: "hi", members: ["A"])
            let event = try #require(try MallShop.codeEvents(central).last)
            #expect(try MallShop.lastCode(central, phone: MallShop.annPhone) != nil)
            let message = try #require(
                try central.read { try $0.outbox(limit: 100, topic: "member.message") }.first)
            try central.store.markOutbox(id: event.id, delivered: true, error: nil)
            try central.store.markOutbox(id: message.id, delivered: true, error: nil)
            #expect(try MallShop.lastCode(central, phone: MallShop.annPhone) == nil, "the gateway has the code")
            let after = try #require(try MallShop.codeEvents(central).last)
            #expect(after.payload.contains(#""purpose":"login""#) && after.delivered_at != nil)
            let kept = try #require(try central.read { try $0.outbox(limit: 100, topic: "member.message") }.first)
            #expect(kept.payload == message.payload, "other events keep their payload")
            #expect(try central.read { try $0.outbox(limit: 100, topic: "order.status") }.isEmpty)
        }
    }

    @Test func formsWithoutTheirTokenAreRefusedAndNothingIsSent() async throws {
        try await withMall { browser, central, _ in
            _ = try await browser.get("/mall/login")
            let noToken = try await browser.post("/mall/login/code", [("phone", MallShop.annPhone)])
            #expect(noToken.status == .forbidden)
            let forged = try await browser.post(
                "/mall/login/code", [("login_token", "forged"), ("phone", MallShop.annPhone)])
            #expect(forged.status == .forbidden)
            #expect(try MallShop.codeEvents(central).isEmpty)
            let signIn = try await browser.post("/mall/login", [("phone", MallShop.annPhone), ("code", "123456")])
            #expect(signIn.status == .forbidden)
            #expect(browser.cookies["fenxiao_mall"] == nil)
        }
    }

    @Test func badPhonesAndCodesAreRefusedNamingTheField() async throws {
        try await withMall { browser, central, _ in
            for phone in ["abcdefg", String(repeating: "1", count: 40), "1380000000<script>"] {
                let answer = try await browser.requestCode(phone)
                #expect(answer.status == .badRequest, "\(phone)")
                #expect(answer.body.contains("手机号格式不对"), "\(phone)")
                #expect(!answer.body.contains("<script>"))
            }
            let en = MallBrowser(client: browser.client)
            _ = try await en.get("/mall/login?lang=en")
            let enAnswer = try await en.requestCode("letters")
            #expect(enAnswer.body.contains("phone must be 5–20 digits"))
            let page = try await browser.requestCode(MallShop.annPhone)
            let badCode = try await browser.signIn(page, phone: MallShop.annPhone, code: "12ab56")
            #expect(badCode.status == .badRequest)
            #expect(badCode.body.contains("验证码应为短信中的 6 位数字"))
            #expect(try MallShop.codeEvents(central).count == 1)
            // A malformed code does not count as a wrong try.
            let code = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            #expect(try await browser.signIn(badCode, phone: MallShop.annPhone, code: code).location == "/mall/me")
        }
    }

    /// Codes and sessions stay at central: the sign-up's changes are the member's register only
    /// (no code in them), and a store that pulls gets the new member with the phone.
    @Test func aSignUpReachesStoresWithoutItsCode() async throws {
        let dir = TempDirectory("mall-sync")
        defer { dir.remove() }
        let clock = ManualClock()
        let central = try MallShop.make(dir, clock: clock)
        let s1 = try #require(NodeID("s1"))
        let before = try central.read { r in try r.changesForPull(node: s1, after: 0, limit: 100_000).changes.count }
        try await mallApp(central).test(.router) { client in
            let browser = MallBrowser(client: client)
            let page = try await browser.requestCode("13900005555")
            let code = try #require(try MallShop.lastCode(central, phone: "13900005555"))
            #expect(try await browser.signIn(page, phone: "13900005555", code: code).location == "/mall/me")
            let changes = try central.read { r in try r.changesForPull(node: s1, after: 0, limit: 100_000).changes }
            let new = changes.dropFirst(before)
            #expect(!new.isEmpty && new.allSatisfy { $0.kind == .member })
            #expect(!new.contains { $0.fields.canonicalText.contains(code) })
        }
        let store = try Fixtures.store("s1", in: dir, from: central)
        let id = try #require(try store.read { r in try r.claimant(of: "phone:13900005555") })
        #expect(try store.members.find(String(id.dropFirst("member:".count))).name == "会员5555")
    }

    @Test func signingInComesBackToTheMallPageItWasAskedFromAndNowhereElse() async throws {
        try await withMall { browser, central, _ in
            let login = try await browser.get("/mall/login?next=%2Fmall%2Fcart%3Fx%3D1")
            #expect(login.body.contains(#"name="next" value="/mall/cart?x=1""#))
            let token = try #require(MallBrowser.hidden("login_token", in: login.body))
            let sent = try await browser.post(
                "/mall/login/code", [("login_token", token), ("phone", MallShop.annPhone), ("next", "/mall/cart?x=1")])
            let code = try #require(try MallShop.lastCode(central, phone: MallShop.annPhone))
            let answer = try await browser.signIn(sent, phone: MallShop.annPhone, code: code)
            #expect(answer.location == "/mall/cart?x=1")
            for wanted in [
                "https://evil.example/", "//evil.example/mall/", "/console/users", "/mall/login", "/mall/\\evil",
            ] {
                #expect(
                    try await browser.get("/mall/login?next=" + MallBrowser.encode(wanted)).location == "/mall/me",
                    "next=\(wanted)")
            }
        }
    }

    /// Signs in by phone and password through the login page's password form.
    func passwordSignIn(_ browser: MallBrowser, phone: String, password: String) async throws -> MallBrowser.Answer {
        let login = try await browser.get("/mall/login")
        let token = try #require(MallBrowser.hidden("login_token", in: login.body))
        return try await browser.post(
            "/mall/login/password", [("login_token", token), ("phone", phone), ("password", password)])
    }

    @Test func aMemberSetsAPasswordOnTheirPageAndSignsInWithIt() async throws {
        try await withMall { browser, central, _ in
            try await browser.login(central, phone: MallShop.annPhone)
            let me = try await browser.get("/mall/me")
            #expect(me.body.contains("设置登录密码"))
            let csrf = try await browser.csrf()
            #expect(try await browser.post("/mall/me/password", [("password", "longenough")]).status == .forbidden)
            let short = try await browser.post("/mall/me/password", [("csrf", csrf), ("password", "short")])
            #expect(short.status == .badRequest && short.body.contains("密码至少 8 位"))
            let saved = try await browser.post("/mall/me/password", [("csrf", csrf), ("password", "茶香四溢-2026")])
            #expect(saved.location == "/mall/me?password=set")
            #expect(try await browser.get("/mall/me?password=set").body.contains("修改登录密码"))

            let phone = MallBrowser(client: browser.client, address: "203.0.113.8")
            let wrong = try await passwordSignIn(phone, phone: MallShop.annPhone, password: "茶香四溢-2025")
            #expect(wrong.status == .unauthorized && wrong.body.contains("手机号或密码错误"))
            // An unknown phone is refused in the same words: the answer does not tell who is a member.
            let unknown = try await passwordSignIn(phone, phone: "13900009999", password: "茶香四溢-2026")
            #expect(unknown.status == .unauthorized && unknown.body.contains("手机号或密码错误"))
            #expect(try central.read { r in try r.claimant(of: "phone:13900009999") } == nil)
            let right = try await passwordSignIn(phone, phone: MallShop.annPhone, password: "茶香四溢-2026")
            #expect(right.status == .seeOther && right.location == "/mall/me")
            #expect(try await phone.get("/mall/me").body.contains("Ann"))
        }
    }

    @Test func passwordTriesAreLimitedPerPhone() async throws {
        try await withMall { browser, central, clock in
            try await browser.login(central, phone: MallShop.annPhone)
            let csrf = try await browser.csrf()
            _ = try await browser.post("/mall/me/password", [("csrf", csrf), ("password", "right-password")])
            for n in 0..<Int(Members.passwordTriesPerPhonePerHour) {
                let address = "198.51.100.\(n + 1)"
                let wrong = try await passwordSignIn(
                    MallBrowser(client: browser.client, address: address),
                    phone: MallShop.annPhone, password: "nope-\(n)")
                #expect(wrong.status == .unauthorized)
            }
            let stranger = MallBrowser(client: browser.client, address: "198.51.100.99")
            let limited = try await passwordSignIn(stranger, phone: MallShop.annPhone, password: "right-password")
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] == "3600")
            #expect(limited.body.contains("密码登录尝试过多"))
            clock.advance(minutes: 60, millis: 1)
            let later = try await passwordSignIn(stranger, phone: MallShop.annPhone, password: "right-password")
            #expect(later.status == .seeOther)
        }
    }
}
