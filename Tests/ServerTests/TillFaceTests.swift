import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The till's API and pages in process (Hummingbird's test client) on a real store database;
/// the real-process tests (four tills at once, the browser) live in EndToEndTests and
/// tests/browser.
@Suite struct TillFaceTests {
    /// A till logged in as cashier amy, its cookies sent with every request.
    struct Till: Sendable {
        let client: any TestClientProtocol
        let cookies: String

        func get(_ uri: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
            try await client.execute(uri: uri, method: .get, headers: [.cookie: cookies]) { r in
                (r.status, String(buffer: r.body), r.headers)
            }
        }

        func post(_ uri: String, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
            try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/json", .cookie: cookies],
                body: ByteBuffer(string: json)
            ) { r in
                (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]) ?? [:])
            }
        }

        /// Sells `qty` × `sku` paid in full by one `method`; returns the new order's id.
        func sell(_ sku: String, qty: Int, paying method: String, cents: Int64) async throws -> String {
            let (_, sold) = try await post(
                "/till/api/sales",
                #"{"cart":{"lines":[{"sku":"\#(sku)","qty":\#(qty)}]},"payments":[{"method":"\#(method)","amount_cents":\#(cents)}]}"#
            )
            return try #require((sold["order"] as? [String: Any])?["id"] as? String)
        }
    }

    func withTill(_ body: @Sendable (Till, FenxiaoNode, SyncHealth) async throws -> Void) async throws {
        let dir = TempDirectory("till-face")
        defer { dir.remove() }
        let (_, store, tokens) = try TillShop.make(in: dir)
        let health = SyncHealth()
        let app = Application(router: TillFace(node: store, health: health).router())
        try await app.test(.router) { client in
            let tillCookie = "fenxiao_till=\(tokens[0])"
            let session = try await client.execute(
                uri: "/till/api/login", method: .post,
                headers: [.contentType: "application/json", .cookie: tillCookie],
                body: ByteBuffer(string: #"{"user":"amy","pin":"2468"}"#)
            ) { r in
                #expect(r.status == .ok)
                return r.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
            }
            try await body(Till(client: client, cookies: "\(tillCookie); \(session)"), store, health)
        }
    }

    @Test func aCashSaleReturnsTheChangeAndTakesTheStock() async throws {
        try await withTill { client, store, _ in
            let sale =
                #"{"cart":{"lines":[{"sku":"TEA-01","qty":2}]},"payments":[{"method":"cash","amount_cents":2500,"tendered_cents":3000}]}"#
            let (status, body) = try await client.post("/till/api/sales", sale)
            #expect(status == .created)
            #expect(body["change_cents"] as? Int == 500)
            let id = try #require((body["order"] as? [String: Any])?["id"] as? String)
            #expect(body["receipt_url"] as? String == "/till/receipt/\(id)")
            let level = try store.read { r in try r.stockLevel(sku: "TEA-01", warehouse: "S1") }
            #expect(level.on_hand == 98)
        }
    }

    @Test func paymentsThatDoNotAddUpAreRefusedNamingTheFieldAndSellNothing() async throws {
        try await withTill { client, store, _ in
            let short =
                #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"card","amount_cents":1000}]}"#
            let (status, body) = try await client.post("/till/api/sales", short)
            #expect(status == .badRequest)
            #expect(body["field"] as? String == "payment")
            #expect((body["error"] as? String)?.contains("¥12.50") == true)
            let underTendered =
                #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"cash","amount_cents":1250,"tendered_cents":1000}]}"#
            let (status2, body2) = try await client.post("/till/api/sales", underTendered)
            #expect(status2 == .badRequest)
            #expect(body2["field"] as? String == "tendered")
            let orders = try store.read { r in try r.orderIDs(matching: .init(), limit: 10, offset: 0) }
            #expect(orders.isEmpty)
        }
    }

    @Test func aMalformedBodyNamesTheMissingField() async throws {
        try await withTill { client, _, _ in
            let (status, body) = try await client.post("/till/api/quote", #"{"member":"M-1"}"#)
            #expect(status == .badRequest)
            #expect(body["field"] as? String == "lines")
            let (status2, body2) = try await client.post(
                "/till/api/sales", #"{"cart":{"lines":[]},"payments":[{"method":"cheque","amount_cents":1}]}"#)
            #expect(status2 == .badRequest)
            #expect(body2["field"] as? String == "method")
        }
    }

    @Test func scanningAnUnknownCodeIsA404OnTheCodeField() async throws {
        try await withTill { client, _, _ in
            let (found, product, _) = try await client.get("/till/api/scan?code=TEA-01")
            #expect(found == .ok)
            #expect(product.contains(#""sku":"TEA-01""#))
            let (missing, error, _) = try await client.get("/till/api/scan?code=NOPE-9")
            #expect(missing == .notFound)
            #expect(error.contains(#""field":"code""#))
        }
    }

    @Test func theStatusLightFollowsTheSyncLoop() async throws {
        try await withTill { client, store, health in
            try store.store.setMeta(["central_url": "http://127.0.0.1:9", "token": "t"])
            func light() async throws -> TillStatus {
                try JSONDecoder().decode(TillStatus.self, from: Data(try await client.get("/till/api/status").1.utf8))
            }
            #expect(try await light().light == .unknown)  // no loop in this process
            health.startLooping()
            health.failed(at: 1_000, error: "connection refused")
            health.failed(at: 2_000, error: "connection refused")
            let offline = try await light()
            #expect(offline.light == .offline)
            #expect(offline.since_ms == 1_000, "offline since the first failed attempt")
            _ = try await client.post(
                "/till/api/sales",
                #"{"cart":{"lines":[{"sku":"BUN-01","qty":1}]},"payments":[{"method":"card","amount_cents":350}]}"#)
            #expect(try await light().pending > offline.pending, "a sale waits to be pushed")
            health.succeeded(at: 3_000)
            #expect(try await light().light == .online)
        }
    }

    @Test func theSalePageIsChineseByDefaultAndSwitchesToEnglish() async throws {
        try await withTill { client, _, _ in
            let (status, page, _) = try await client.get("/till/sale")
            #expect(status == .ok)
            #expect(page.contains(#"<html lang="zh-CN">"#))
            #expect(page.contains("完成收款"))
            #expect(page.contains(#"id="light""#))
            #expect(page.contains(#"<span class="who" id="cashier">amy</span>"#))
            let (_, english, headers) = try await client.get("/till/sale?lang=en")
            #expect(english.contains("Complete sale"))
            #expect(headers[.setCookie]?.contains("fenxiao_lang=en") == true)
        }
    }

    @Test func theReceiptCarriesTheOrderIdAsACode128Barcode() async throws {
        try await withTill { client, _, _ in
            let id = try await client.sell("TEA-01", qty: 1, paying: "card", cents: 1250)
            let (status, page, _) = try await client.get("/till/receipt/\(id)")
            #expect(status == .ok)
            #expect(page.contains(#"<svg xmlns="http://www.w3.org/2000/svg" class="barcode""#))
            #expect(page.contains("@media print") == false, "styles come from the style sheet")
            #expect(page.contains(id))
            #expect(page.contains("<br>收银员: amy"), "the receipt names the cashier who sold")
        }
    }

    @Test func withoutASessionTheAPIAnswers401AndPagesSendToEnrolmentOrLogin() async throws {
        try await withTill { till, _, _ in
            let stranger = Till(client: till.client, cookies: "")
            let (status, body) = try await stranger.post("/till/api/quote", #"{"lines":[{"sku":"TEA-01","qty":1}]}"#)
            #expect(status == .unauthorized)
            #expect((body["error"] as? String)?.contains("PIN") == true)
            let (page, _, headers) = try await stranger.get("/till/sale")
            #expect(page == .seeOther)
            #expect(headers[.location] == "/till/enroll")
            let enrolled = Till(client: till.client, cookies: till.cookies.components(separatedBy: "; ")[0])
            #expect(try await enrolled.get("/till/sale").2[.location] == "/till/login")
        }
    }

    @Test func aRefundAboveTheCashiersLimitNeedsAManagersPINOnTheSameRequest() async throws {
        try await withTill { till, store, _ in
            // 5 mugs: ¥225.00, above a cashier's ¥200.00.
            let id = try await till.sell("MUG-01", qty: 5, paying: "card", cents: 22500)
            let refund = #"{"lines":[{"line":1,"qty":5}],"restock":true"#
            let (refused, why) = try await till.post("/till/api/orders/\(id)/refund", refund + "}")
            #expect(refused == .forbidden)
            #expect((why["error"] as? String)?.contains("¥200.00") == true)
            let (wrongPIN, body) = try await till.post(
                "/till/api/orders/\(id)/refund", refund + #","manager":{"user":"max","pin":"0000"}}"#)
            #expect(wrongPIN == .unauthorized)
            #expect(body["field"] as? String == "manager_pin")
            #expect(try store.orders.find(id).refunded_cents == 0)
            let (approved, order) = try await till.post(
                "/till/api/orders/\(id)/refund", refund + #","manager":{"user":"max","pin":"1357"}}"#)
            #expect(approved == .ok)
            #expect(order["refunded_cents"] as? Int == 22500)
            #expect(try store.inventory.levels(sku: "MUG-01").first?.on_hand == 100, "restocked")
        }
    }

    @Test func anExchangeReturnsALineAndSellsTheNewCartInOneStep() async throws {
        try await withTill { till, store, _ in
            let id = try await till.sell("TEA-01", qty: 2, paying: "cash", cents: 2500)
            // One tea back (restocked), a mug sold instead, paid by WeChat Pay.
            let exchange =
                #"{"lines":[{"line":1,"qty":1}],"restock":true,"cart":{"lines":[{"sku":"MUG-01","qty":1}]},"payments":[{"method":"wechat","amount_cents":4500}]}"#
            let (status, body) = try await till.post("/till/api/orders/\(id)/exchange", exchange)
            #expect(status == .created)
            #expect(body["refunded_cents"] as? Int == 1250)
            #expect(body["difference_cents"] as? Int == 4500 - 1250)
            #expect(try store.orders.find(id).lines.first?.refunded_qty == 1)
            #expect(try store.inventory.levels(sku: "TEA-01").first?.on_hand == 99)
            #expect(try store.inventory.levels(sku: "MUG-01").first?.on_hand == 99)
            // A wrong payment refuses the whole exchange: nothing comes back, nothing is sold.
            let short = exchange.replacingOccurrences(of: "4500", with: "4000")
            let (refused, _) = try await till.post("/till/api/orders/\(id)/exchange", short)
            #expect(refused == .badRequest)
            #expect(try store.orders.find(id).lines.first?.refunded_qty == 1)
        }
    }

    @Test func theOrderIsFoundByTheLastCharactersOfItsId() async throws {
        try await withTill { till, _, _ in
            let id = try await till.sell("BUN-01", qty: 1, paying: "alipay", cents: 350)
            let (status, page, _) = try await till.get("/till/api/orders/\(id.suffix(5).lowercased())")
            #expect(status == .ok)
            #expect(page.contains(#""id":"\#(id)""#))
        }
    }

    @Test func anUnknownPhoneIsA404ThenQuickRegistrationAssignsTheIdAndFindsThem() async throws {
        try await withTill { till, _, _ in
            let (missing, body, _) = try await till.get("/till/api/members?phone=13900000009")
            #expect(missing == .notFound)
            #expect(body.contains(#""field":"phone""#))
            let (created, member) = try await till.post("/till/api/members", #"{"phone":"13900000009"}"#)
            #expect(created == .created)
            let id = try #require(member["id"] as? String)
            #expect(id.hasPrefix("M-S1-"), "the system assigns the id")
            let (found, again, _) = try await till.get("/till/api/members?phone=13900000009")
            #expect(found == .ok)
            #expect(again.contains(#""id":"\#(id)""#))
        }
    }

    @Test func code128DrawsBarsAndRefusesWhatItCannotEncode() throws {
        let svg = try #require(Code128.svg("O-S1-000123"))
        // Code 128: every symbol (start, data, check) is 3 bars, the stop 4: at least 6 symbols here.
        let bars = svg.components(separatedBy: "<rect ").count - 1
        #expect(bars >= 6 * 3 + 4)
        #expect((bars - 4) % 3 == 0)
        #expect(Code128.svg("") == nil)
        #expect(Code128.svg("订单") == nil)
    }
}

/// Shifts through the till: a sale needs an open shift, the payments (a split one here) count
/// in its Z report, and the close records the cash difference.
@Suite struct TillShiftFaceTests {
    @Test func aSplitSaleInAShiftShowsInItsZReportAndTheCloseRecordsTheDifference() async throws {
        let dir = TempDirectory("till-shift-face")
        defer { dir.remove() }
        let (_, store, tokens) = try TillShop.make(in: dir, openShifts: false)
        let app = Application(router: TillFace(node: store, health: SyncHealth()).router())
        try await app.test(.router) { client in
            let tillCookie = "fenxiao_till=\(tokens[0])"
            let session = try await client.execute(
                uri: "/till/api/login", method: .post,
                headers: [.contentType: "application/json", .cookie: tillCookie],
                body: ByteBuffer(string: #"{"user":"amy","pin":"2468"}"#)
            ) { r in r.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? "" }
            let till = TillFaceTests.Till(client: client, cookies: "\(tillCookie); \(session)")
            let sale =
                #"{"cart":{"lines":[{"sku":"MUG-01","qty":2}]},"payments":[{"method":"wechat","amount_cents":5000},{"method":"cash","amount_cents":4000,"tendered_cents":5000}]}"#
            let (refused, why) = try await till.post("/till/api/sales", sale)
            #expect(refused == .conflict)
            #expect(why["field"] as? String == "shift")
            let (opened, _) = try await till.post("/till/api/shift/open", #"{"float_cents":20000}"#)
            #expect(opened == .created)
            let (sold, body) = try await till.post("/till/api/sales", sale)
            #expect(sold == .created)
            #expect(body["change_cents"] as? Int == 1000)
            let payments = ((body["order"] as? [String: Any])?["payments"] as? [[String: Any]]) ?? []
            #expect(Set(payments.compactMap { $0["method"] as? String }) == ["wechat", "cash"])
            // Close with ¥1.00 short in the drawer: float 200 + cash 40 = 240 expected.
            let closed = try await client.execute(
                uri: "/till/shift/close", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: till.cookies],
                body: ByteBuffer(string: "counted=239.00")
            ) { r in (r.status, r.headers[.location] ?? "") }
            #expect(closed.0 == .seeOther)
            #expect(closed.1.hasPrefix("/till/z/"))
            let (status, page, _) = try await till.get(closed.1)
            #expect(status == .ok)
            #expect(page.contains(#"id="z-cash-difference">-¥1.00<"#))
            #expect(page.contains(#"<tr data-method="wechat">"#))
            #expect(page.contains(#"id="z-orders">1<"#))
        }
    }
}
