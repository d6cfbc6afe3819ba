import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import SyncClient
import Testing

/// The console's reports screen over HTTP on a real central that two real stores synced into:
/// each store sold on three days (its clock moved a day between), so the report has several
/// periods and stores. Every table equals the use case's rows (`fenxiao report …`), the CSV is
/// what Excel opens, and bad filters are a 400 naming the field.
@Suite struct ConsoleReportTests {
    static let day: Int64 = 86_400_000

    /// Central (``ConsoleShop``) with stores s1 and s2 that sold on the three days before today
    /// and synced over HTTP; `body` gets a console browser, central, and today's local midnight.
    func withChain(_ body: @Sendable (ConsoleBrowser, FenxiaoNode, Int64) async throws -> Void) async throws {
        let dir = TempDirectory("console-report")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let boss = central.acting(as: "boss")
        _ = try boss.members.ledger(member: "A", account: .wallet, delta: 5000, reason: "topup", payment: .cash)
        let tokens = try ["s1", "s2"].map { try boss.sync.enroll(node: $0, warehouses: []) }
        let offset = try central.dayOffsetMillis()
        let now = central.store.wallNow()
        let today = (now + offset) / Self.day * Self.day - offset
        try await consoleApp(central).test(.live) { client in
            let port = try #require(client.port)
            for (n, name) in ["s1", "s2"].enumerated() {
                _ = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
                let clock = ManualClock(today - 3 * Self.day + 10 * 3_600_000)
                let store = FenxiaoNode(store: try NodeStore.open(directory: dir.sub(name), wallClock: clock.now))
                try store.store.setMeta(["central_url": "http://127.0.0.1:\(port)", "token": tokens[n]])
                try await Self.sync(store)
                let seller = store.acting(as: "boss")
                _ = try seller.inventory.move(sku: "TEA-01", quantity: 100, reason: .receive)
                for d in 0..<3 {
                    // s1 sells d+1 teas by cash each day, s2 a bun by card and (from day 2) teas.
                    if name == "s1" {
                        _ = try seller.orders.create(OrderRequest(lines: [.line("TEA-01", Int64(d + 1))], pay: .cash))
                    } else {
                        _ = try seller.inventory.move(sku: "BUN-01", quantity: 1, reason: .receive)
                        _ = try seller.orders.create(OrderRequest(lines: [.line("BUN-01", 1)], pay: .card))
                        if d > 0 { _ = try seller.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash)) }
                    }
                    clock.advance(minutes: 24 * 60)
                }
                try await Self.sync(store)
            }
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            try await body(browser, central, today)
        }
    }

    static func sync(_ node: FenxiaoNode) async throws {
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node),
            configuration: .init(batchSize: 1000, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
            timeoutMillis: 30_000)
        _ = try await runner.run()
    }

    static func yuan(_ cents: Int64) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }

    /// `YYYY-MM-DD` of the local day starting at `midnight`.
    static func date(_ midnight: Int64, offset: Int64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: Int(offset / 1000))
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: Double(midnight) / 1000))
    }

    /// The CSV the console should give for `rows`: BOM, the header, CRLF lines.
    static func csv(_ header: String, _ rows: [[String]]) -> String {
        "\u{FEFF}" + ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\r\n") + "\r\n"
    }

    @Test func everyTableEqualsTheUseCaseForEachPeriodAndTheDatesChosen() async throws {
        try await withChain { browser, central, today in
            let reports = central.acting(as: "boss").reports
            let offset = try central.dayOffsetMillis()
            let from = today - 3 * Self.day
            let query = "from=\(Self.date(from, offset: offset))&to=\(Self.date(today - Self.day, offset: offset))"
            for period in ReportPeriod.allCases {
                // The `to` day is included: the use case's exclusive end is the next midnight.
                let sales = try reports.sales(by: period, from: from, to: today)
                #expect(Set(sales.map(\.store)).isSuperset(of: ["s1", "s2", "*"]), "\(period)")
                let got = try await browser.get(
                    "/console/reports?period=\(period.rawValue)&\(query)&table=sales&format=csv")
                #expect(got.status == .ok)
                #expect(got.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(
                    got.body
                        == Self.csv(
                            "period,store,orders,revenue,refunds,net,average_order",
                            sales.map {
                                [
                                    $0.period, $0.store, "\($0.orders)", Self.yuan($0.revenue_cents),
                                    Self.yuan($0.refunds_cents), Self.yuan($0.net_cents),
                                    Self.yuan($0.average_order_cents),
                                ]
                            }), "\(period)")
                let payments = try reports.payments(by: period, from: from, to: today)
                let paid = try await browser.get(
                    "/console/reports?period=\(period.rawValue)&\(query)&table=payments&format=csv")
                #expect(
                    paid.body
                        == Self.csv(
                            "period,store,method,payments,paid,refund_count,refunded,net",
                            payments.map {
                                [
                                    $0.period, $0.store, $0.method, "\($0.payments)", Self.yuan($0.paid_cents),
                                    "\($0.refunds)", Self.yuan($0.refunded_cents), Self.yuan($0.net_cents),
                                ]
                            }), "\(period)")
            }
            // s1 sold 1 + 2 + 3 teas on three days: three day rows of its own.
            let s1 = try reports.sales(by: .day, store: "s1", from: from, to: today)
            #expect(s1.map(\.orders) == [1, 1, 1])
            #expect(s1.map(\.revenue_cents) == [1250, 2500, 3750])
            // Without dates, weeks, months and years are all time, as the CLI's.
            let weeks = try await browser.get("/console/reports?period=week&table=sales&format=csv")
            #expect(
                weeks.body.contains(try reports.sales(by: .week).map { "\($0.period),\($0.store),\($0.orders)," }[0]))
            // Best sellers and top-ups, as `report top` and `report topups`.
            for by in TopSellerDimension.allCases {
                let top = try reports.topSellers(by: by, limit: 5)
                let got = try await browser.get("/console/reports?top=5&table=top_\(by.rawValue)&format=csv")
                #expect(
                    got.body
                        == Self.csv(
                            "rank,\(by.rawValue),units,revenue",
                            top.enumerated().map {
                                [
                                    "\($0.offset + 1)", $0.element.key, "\($0.element.units)",
                                    Self.yuan($0.element.revenue_cents),
                                ]
                            }))
            }
            let topups = try reports.topups()
            #expect(topups.first?.total_cents == 5000)
            let got = try await browser.get("/console/reports?table=topups&format=csv")
            #expect(
                got.body
                    == Self.csv(
                        "store,topups,total,cash,card,wallet,qrpay,bonus,without_payment",
                        topups.map {
                            [
                                $0.store, "\($0.count)", Self.yuan($0.total_cents),
                                Self.yuan($0.by_method["cash"] ?? 0),
                                Self.yuan($0.by_method["card"] ?? 0), Self.yuan($0.by_method["wallet"] ?? 0),
                                Self.yuan($0.by_method["qrpay"] ?? 0), Self.yuan($0.bonus_cents),
                                "\($0.without_payment)",
                            ]
                        }))
        }
    }

    @Test func thePageIsChineseWithAChartAndEveryStoreAndItsTotals() async throws {
        try await withChain { browser, central, today in
            let page = try await browser.get("/console/reports")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<html lang="zh-CN">"#))
            for word in ["报表", "按日", "按支付方式", "畅销商品（SKU）", "储值充值（按门店）", "导出 CSV"] {
                #expect(page.body.contains(word), "\(word)")
            }
            #expect(page.body.contains(#"<svg class="chart""#))
            #expect(page.body.contains(#"<option value="s1">s1</option>"#))
            // The default window is the last 31 days: every day row of the use case is shown.
            let reports = central.acting(as: "boss").reports
            for row in try reports.sales(by: .day, from: today - 30 * Self.day)
            where row.store == "*" && row.period != "total" {
                #expect(page.body.contains(#"<td data-label="期间">\#(row.period)</td><td data-label="门店">合计</td>"#))
            }
            let english = try await browser.get("/console/reports?lang=en&period=month")
            #expect(english.body.contains("Best sellers by SKU") && english.body.contains("By payment method"))
            // One store: its rows only.
            let s2 = try await browser.get("/console/reports?store=s2&period=all&table=sales&format=csv")
            let rows = try reports.sales(by: .all, store: "s2")
            #expect(
                s2.body.hasSuffix(
                    "\r\nall,s2,\(rows[0].orders),\(Self.yuan(rows[0].revenue_cents)),0.00,\(Self.yuan(rows[0].net_cents)),\(Self.yuan(rows[0].average_order_cents))\r\n"
                ))
        }
    }

    @Test(arguments: [
        ("period=hour", "统计周期（period）必须是 day, week, month, year, all 之一"),
        ("from=2026-02-30", "开始日期（from）必须是存在的日期"),
        ("to=yesterday", "结束日期（含）（to）必须是存在的日期"),
        ("from=2026-11-02&to=2026-11-01", "结束日期（含）（to）不能早于开始日期"),
        ("top=0", "排行条数（top）必须是 1 到 100 的整数"),
        ("store=" + String(repeating: "s", count: 65), "门店（store）最多 64 个字符"),
        ("store=" + String(repeating: "s", count: 1100), "查询条件过长"),
    ])
    func badFiltersAreA400NamingTheField(query: String, sentence: String) async throws {
        let dir = TempDirectory("console-report-bad")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            _ = try await browser.logIn("fay", "fay-pass-1")
            let answer = try await browser.get("/console/reports?\(query)")
            #expect(answer.status == .badRequest, "\(query)")
            #expect(answer.body.contains(sentence), "\(query)")
            let csv = try await browser.get("/console/reports?\(query)&table=sales&format=csv")
            #expect(csv.status == .badRequest)
        }
    }

    @Test func financeSeesReportsAndAnUnknownTableIs404() async throws {
        let dir = TempDirectory("console-report-fay")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        try await consoleApp(central).test(.router) { client in
            var fay = ConsoleBrowser(client: client)
            _ = try await fay.logIn("fay", "fay-pass-1")
            #expect(try await fay.get("/console/reports").status == .ok)
            let english = try await fay.get("/console/reports?table=nope&format=csv&lang=en")
            #expect(english.status == .notFound)
            #expect(english.body.contains("table must be one of sales, payments"))
            // Without a session: the login page.
            let anonymous = ConsoleBrowser(client: client)
            #expect(try await anonymous.get("/console/reports").location == "/console/login")
            #expect(try await anonymous.get("/console/reports?table=sales&format=csv").location == "/console/login")
        }
    }
}
