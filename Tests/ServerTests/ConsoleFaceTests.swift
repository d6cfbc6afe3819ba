import Commerce
import FenxiaoTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Testing

/// The head-office console over HTTP (Hummingbird's test client) on a real central database:
/// login, sessions and CSRF, the permission matrix per role, the dashboard's numbers, the
/// conflict, application and withdrawal actions, CSV exports. The browser test is
/// tests/browser/console_e2e.py; the sync round trip is ConsoleSyncTests.
@Suite struct ConsoleFaceTests {
    func withConsole(
        _ body: @Sendable (ConsoleBrowser, FenxiaoNode, String) async throws -> Void
    ) async throws {
        let dir = TempDirectory("console")
        defer { dir.remove() }
        let (central, withdrawal) = try ConsoleShop.make(dir)
        try await consoleApp(central).test(.router) { client in
            try await body(ConsoleBrowser(client: client), central, withdrawal)
        }
    }

    @Test func withoutASessionEveryScreenAndActionGoesToTheLoginPage() async throws {
        try await withConsole { browser, central, withdrawal in
            for uri in [
                "/console", "/console/conflicts", "/console/applications", "/console/withdrawals",
                "/console/withdrawals.csv", "/console/sales.csv",
            ] {
                let answer = try await browser.get(uri)
                #expect(answer.status == .seeOther, "\(uri)")
                #expect(answer.location == "/console/login", "\(uri)")
            }
            let post = try await browser.post("/console/withdrawals/\(withdrawal)/settle", [("step", "approved")])
            #expect(post.location == "/console/login")
            #expect(try central.distribution.withdrawals().first?.status == "requested")
            // A forged session cookie is no session.
            var forged = browser
            forged.cookies = "fenxiao_console=0123456789abcdef"
            #expect(try await forged.get("/console").location == "/console/login")
        }
    }

    @Test func loginSetsAStrictHttpOnlyCookieIsAuditedAndChineseByDefault() async throws {
        try await withConsole { browser, central, _ in
            var browser = browser
            let page = try await browser.get("/console/login")
            #expect(page.body.contains("登录"))
            #expect(page.body.contains(#"<html lang="zh-CN">"#))
            #expect(try await browser.get("/console/login?lang=en").body.contains("Log in"))
            let answer = try await browser.logIn("boss", "boss-pass-1")
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/console")
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("fenxiao_console=") })
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
            #expect(!cookie.contains("Secure"))  // plain HTTP on the LAN: a Secure cookie would never come back
            let dashboard = try await browser.get("/console")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("概览"))
            #expect(
                try central.acting(as: "boss").access.auditLog(user: "boss").contains {
                    $0.action == "user.login" && $0.subject == "console"
                })
            // Behind a TLS proxy the cookie is Secure.
            var tls = ConsoleBrowser(client: browser.client)
            let secure = try await tls.logIn(
                "boss", "boss-pass-1", extra: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(
                secure.headers[values: .setCookie].contains {
                    $0.hasPrefix("fenxiao_console=") && $0.contains("Secure")
                })
            // Logging out ends the session.
            let out = try await browser.post("/console/logout", [("csrf", try await browser.csrf())])
            #expect(out.location == "/console/login")
            #expect(try await browser.get("/console").location == "/console/login")
        }
    }

    @Test func aLoginFormWithoutItsDoubleSubmitTokenIsRefused() async throws {
        try await withConsole { browser, _, _ in
            let answer = try await browser.post(
                "/console/login", [("login_token", "abc"), ("user", "boss"), ("password", "boss-pass-1")])
            #expect(answer.status == .forbidden)
            #expect(!answer.headers[values: .setCookie].contains { $0.hasPrefix("fenxiao_console=") })
        }
    }

    @Test func fiveWrongPasswordsLockTheUserEvenAgainstTheRightOne() async throws {
        try await withConsole { browser, _, _ in
            var browser = browser
            for n in 1...5 {
                let wrong = try await browser.logIn("hana", "not-her-password")
                #expect(wrong.status == .unauthorized, "attempt \(n)")
            }
            let locked = try await browser.logIn("hana", "hana-pass-1")
            #expect(locked.status == .unauthorized)
            #expect(locked.body.contains("连续输错 5 次密码，锁定至"))  // in the page's language
            // Other users are not locked, and a cashier cannot use the console at all.
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            var cashier = ConsoleBrowser(client: browser.client)
            #expect(try await cashier.logIn("amy", "whatever-1").status == .forbidden)
        }
    }

    @Test func aWrongCSRFTokenIs403AndChangesNothingTheRightOneApprovesAndAudits() async throws {
        try await withConsole { browser, central, withdrawal in
            var browser = browser
            _ = try await browser.logIn("boss", "boss-pass-1")
            let uri = "/console/withdrawals/\(withdrawal)/settle"
            let forged = try await browser.post(uri, [("csrf", "0000"), ("step", "approved")])
            #expect(forged.status == .forbidden)
            let missing = try await browser.post(uri, [("step", "approved")])
            #expect(missing.status == .forbidden)
            #expect(try central.distribution.withdrawals().first { $0.id == withdrawal }?.status == "requested")
            let csrf = try await browser.csrf("/console/withdrawals")
            let approved = try await browser.post(uri, [("csrf", csrf), ("step", "approved")])
            #expect(approved.status == .seeOther)
            #expect(approved.location == "/console/withdrawals")
            #expect(try central.distribution.withdrawals().first { $0.id == withdrawal }?.status == "approved")
            let paid = try await browser.post(uri, [("csrf", csrf), ("step", "paid"), ("reference", "BANK-778")])
            #expect(paid.status == .seeOther)
            let w = try #require(try central.distribution.withdrawals().first { $0.id == withdrawal })
            #expect(w.status == "paid" && w.reference == "BANK-778")
            let audit = try central.acting(as: "boss").access.auditLog(user: "boss")
            #expect(audit.contains { $0.action == "withdrawal.approved" && $0.subject == withdrawal })
            #expect(audit.contains { $0.action == "withdrawal.paid" && $0.subject == withdrawal })
            // A step the withdrawal cannot take is the use case's sentence, with its status.
            let again = try await browser.post(uri, [("csrf", csrf), ("step", "approved")])
            #expect(again.status == .conflict)
            #expect(again.body.contains("当前状态为 paid，不能变为 approved"))
        }
    }

    @Test func eachRoleSeesOnlyItsScreensAndContactsAreMaskedWithoutViewContacts() async throws {
        try await withConsole { browser, central, withdrawal in
            var fay = browser, hana = ConsoleBrowser(client: browser.client),
                max = ConsoleBrowser(client: browser.client)
            _ = try await fay.logIn("fay", "fay-pass-1")
            _ = try await hana.logIn("hana", "hana-pass-1")
            _ = try await max.logIn("max", "max-pass-1")
            // Finance: withdrawals (phones masked), not applications, conflicts or prices.
            let list = try await fay.get("/console/withdrawals")
            #expect(list.status == .ok)
            #expect(list.body.contains(withdrawal))
            #expect(list.body.contains("138****0002"))
            #expect(!list.body.contains("13800000002"))
            let csv = try await fay.get("/console/withdrawals.csv")
            #expect(csv.body.contains("138****0002") && !csv.body.contains("13800000002"))
            for uri in ["/console/applications", "/console/conflicts", "/console/applications.csv"] {
                let denied = try await fay.get(uri)
                #expect(denied.status == .forbidden, "\(uri)")
            }
            #expect(try await fay.get("/console/applications").body.contains("用户 fay（finance）无权执行"))
            #expect(try await fay.get("/console/applications?lang=en").body.contains("may not approve distributors"))
            let fayHome = try await fay.get("/console")
            #expect(fayHome.status == .ok)
            #expect(!fayHome.body.contains(#"href="/console/applications""#))
            #expect(fayHome.body.contains(#"href="/console/withdrawals""#))
            // hq_staff: applications with full phones and conflicts; not withdrawals.
            let applications = try await hana.get("/console/applications")
            #expect(applications.status == .ok)
            #expect(applications.body.contains("13800000003"))  // D's phone
            #expect(try await hana.get("/console/withdrawals").status == .forbidden)
            #expect(try await hana.get("/console/withdrawals.csv").status == .forbidden)
            #expect(try await hana.get("/console/conflicts").status == .ok)
            let csrf = try await hana.csrf("/console/applications")
            let denied = try await hana.post(
                "/console/withdrawals/\(withdrawal)/settle", [("csrf", csrf), ("step", "approved")])
            #expect(denied.status == .forbidden)
            #expect(try central.distribution.withdrawals().first?.status == "requested")
            // She approves D's application through the same use case as the CLI.
            let approved = try await hana.post(
                "/console/applications/D/review", [("csrf", csrf), ("decision", "approve")])
            #expect(approved.location == "/console/applications")
            #expect(try central.distribution.find("D").status == "active")
            #expect(
                try central.acting(as: "boss").access.auditLog(user: "hana").contains {
                    $0.action == "distributor.review"
                })
            // Store manager: conflicts and reports, not distribution.
            #expect(try await max.get("/console/conflicts").status == .ok)
            #expect(try await max.get("/console/applications").status == .forbidden)
            #expect(try await max.get("/console/withdrawals").status == .forbidden)
        }
    }

    @Test func theDashboardShowsTheSameNumbersAsTheSalesReport() async throws {
        try await withConsole { browser, central, _ in
            var browser = browser
            _ = try ConsoleShop.sell(central.acting(as: "boss"), "MUG-01", 1)
            _ = try await browser.logIn("boss", "boss-pass-1")
            let page = try await browser.get("/console")
            #expect(page.status == .ok)
            let day = 86_400_000 as Int64, offset = try central.dayOffsetMillis()
            let now = central.store.wallNow()
            let today = (now + offset) / day * day - offset
            let rows = try central.acting(as: "boss").reports.sales(by: .all, from: today)
            let row = try #require(rows.first { $0.store != "*" })
            #expect(row.orders == 2)
            let expected =
                #"<td class="num">\#(row.orders)</td><td class="num">\#(yuan(row.net_cents))</td>"#
            #expect(page.body.contains(#"data-store="\#(row.store)""#))
            #expect(page.body.contains(expected))
            #expect(page.body.contains("<svg class=\"chart\""))
            #expect(page.body.contains("待审分销商申请"))  // D's application waits
            let csv = try await browser.get("/console/sales.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("\u{FEFF}window,from,store,orders,revenue,refunds,net\r\n"))
            #expect(csv.body.contains("today,\(today),\(row.store),\(row.orders),"))
        }
    }

    @Test func hostileTextIsEscapedOnPagesAndDefusedInCSVAndOversizedFormsAreRefused() async throws {
        try await withConsole { browser, central, _ in
            var browser = browser
            let hostile = #"=HYPERLINK("evil")<script>alert(1)</script>"#
            _ = try central.acting(as: "boss").members.upsert(id: "X1", name: "x", phone: "13800000099")
            _ = try central.acting(as: "boss").distribution.apply(
                member: "X1", channels: hostile, experience: nil, inviterCode: nil)
            _ = try await browser.logIn("boss", "boss-pass-1")
            let page = try await browser.get("/console/applications")
            #expect(!page.body.contains("<script>alert(1)</script>"))
            #expect(page.body.contains("=HYPERLINK(&quot;evil&quot;)&lt;script&gt;alert(1)&lt;/script&gt;"))
            // In the CSV a formula is shown, not run: a leading ', quoted, quotes doubled.
            let csv = try await browser.get("/console/applications.csv")
            #expect(csv.body.contains(#","'=HYPERLINK(""evil"")<script>alert(1)</script>""#))
            let big = try await browser.post(
                "/console/conflicts/resolve", [("note", String(repeating: "x", count: 20_000))])
            #expect(big.status == .contentTooLarge)
        }
    }

    func yuan(_ cents: Int64) -> String { "¥\(cents / 100).\(String(format: "%02d", cents % 100))" }
}
