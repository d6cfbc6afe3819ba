import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// Every error a cashier can hit at the till, driven through the till's API (and its forms) in
/// Chinese: each answer's sentence has its Chinese form (none falls through in English), keeps
/// the status and names the field in `field` as the English API does.
@Suite struct TillErrorLanguageTests {
    /// Checks one refusal: the status, the field, and a Chinese sentence.
    func expectChinese(
        _ answer: TillBrowser.Answer, _ status: HTTPResponse.Status, field: String?, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "\(what): \(answer.text)", sourceLocation: sourceLocation)
        if let field {
            #expect(answer.field == field, "\(what): \(answer.text)", sourceLocation: sourceLocation)
        }
        #expect(
            isChinese(answer.error), "\(what) fell through in English: \(answer.error)", sourceLocation: sourceLocation)
    }

    @Test func loginPINAndSessionErrorsAreInChinese() async throws {
        try await withTillShop("till-zh-login", tills: 2) { client, _, store, tokens in
            let till = "fenxiao_till=\(tokens[0]); fenxiao_lang=zh"
            let browser = TillBrowser(client: client, cookies: till)
            expectChinese(
                try await browser.post("/till/api/login", #"{"user":"amy","pin":"9999"}"#), .unauthorized, field: "pin",
                "wrong PIN")
            expectChinese(
                try await browser.post("/till/api/login", #"{"user":"amy","pin":"12"}"#), .badRequest, field: "pin",
                "PIN format")
            expectChinese(
                try await browser.post("/till/api/login", #"{"user":"nobody","pin":"2468"}"#), .unauthorized,
                field: nil,
                "unknown user")
            // Five wrong PINs lock bob; his right PIN is then refused with the time to wait.
            for _ in 1...4 { _ = try await browser.post("/till/api/login", #"{"user":"bob","pin":"1111"}"#) }
            expectChinese(
                try await browser.post("/till/api/login", #"{"user":"bob","pin":"1111"}"#), .unauthorized, field: "pin",
                "fifth wrong PIN")
            let locked = try await browser.post("/till/api/login", #"{"user":"bob","pin":"2468"}"#)
            expectChinese(locked, locked.status, field: nil, "locked user")
            #expect(locked.error.contains("锁定"))
            let stranger = TillBrowser(client: client, cookies: "fenxiao_lang=zh")
            expectChinese(
                try await stranger.post("/till/api/login", #"{"user":"amy","pin":"2468"}"#), .unauthorized, field: nil,
                "not an enrolled till")
            let forged = TillBrowser(client: client, cookies: "fenxiao_till=forged-token; fenxiao_lang=zh")
            expectChinese(
                try await forged.post("/till/api/login", #"{"user":"amy","pin":"2468"}"#), .unauthorized,
                field: "till_token", "forged till token")
            expectChinese(try await browser.get("/till/api/shift"), .unauthorized, field: nil, "no session")
            let bogus = TillBrowser(client: client, cookies: till + "; fenxiao_session=bogus")
            expectChinese(try await bogus.get("/till/api/shift"), .unauthorized, field: "session", "unknown session")
            // A revoked till: its sessions end, its token no longer logs in.
            let second = try await TillBrowser.logIn(client, tillToken: tokens[1])
            #expect(try await second.get("/till/api/shift").status == .ok)
            _ = try store.acting(as: TillShop.manager).till.revoke("TILL-2")
            let revoked = try await second.get("/till/api/shift")
            expectChinese(revoked, .unauthorized, field: nil, "session of a revoked till")
            let again = try await second.post("/till/api/login", #"{"user":"amy","pin":"2468"}"#)
            expectChinese(again, .unauthorized, field: nil, "login at a revoked till")
            // The login form shows the same sentence on its page.
            let page = try await TillBrowser(client: client, cookies: till).form("/till/login", "user=amy&pin=9999")
            #expect(page.status == .unauthorized)
            #expect(page.text.contains("用户 amy 的 PIN 错误"), "\(page.text)")
            // English when the till switched.
            let english = TillBrowser(client: client, cookies: "fenxiao_till=\(tokens[0]); fenxiao_lang=en")
            let wrong = try await english.post("/till/api/login", #"{"user":"cat","pin":"9999"}"#)
            #expect(wrong.error.hasPrefix("wrong pin for user cat"), "\(wrong.error)")
            #expect(wrong.field == "pin")
        }
    }

    @Test func sellingErrorsAreInChinese() async throws {
        try await withTillShop("till-zh-sell") { client, central, store, tokens in
            let boss = central.acting(as: "boss")
            _ = try boss.catalog.upsert([CatalogItem(sku: "OFF-01", name: "Old tea", price: Money(cents: 990))])
            _ = try boss.catalog.setOnShelf(sku: "OFF-01", false)
            _ = try boss.marketing.defineCoupon(code: "ONCE", amount: Money(cents: 100), minSpend: nil, singleUse: true)
            _ = try boss.marketing.define(Coupon(code: "OLD", kind: .amountOff(cents: 100), endsAt: 1))
            try pull(central, into: store)
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0])
            let long = String(repeating: "9", count: 5000)
            expectChinese(try await till.get("/till/api/scan?code=NOPE-9"), .notFound, field: "code", "unknown code")
            expectChinese(try await till.get("/till/api/scan?code=\(long)"), .badRequest, field: "code", "long code")
            expectChinese(try await till.get("/till/api/products?q=\(long)"), .badRequest, field: nil, "long search")
            func sale(_ lines: String, _ payments: String, extra: String = "") -> String {
                #"{"cart":{"lines":[\#(lines)]\#(extra)},"payments":[\#(payments)]}"#
            }
            let card1250 = #"{"method":"card","amount_cents":1250}"#
            expectChinese(
                try await till.post("/till/api/sales", sale(#"{"sku":"OFF-01","qty":1}"#, card1250)), .conflict,
                field: nil, "off the shelf")
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(#"{"sku":"TEA-01","qty":500}"#, #"{"method":"card","amount_cents":625000}"#)
                ),
                .conflict, field: nil, "insufficient stock")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[{"sku":"TEA-01","qty":0}]}"#), .badRequest,
                field: nil, "zero quantity")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[{"sku":"TEA-01","qty":99999999999999999999}]}"#),
                .badRequest, field: "qty", "overflowing quantity")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[{"sku":"NOPE-1","qty":1}]}"#), .notFound, field: nil,
                "unknown SKU")
            expectChinese(
                try await till.get("/till/api/members?phone=13900000009"), .notFound, field: "phone", "no such member")
            expectChinese(
                try await till.get("/till/api/members?phone=abc"), .badRequest, field: "phone", "phone format")
            let member = try await till.post("/till/api/members", #"{"phone":"13900000001"}"#)
            let id = try #require(member.body["id"] as? String, "\(member.text)")
            expectChinese(
                try await till.post("/till/api/members", #"{"phone":"13900000001"}"#), .conflict, field: nil,
                "phone taken")
            let tea = #"{"sku":"TEA-01","qty":1}"#
            expectChinese(
                try await till.post("/till/api/sales", sale(tea, card1250, extra: #","coupon":"NOPE""#)), .notFound,
                field: nil, "unknown coupon")
            #expect(
                try await till.post(
                    "/till/api/sales", sale(tea, #"{"method":"card","amount_cents":1150}"#, extra: #","coupon":"ONCE""#)
                )
                .status == .created)
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(tea, #"{"method":"card","amount_cents":1150}"#, extra: #","coupon":"ONCE""#)
                ),
                .conflict, field: nil, "coupon used")
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(tea, #"{"method":"card","amount_cents":1150}"#, extra: #","coupon":"OLD""#)),
                .conflict, field: nil, "coupon expired")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[\#(tea)],"member":"\#(id)","points":100}"#),
                .conflict,
                field: "points", "points over the cap")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[\#(tea)],"points":100}"#), .badRequest,
                field: "member", "points without a member")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[\#(tea)],"points":-5}"#), .badRequest,
                field: "points", "negative points")
            expectChinese(
                try await till.post(
                    "/till/api/sales",
                    sale(tea, #"{"method":"card","amount_cents":1150}"#, extra: #","member":"\#(id)","points":100"#)),
                .conflict, field: nil, "points over the balance")
            expectChinese(
                try await till.post(
                    "/till/api/sales",
                    sale(tea, #"{"method":"stored","amount_cents":1250}"#, extra: #","member":"\#(id)""#)),
                .conflict, field: nil, "stored value short")
            expectChinese(
                try await till.post("/till/api/sales", sale(tea, #"{"method":"stored","amount_cents":1250}"#)),
                .badRequest, field: "payment", "stored value without a member")
            expectChinese(
                try await till.post("/till/api/sales", sale(tea, #"{"method":"card","amount_cents":1000}"#)),
                .badRequest,
                field: "payment", "split payment mismatch")
            expectChinese(
                try await till.post(
                    "/till/api/sales",
                    sale(tea, #"{"method":"card","amount_cents":1000},{"method":"cash","amount_cents":1000}"#)),
                .badRequest, field: "payment", "split payment over")
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(tea, #"{"method":"cash","amount_cents":1250,"tendered_cents":1000}"#)),
                .badRequest, field: "tendered", "tendered short")
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(tea, #"{"method":"card","amount_cents":1250,"tendered_cents":2000}"#)),
                .badRequest, field: "tendered", "tendered with a card")
            expectChinese(
                try await till.post("/till/api/sales", sale(tea, "")), .badRequest, field: "payments", "no payment")
            expectChinese(
                try await till.post("/till/api/sales", #"{"cart":{"lines":[]}}"#), .badRequest, field: "payments",
                "missing field")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":"TEA-01"}"#), .badRequest, field: "lines",
                "wrong type")
            expectChinese(try await till.post("/till/api/quote", "{not json"), .badRequest, field: nil, "not JSON")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[]}"#), .badRequest, field: nil, "empty cart")
        }
    }

    @Test func afterSaleAndShiftErrorsAreInChinese() async throws {
        try await withTillShop("till-zh-after") { client, _, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0])
            let tea = try await till.sell("TEA-01", qty: 2, paying: "card", cents: 2500)
            let mugs = try await till.sell("MUG-01", qty: 5, paying: "card", cents: 22500)
            expectChinese(try await till.get("/till/api/orders/ZZZZ"), .notFound, field: nil, "suffix not found")
            expectChinese(
                try await till.get("/till/api/orders/O-NOPE-123456789"), .notFound, field: nil, "unknown order")
            let refund = "/till/api/orders/\(tea)/refund"
            expectChinese(
                try await till.post(refund, #"{"lines":[{"line":1,"qty":5}],"restock":true}"#), .conflict, field: nil,
                "line over sold")
            expectChinese(
                try await till.post(refund, #"{"lines":[{"line":9,"qty":1}],"restock":true}"#), .badRequest, field: nil,
                "no such line")
            expectChinese(
                try await till.post(refund, #"{"lines":[{"line":1,"qty":0}],"restock":true}"#), .badRequest, field: nil,
                "zero refund quantity")
            expectChinese(
                try await till.post(refund, #"{"lines":[],"restock":true}"#), .badRequest, field: "line", "no lines")
            #expect(try await till.post(refund, #"{"lines":[{"line":1,"qty":2}],"restock":true}"#).status == .ok)
            expectChinese(
                try await till.post(refund, #"{"lines":[{"line":1,"qty":1}],"restock":true}"#), .conflict, field: nil,
                "nothing left to refund")
            let big = "/till/api/orders/\(mugs)/refund"
            expectChinese(
                try await till.post(big, #"{"lines":[{"line":1,"qty":5}],"restock":true}"#), .forbidden, field: nil,
                "refund over the cashier's limit")
            expectChinese(
                try await till.post(
                    big, #"{"lines":[{"line":1,"qty":5}],"restock":true,"manager":{"user":"max","pin":"0000"}}"#),
                .unauthorized, field: "manager_pin", "wrong manager PIN")
            expectChinese(
                try await till.post(
                    big, #"{"lines":[{"line":1,"qty":5}],"restock":true,"manager":{"user":"amy","pin":"2468"}}"#),
                .forbidden, field: nil, "a cashier approving")
            let exchange = "/till/api/orders/\(mugs)/exchange"
            expectChinese(
                try await till.post(
                    exchange,
                    #"{"lines":[],"restock":true,"cart":{"lines":[{"sku":"BUN-01","qty":1}]},"payments":[{"method":"cash","amount_cents":350}]}"#
                ), .badRequest, field: "line", "exchange without lines")
            expectChinese(
                try await till.post("/till/api/shift/open", #"{"float_cents":20000}"#), .conflict, field: nil,
                "shift already open")
            expectChinese(try await till.get("/till/z/SH-NOPE"), .notFound, field: nil, "unknown shift")
            let badCount = try await till.form("/till/shift/close", "counted=abc")
            #expect(badCount.status == .badRequest)
            #expect(badCount.text.contains("清点现金 必须是以元为单位的金额"), "\(badCount.text)")
            #expect(try await till.form("/till/shift/close", "counted=200.00").status == .seeOther)
            expectChinese(
                try await till.post(
                    "/till/api/sales",
                    #"{"cart":{"lines":[{"sku":"BUN-01","qty":1}]},"payments":[{"method":"cash","amount_cents":350}]}"#),
                .conflict, field: "shift", "no shift open")
            expectChinese(
                try await till.post(
                    exchange,
                    #"{"lines":[{"line":1,"qty":1}],"restock":true,"cart":{"lines":[{"sku":"BUN-01","qty":1}]},"payments":[{"method":"cash","amount_cents":350}]}"#
                ), .conflict, field: "shift", "exchange without a shift")
            let badFloat = try await till.form("/till/shift/open", "float=-5")
            #expect(badFloat.status == .badRequest)
            #expect(badFloat.text.contains("备用金 必须是以元为单位的金额"), "\(badFloat.text)")
            #expect(try store.orders.find(tea).refunded_cents == 2500)
        }
    }

    /// What the till's edge refuses (TillInput, TillNumbers) reads in Chinese too.
    @Test func cashMovesDrawerDifferenceAndParkedSaleErrorsAreInChinese() async throws {
        try await withTillShop("till-zh-cash") { client, _, _, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0])
            expectChinese(
                try await till.post("/till/api/shift/cash", #"{"direction":"in","amount_cents":0,"reason":"补零钱"}"#),
                .badRequest, field: nil, "zero cash move")
            expectChinese(
                try await till.post("/till/api/shift/cash", #"{"direction":"out","amount_cents":100,"reason":""}"#),
                .badRequest, field: nil, "cash move without a reason")
            expectChinese(
                try await till.post("/till/api/parked", #"{"lines":[]}"#), .badRequest, field: nil, "empty park")
            expectChinese(
                try await till.post("/till/api/parked/PK-NOPE/resume", "{}"), .notFound, field: nil,
                "unknown parked sale")
            let short = try await till.post("/till/api/shift/close", #"{"cash_cents":1}"#)
            expectChinese(short, .forbidden, field: nil, "drawer difference above the limit")
            #expect(short.error.contains("店长"), "\(short.error)")
        }
    }

    @Test func edgeRefusalsAreInChinese() async throws {
        try await withTillShop("till-zh-edge") { client, _, _, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0])
            let long = String(repeating: "A", count: 100)
            let tea = #"{"sku":"TEA-01","qty":1}"#
            func sale(_ payments: String, extra: String = "") -> String {
                #"{"cart":{"lines":[\#(tea)]\#(extra)},"payments":[\#(payments)]}"#
            }
            expectChinese(
                try await till.post(
                    "/till/api/sales", sale(#"{"method":"card","amount_cents":1250}"#, extra: #","coupon":"\#(long)""#)),
                .badRequest, field: "coupon", "long coupon code")
            expectChinese(
                try await till.post("/till/api/sales", sale(#"{"method":"card","amount_cents":9223372036854775807}"#)),
                .badRequest, field: "amount_cents", "amount beyond the bound")
            expectChinese(
                try await till.post("/till/api/sales", sale(#"{"method":"card","amount_cents":1e30}"#)), .badRequest,
                field: "amount_cents", "number beyond Int64")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[{"sku":"TEA-01","qty":10000}]}"#), .badRequest,
                field: "qty", "quantity over 9999")
            let order = try await till.sell("TEA-01", qty: 1, paying: "card", cents: 1250)
            expectChinese(
                try await till.post(
                    "/till/api/orders/\(order)/refund",
                    #"{"lines":[{"line":1,"qty":1}],"restock":true,"reason":"\#(String(repeating: "坏", count: 300))"}"#),
                .badRequest, field: "reason", "long refund reason")
            let lines = Array(repeating: tea, count: 201).joined(separator: ",")
            expectChinese(
                try await till.post("/till/api/quote", #"{"lines":[\#(lines)]}"#), .badRequest, field: "lines",
                "too many lines")
            expectChinese(
                try await till.post("/till/api/quote", String(repeating: " ", count: 300 * 1024)), .contentTooLarge,
                field: nil, "huge body")
        }
    }
}
