import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Testing

/// The console's members and distributors screens over HTTP on a real central: search, a
/// member's ledgers and coupons, levels and groups; the distributor list, tree, commission
/// ledger and reports equal to the use cases; CSV; 403 for roles without the screen's
/// permission; contact data masked as the use cases mask it.
@Suite struct ConsoleMemberTests {
    /// ``ConsoleShop`` plus levels (银卡 from 100 points, 金卡 from 1,000), a group "buyers"
    /// (¥100.00 spent in 30 days), points that expire after 365 days, +150 points and a ¥50.00
    /// top-up for M9, a holders-only coupon VIP5 issued to M9, A's ¥12.50 tea paid from a ¥20.00
    /// top-up, and E invited by C (C's downline).
    func withMembers(_ body: @Sendable (ConsoleBrowser, FenxiaoNode) async throws -> Void) async throws {
        let dir = TempDirectory("console-members")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let boss = central.acting(as: "boss")
        _ = try boss.members.defineLevel(
            id: "silver", name: "银卡", minPoints: 100, pointsMultiplier: 100, discountPercent: 0)
        _ = try boss.members.defineLevel(
            id: "gold", name: "金卡", minPoints: 1000, pointsMultiplier: 150, discountPercent: 5)
        _ = try boss.members.defineGroup(
            id: "buyers", name: "近期购买", minSpend: Money(cents: 10000), minOrders: 1, days: 30, region: nil)
        _ = try boss.members.setPointsSettings(capPercent: nil, expiryDays: 365, sharePoints: nil, shareDailyLimit: nil)
        _ = try boss.members.ledger(member: "M9", account: .points, delta: 150, reason: "manual")
        _ = try boss.members.ledger(member: "M9", account: .wallet, delta: 5000, reason: "topup", payment: .cash)
        _ = try boss.marketing.define(Coupon(code: "VIP5", amountCents: 500), holdersOnly: true)
        _ = try boss.marketing.issueCoupon(code: "VIP5", members: ["M9"], group: nil)
        _ = try boss.members.ledger(member: "A", account: .wallet, delta: 2000, reason: "topup", payment: .cash)
        _ = try boss.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
        _ = try boss.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], member: "A", pay: .stored))
        _ = try boss.members.upsert(id: "E", name: "member E", phone: "13800000077")
        _ = try boss.distribution.apply(member: "E", channels: nil, experience: nil, inviterCode: "RC-C")
        _ = try boss.distribution.review(id: "E", approve: true, reason: nil, group: nil)
        try await consoleApp(central).test(.router) { client in
            try await body(ConsoleBrowser(client: client), central)
        }
    }

    @Test func searchFindsByPhoneNameLevelAndGroupInChinese() async throws {
        try await withMembers { browser, central in
            var browser = browser
            _ = try await browser.logIn("hana", "hana-pass-1")
            let all = try await browser.get("/console/members")
            #expect(all.status == .ok)
            #expect(all.body.contains("会员等级（规则）") && all.body.contains("银卡") && all.body.contains("近期购买"))
            #expect(
                all.body.contains(#"href="/console/members/A""#) && all.body.contains(#"href="/console/members/M9""#))
            let english = try await browser.get("/console/members/M9?lang=en")
            #expect(english.body.contains("Points ledger") && english.body.contains("Stored-value ledger"))
            #expect(english.body.contains("Coupons held") && english.body.contains("issued"))
            let byPhone = try await browser.get("/console/members?q=0000004")
            #expect(byPhone.body.contains(#"href="/console/members/M9""#))
            #expect(byPhone.body.contains("13800000004"))  // hq_staff sees contacts
            #expect(!byPhone.body.contains(#"href="/console/members/A""#))
            let byName = try await browser.get("/console/members?q=MEMBER%20c")
            #expect(byName.body.contains(#"href="/console/members/C""#))
            #expect(!byName.body.contains(#"href="/console/members/M9""#))
            let silver = try await browser.get("/console/members?level=silver")
            #expect(silver.body.contains(#"href="/console/members/M9""#))
            #expect(!silver.body.contains(#"href="/console/members/A""#))
            // Buyers: M9 bought the mugs; the search equals the group's members.
            let buyers = try central.acting(as: "boss").members.groupMembers("buyers")
            #expect(buyers == ["M9"])
            let csv = try await browser.get("/console/members?group=buyers&table=members&format=csv")
            #expect(csv.body.hasPrefix("\u{FEFF}id,name,phone,level,points,stored_value\r\n"))
            let m9 = try central.acting(as: "boss").members.find("M9")
            #expect(csv.body.contains("\r\nM9,member M9,13800000004,silver,\(m9.points),50.00\r\n"))
            #expect(csv.body.components(separatedBy: "\r\n").count == 3)  // header, M9, the end
            // A hostile name is escaped on the page and defused in the CSV.
            _ = try central.acting(as: "boss").members.upsert(
                id: "X1", name: #"=HYPERLINK("x")<script>alert(1)</script>"#, phone: "13800000099")
            let hostile = try await browser.get("/console/members?q=X1")
            #expect(!hostile.body.contains("<script>alert(1)</script>"))
            #expect(hostile.body.contains("=HYPERLINK(&quot;x&quot;)&lt;script&gt;"))
            let defused = try await browser.get("/console/members?q=X1&table=members&format=csv")
            #expect(defused.body.contains(#"X1,"'=HYPERLINK(""x"")<script>alert(1)</script>",13800000099"#))
            let unknown = try await browser.get("/console/members?group=nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("没有会员分组 nope"))
            #expect(try await browser.get("/console/members?level=platinum").body.contains("没有会员等级 platinum"))
        }
    }

    @Test func aMemberPageShowsLevelGroupsBothLedgersAndCoupons() async throws {
        try await withMembers { browser, central in
            var browser = browser
            _ = try await browser.logIn("hana", "hana-pass-1")
            let page = try await browser.get("/console/members/M9")
            #expect(page.status == .ok)
            for word in ["积分明细", "储值明细", "持有的优惠券", "银卡", "金卡", "近期购买", "VIP5", "总部发放", "充值", "人工调整"] {
                #expect(page.body.contains(word), "\(word)")
            }
            #expect(page.body.contains(#"<dd data-key="phone">13800000004</dd>"#))
            #expect(page.body.contains("<progress"))
            #expect(page.body.contains(#"<a href="/console/orders/O-"#))  // the order that earned points
            let members = central.acting(as: "boss").members
            let points = try members.points(of: "M9")
            #expect(page.body.contains(#"<dd data-key="points">\#(points.available)</dd>"#))
            #expect(page.body.contains(#"<dd data-key="wallet">¥50.00</dd>"#))
            #expect(page.body.contains("积分在获得 365 天后过期"))
            // Re-read the stored-value CSV: BOM, header, the top-up's values.
            let csv = try await browser.get("/console/members/M9?table=wallet&format=csv")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"fenxiao-member-M9-wallet.csv\"")
            #expect(csv.body.hasPrefix("\u{FEFF}"))
            let lines = csv.body.dropFirst().components(separatedBy: "\r\n")
            #expect(lines[0] == "time,amount,reason,ref,origin,id")
            let entry = try #require(try members.walletHistory(of: "M9").first)
            let cells = lines[1].components(separatedBy: ",")
            #expect(Array(cells[1...5]) == ["50.00", "topup", "cash", "central", entry.id])
            let pointsCSV = try await browser.get("/console/members/M9?table=points&format=csv")
            let manual = try #require(try members.pointsHistory(of: "M9").first { $0.reason == "manual" })
            #expect(pointsCSV.body.contains(",150,manual,,"))
            #expect(pointsCSV.body.contains(manual.id))
            let coupons = try await browser.get("/console/members/M9?table=coupons&format=csv")
            #expect(coupons.body.contains("\r\nVIP5,issue,5.00,0.00,,active\r\n"))
            // A payment with stored value is a negative number, not a defused formula.
            let paid = try await browser.get("/console/members/A?table=wallet&format=csv")
            #expect(paid.body.contains(",-12.50,payment,"))
            #expect(try await browser.get("/console/members/A").body.contains("-¥12.50"))
            #expect(try await browser.get("/console/members/NOBODY").status == .notFound)
        }
    }

    @Test func theSearchMasksContactsLikeTheUseCasesForARoleWithoutViewContacts() async throws {
        try await withMembers { _, central in
            // A cashier manages members without seeing contacts (she cannot open the console;
            // the console calls this same use case): her whole phone finds the member, masked;
            // a part of it finds nobody.
            let amy = central.acting(as: "amy").members
            let found = try amy.search(text: "13800000004", level: nil, group: nil)
            #expect(found.members.map(\.id) == ["M9"])
            #expect(found.members.first?.phone == "138****0004")
            #expect(found.members.first?.phone == (try amy.find("M9")).phone)
            #expect(try amy.search(text: "0000004", level: nil, group: nil).members.isEmpty)
            #expect(
                try central.acting(as: "hana").members.search(text: "0000004", level: nil, group: nil).members
                    .first?.phone == "13800000004")
            #expect(throws: NodeError.self) {
                try central.acting(as: "fay").members.search(text: nil, level: nil, group: nil)
            }
        }
    }

    @Test func theDistributorListTreeLedgerAndReportsEqualTheUseCases() async throws {
        try await withMembers { browser, central in
            var browser = browser
            _ = try await browser.logIn("hana", "hana-pass-1")
            let distribution = central.acting(as: "hana").distribution
            let list = try await browser.get("/console/distributors")
            #expect(list.status == .ok)
            #expect(list.body.contains("分销关系树") && list.body.contains(#"href="/console/withdrawals""#) == false)
            #expect(list.body.contains(#"href="/console/applications""#))
            // The tree: E under C, one level down.
            #expect(
                list.body.contains(
                    #"<li data-depth="0"><a href="/console/distributors/C">C</a> <span class="meta">正常</span><ul><li data-depth="1"><a href="/console/distributors/E">E</a>"#
                ))
            let account = try distribution.commissionAccount("C")
            let c = try #require(try distribution.commissionReport(by: .distributor).first { $0.key == "C" })
            let csv = try await browser.get("/console/distributors?table=distributors&format=csv")
            #expect(
                csv.body.contains(
                    "\r\nC,C,13800000002,active,,,1,\(c.orders),18.00,\(CSVText.yuan(c.pending_cents)),\(CSVText.yuan(c.frozen_cents)),\(CSVText.yuan(c.available_cents)),\(CSVText.yuan(c.paid_out_cents ?? 0))\r\n"
                ))
            #expect(csv.body.contains("\r\nE,E,13800000077,active,,C,0,0,0.00,0.00,0.00,0.00,0.00\r\n"))
            let detail = try await browser.get("/console/distributors/C")
            #expect(
                detail.body.contains(#"<dd data-key="balance">\#(ConsoleMemberTests.yuan(account.balance_cents))</dd>"#)
            )
            #expect(detail.body.contains(#"<dd data-key="sales">¥180.00</dd>"#))
            // C's page: the commission of M9's order, and the withdrawal asked for.
            let page = try await browser.get("/console/distributors/C")
            #expect(page.status == .ok)
            let entry = try #require(account.entries.first)
            #expect(entry.earn_cents == 1800)
            #expect(page.body.contains(#"<a href="/console/orders/\#(entry.order)">\#(entry.order)</a>"#))
            #expect(page.body.contains("¥18.00"))
            #expect(page.body.contains("佣金明细") && page.body.contains("月度对账单"))
            let ledger = try await browser.get("/console/distributors/C?table=commissions&format=csv")
            #expect(ledger.body.contains("\r\n\(entry.order),1,R1,18.00,0.00,18.00,\(entry.status),"))
            // Commission reports per level, distributor and month, as `commission report`.
            for by in CommissionReportDimension.allCases {
                let rows = try distribution.commissionReport(by: by)
                #expect(!rows.isEmpty)
                let got = try await browser.get(
                    "/console/distributors/commissions?by=\(by.rawValue)&table=report&format=csv")
                let lines = got.body.dropFirst().components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                #expect(
                    lines
                        == rows.map {
                            ([
                                $0.key, "\($0.orders)", CSVText.yuan($0.earned_cents), CSVText.yuan($0.reversed_cents),
                                CSVText.yuan($0.net_cents), CSVText.yuan($0.pending_cents),
                                CSVText.yuan($0.frozen_cents),
                                CSVText.yuan($0.available_cents),
                            ] + (by == .level ? [] : [CSVText.yuan($0.paid_out_cents ?? 0)])).joined(separator: ",")
                        }, "\(by)")
            }
            let bad = try await browser.get("/console/distributors/commissions?by=week")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("分组方式（by）必须是 level, distributor, month 之一"))
            #expect(try await browser.get("/console/distributors?status=gone").status == .badRequest)
            let nobody = try await browser.get("/console/distributors/NOBODY")
            #expect(nobody.status == .notFound)
            #expect(nobody.body.contains("没有分销商 NOBODY"))
        }
    }

    @Test func aRoleWithoutTheScreensPermissionGets403OnEveryRoute() async throws {
        try await withMembers { browser, _ in
            var fay = browser, max = ConsoleBrowser(client: browser.client)
            _ = try await fay.logIn("fay", "fay-pass-1")
            _ = try await max.logIn("max", "max-pass-1")
            let members = [
                "/console/members", "/console/members?q=M9", "/console/members/M9",
                "/console/members?table=levels&format=csv", "/console/members/M9?table=wallet&format=csv",
            ]
            let distributors = [
                "/console/distributors", "/console/distributors/C", "/console/distributors/commissions",
                "/console/distributors?table=distributors&format=csv",
                "/console/distributors/C?table=commissions&format=csv",
                "/console/distributors/commissions?by=month&table=report&format=csv",
            ]
            for uri in members + distributors {
                let denied = try await fay.get(uri)
                #expect(denied.status == .forbidden, "fay \(uri)")
                #expect(!denied.body.contains("13800000004"))
            }
            #expect(try await fay.get("/console/members").body.contains("用户 fay（finance）无权执行"))
            // A store manager manages members but does not approve distributors.
            #expect(try await max.get("/console/members/M9").status == .ok)
            for uri in distributors {
                #expect(try await max.get(uri).status == .forbidden, "max \(uri)")
            }
            // Oversized search text: a 400 naming the field, nothing searched.
            let long = try await max.get("/console/members?q=" + String(repeating: "1", count: 65))
            #expect(long.status == .badRequest)
            #expect(long.body.contains("搜索（q）最多 64 个字符"))
        }
    }
}

extension ConsoleMemberTests {
    /// Fen as the console's pages write them: `¥12.50`.
    static func yuan(_ cents: Int64) -> String { (cents < 0 ? "-¥" : "¥") + CSVText.yuan(Int64(cents.magnitude)) }
}

/// Fen as the console's CSV writes them: `12.50`.
enum CSVText {
    static func yuan(_ cents: Int64) -> String {
        (cents < 0 ? "-" : "") + "\(cents.magnitude / 100).\(String(format: "%02d", Int(cents.magnitude % 100)))"
    }
}
