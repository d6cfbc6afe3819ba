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
    func withTill(_ body: @Sendable (any TestClientProtocol, FenxiaoNode, SyncHealth) async throws -> Void) async throws {
        let dir = TempDirectory("till-face")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let store = try Fixtures.store("S1", in: dir, from: central)
        _ = try store.moveStock(sku: "TEA-01", quantity: 50, reason: .receive)
        _ = try store.moveStock(sku: "BUN-01", quantity: 50, reason: .receive)
        let health = SyncHealth()
        let app = Application(router: TillFace(node: store, health: health).router())
        try await app.test(.router) { client in try await body(client, store, health) }
    }

    func post(_ client: any TestClientProtocol, _ uri: String, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { r in
            (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]) ?? [:])
        }
    }

    @Test func aSplitFreeCashSaleReturnsChangeAndLeavesStock() async throws {
        try await withTill { client, store, _ in
            let sale = #"{"cart":{"lines":[{"sku":"TEA-01","qty":2}]},"payments":[{"method":"cash","amount_cents":2500,"tendered_cents":3000}]}"#
            let (status, body) = try await post(client, "/till/api/sales", sale)
            #expect(status == .created)
            #expect(body["change_cents"] as? Int == 500)
            let id = try #require((body["order"] as? [String: Any])?["id"] as? String)
            #expect(body["receipt_url"] as? String == "/till/receipt/\(id)")
            let level = try store.read { r in try r.stockLevel(sku: "TEA-01", warehouse: "S1") }
            #expect(level.on_hand == 48)
        }
    }

    @Test func paymentsThatDoNotAddUpAreRefusedNamingTheFieldAndSellNothing() async throws {
        try await withTill { client, store, _ in
            let short = #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"card","amount_cents":1000}]}"#
            let (status, body) = try await post(client, "/till/api/sales", short)
            #expect(status == .badRequest)
            #expect(body["field"] as? String == "payments")
            #expect((body["error"] as? String)?.contains("¥12.50") == true)
            let underTendered = #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"cash","amount_cents":1250,"tendered_cents":1000}]}"#
            let (status2, body2) = try await post(client, "/till/api/sales", underTendered)
            #expect(status2 == .badRequest)
            #expect(body2["field"] as? String == "tendered_cents")
            let orders = try store.read { r in try r.orderIDs(matching: .init(), limit: 10, offset: 0) }
            #expect(orders.isEmpty)
        }
    }

    @Test func aMalformedBodyNamesTheMissingField() async throws {
        try await withTill { client, _, _ in
            let (status, body) = try await post(client, "/till/api/quote", #"{"member":"M-1"}"#)
            #expect(status == .badRequest)
            #expect(body["field"] as? String == "lines")
            let (status2, body2) = try await post(client, "/till/api/sales", #"{"cart":{"lines":[]},"payments":[{"method":"cheque","amount_cents":1}]}"#)
            #expect(status2 == .badRequest)
            #expect(body2["field"] as? String == "method")
        }
    }

    @Test func scanningAnUnknownCodeIsA404OnTheCodeField() async throws {
        try await withTill { client, _, _ in
            try await client.execute(uri: "/till/api/scan?code=tea-01", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains(#""sku":"TEA-01""#))
            }
            try await client.execute(uri: "/till/api/scan?code=NOPE-9", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(String(buffer: r.body).contains(#""field":"code""#))
            }
        }
    }

    @Test func theStatusLightFollowsTheSyncLoop() async throws {
        try await withTill { client, store, health in
            try store.store.setMeta(["central_url": "http://127.0.0.1:9", "token": "t"])
            func light() async throws -> TillStatus {
                try await client.execute(uri: "/till/api/status", method: .get) { r in
                    try JSONDecoder().decode(TillStatus.self, from: Data(buffer: r.body))
                }
            }
            #expect(try await light().light == .unknown)  // no loop in this process
            health.startLooping()
            health.failed(at: 1_000, error: "connection refused")
            health.failed(at: 2_000, error: "connection refused")
            let offline = try await light()
            #expect(offline.light == .offline)
            #expect(offline.since_ms == 1_000, "offline since the first failed attempt")
            _ = try await post(client, "/till/api/sales", #"{"cart":{"lines":[{"sku":"BUN-01","qty":1}]},"payments":[{"method":"card","amount_cents":350}]}"#)
            #expect(try await light().pending > offline.pending, "a sale waits to be pushed")
            health.succeeded(at: 3_000)
            #expect(try await light().light == .online)
        }
    }

    @Test func theSalePageIsChineseByDefaultAndSwitchesToEnglish() async throws {
        try await withTill { client, _, _ in
            try await client.execute(uri: "/till/sale", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(page.contains(#"<html lang="zh-CN">"#))
                #expect(page.contains("完成收款"))
                #expect(page.contains(#"id="light""#))
            }
            try await client.execute(uri: "/till/sale?lang=en", method: .get) { r in
                #expect(String(buffer: r.body).contains("Complete sale"))
                #expect(r.headers[.setCookie]?.contains("fenxiao_lang=en") == true)
            }
        }
    }

    @Test func theReceiptCarriesTheOrderIdAsACode128Barcode() async throws {
        try await withTill { client, _, _ in
            let (_, body) = try await post(
                client, "/till/api/sales",
                #"{"cart":{"lines":[{"sku":"TEA-01","qty":1}]},"payments":[{"method":"card","amount_cents":1250}]}"#)
            let id = try #require((body["order"] as? [String: Any])?["id"] as? String)
            try await client.execute(uri: "/till/receipt/\(id)", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(page.contains(#"<svg xmlns="http://www.w3.org/2000/svg" class="barcode""#))
                #expect(page.contains("@media print") == false, "styles come from the style sheet")
                #expect(page.contains(id))
            }
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
