import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// Hostile values on the till API (issue 17, the ground rule): each is a clear 4xx naming the
/// field, the store's state hash and its order count do not move, and the node keeps answering.
@Suite struct TillHostileInputTests {
    /// The store's state: its hash over the replicated tables, and its orders.
    static func state(_ store: FenxiaoNode) throws -> String {
        let orders = try store.read { r in try r.orderIDs(matching: .init(), limit: 1000, offset: 0) }
        return "\(try store.sync.status().state_hash) \(orders.count)"
    }

    /// Sends one hostile request and checks the refusal and that nothing changed.
    func refused(
        _ store: FenxiaoNode, _ status: HTTPResponse.Status, field: String?, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation, _ send: () async throws -> TillBrowser.Answer
    ) async throws {
        let before = try Self.state(store)
        let answer = try await send()
        #expect(answer.status == status, "\(what): \(answer.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(answer.field == field, "\(what): \(answer.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(
            answer.error.count < 400, "\(what): the sentence does not echo the value", sourceLocation: sourceLocation)
        #expect(try Self.state(store) == before, "\(what) changed the store", sourceLocation: sourceLocation)
    }

    static let long = String(repeating: "9", count: 5000)

    static func sale(_ lines: String, _ payments: String, extra: String = "") -> String {
        #"{"cart":{"lines":[\#(lines)]\#(extra)},"payments":[\#(payments)]}"#
    }

    @Test func oversizedTextsAreRefusedNamingTheField() async throws {
        try await withTillShop("till-hostile-text") { client, _, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0], language: "en")
            let order = try await till.sell("TEA-01", qty: 2, paying: "card", cents: 2500)
            let long = Self.long
            try await refused(store, .badRequest, field: "code", "5,000-character barcode") {
                try await till.get("/till/api/scan?code=\(long)")
            }
            try await refused(store, .badRequest, field: "phone", "5,000-character phone lookup") {
                try await till.get("/till/api/members?phone=\(long)")
            }
            try await refused(store, .badRequest, field: "phone", "5,000-character phone registration") {
                try await till.post("/till/api/members", #"{"phone":"\#(long)"}"#)
            }
            try await refused(store, .badRequest, field: "name", "5,000-character member name") {
                try await till.post("/till/api/members", #"{"phone":"13900000002","name":"\#(long)"}"#)
            }
            try await refused(store, .badRequest, field: "name", "5,000-character search") {
                try await till.get("/till/api/products?q=\(long)")
            }
            try await refused(store, .badRequest, field: "coupon", "5,000-character coupon code") {
                try await till.post(
                    "/till/api/sales",
                    Self.sale(
                        #"{"sku":"TEA-01","qty":1}"#, #"{"method":"card","amount_cents":1250}"#,
                        extra: #","coupon":"\#(long)""#))
            }
            try await refused(store, .badRequest, field: "sku", "5,000-character SKU") {
                try await till.post("/till/api/quote", #"{"lines":[{"sku":"\#(long)","qty":1}]}"#)
            }
            try await refused(store, .badRequest, field: "reason", "5,000-character refund reason") {
                try await till.post(
                    "/till/api/orders/\(order)/refund",
                    #"{"lines":[{"line":1,"qty":1}],"restock":true,"reason":"\#(long)"}"#)
            }
            try await refused(store, .badRequest, field: "reference", "5,000-character payment reference") {
                try await till.post(
                    "/till/api/sales",
                    Self.sale(
                        #"{"sku":"TEA-01","qty":1}"#, #"{"method":"card","amount_cents":1250,"reference":"\#(long)"}"#))
            }
            try await refused(store, .badRequest, field: "id", "5,000-character order id") {
                try await till.get("/till/api/orders/\(long)")
            }
            try await refused(store, .badRequest, field: "member", "5,000-character member id") {
                try await till.get("/till/api/members/\(long)")
            }
            try await refused(store, .badRequest, field: "id", "5,000-character receipt id") {
                try await till.get("/till/receipt/\(long)")
            }
            try await refused(store, .badRequest, field: "shift", "5,000-character shift id") {
                try await till.get("/till/z/\(long)")
            }
            try await refused(store, .badRequest, field: "lines", "a cart of 5,000 lines") {
                let lines = Array(repeating: #"{"sku":"TEA-01","qty":1}"#, count: 5000).joined(separator: ",")
                return try await till.post("/till/api/quote", #"{"lines":[\#(lines)]}"#)
            }
            try await refused(store, .contentTooLarge, field: nil, "a 300 KiB body") {
                try await till.post(
                    "/till/api/quote", #"{"lines":[],"member":"\#(String(repeating: "x", count: 300 * 1024))"}"#)
            }
            try await refused(store, .badRequest, field: "user", "5,000-character user id at login") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(tokens[0])").post(
                    "/till/api/login", #"{"user":"\#(long)","pin":"2468"}"#)
            }
            #expect(try await till.get("/till/api/shift").status == .ok, "the node still answers")
        }
    }

    @Test func overflowingNegativeAndMalformedNumbersAreRefused() async throws {
        try await withTillShop("till-hostile-numbers") { client, _, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0], language: "en")
            let tea = #"{"sku":"TEA-01","qty":1}"#
            let card = #"{"method":"card","amount_cents":1250}"#
            for (qty, what) in [
                ("99999999999999999999", "a quantity beyond Int64"), ("9223372036854775807", "Int64.max units"),
                ("-1", "a negative quantity"), ("0", "a zero quantity"), ("1.5", "a fractional quantity"),
                (#""2""#, "a quantity as a string"),
            ] {
                try await refused(store, .badRequest, field: "qty", what) {
                    try await till.post("/till/api/sales", Self.sale(#"{"sku":"MUG-01","qty":\#(qty)}"#, card))
                }
            }
            let max = "9223372036854775807"
            try await refused(store, .badRequest, field: "amount_cents", "Int64.max paid") {
                try await till.post("/till/api/sales", Self.sale(tea, #"{"method":"card","amount_cents":\#(max)}"#))
            }
            try await refused(store, .badRequest, field: "amount_cents", "two parts summing beyond Int64") {
                try await till.post(
                    "/till/api/sales",
                    Self.sale(
                        tea, #"{"method":"card","amount_cents":\#(max)},{"method":"cash","amount_cents":\#(max)}"#))
            }
            try await refused(store, .badRequest, field: "tendered_cents", "Int64.max handed over") {
                try await till.post(
                    "/till/api/sales",
                    Self.sale(tea, #"{"method":"cash","amount_cents":1250,"tendered_cents":\#(max)}"#))
            }
            try await refused(store, .badRequest, field: "amount_cents", "a negative payment") {
                try await till.post(
                    "/till/api/sales",
                    Self.sale(tea, #"{"method":"card","amount_cents":-100},{"method":"cash","amount_cents":1350}"#))
            }
            try await refused(store, .badRequest, field: "amount_cents", "money as text") {
                try await till.post("/till/api/sales", Self.sale(tea, #"{"method":"card","amount_cents":"12.50"}"#))
            }
            try await refused(store, .badRequest, field: "amount_cents", "money beyond Int64") {
                try await till.post(
                    "/till/api/sales", Self.sale(tea, #"{"method":"card","amount_cents":99999999999999999999}"#))
            }
            try await refused(store, .badRequest, field: "points", "negative points") {
                try await till.post("/till/api/quote", #"{"lines":[\#(tea)],"points":-1}"#)
            }
            try await refused(store, .badRequest, field: "points", "points beyond Int64") {
                try await till.post("/till/api/quote", #"{"lines":[\#(tea)],"points":99999999999999999999}"#)
            }
            let order = try await till.sell("TEA-01", qty: 2, paying: "card", cents: 2500)
            try await refused(store, .badRequest, field: "qty", "a refund of Int64.max units") {
                try await till.post(
                    "/till/api/orders/\(order)/refund", #"{"lines":[{"line":1,"qty":\#(max)}],"restock":true}"#)
            }
            try await refused(store, .badRequest, field: "line", "a refund of line Int64.max") {
                try await till.post(
                    "/till/api/orders/\(order)/refund", #"{"lines":[{"line":\#(max),"qty":1}],"restock":true}"#)
            }
            try await refused(store, .badRequest, field: "restock", "a refund with restock as text") {
                try await till.post(
                    "/till/api/orders/\(order)/refund", #"{"lines":[{"line":1,"qty":1}],"restock":"yes"}"#)
            }
            try await refused(store, .badRequest, field: "restock", "a refund without restock") {
                try await till.post("/till/api/orders/\(order)/refund", #"{"lines":[{"line":1,"qty":1}]}"#)
            }
            try await refused(store, .badRequest, field: nil, "a count that is not money (the form's page)") {
                try await till.form("/till/shift/close", "counted=12abc")
            }
            try await refused(store, .badRequest, field: nil, "a count beyond Int64 (the form's page)") {
                try await till.form("/till/shift/close", "counted=99999999999999999999")
            }
            try await refused(store, .badRequest, field: nil, "a JSON array for an object") {
                try await till.post("/till/api/sales", "[1,2,3]")
            }
            try await refused(store, .badRequest, field: "cart", "a body without its cart") {
                try await till.post("/till/api/sales", #"{"payments":[]}"#)
            }
            try await refused(store, .badRequest, field: "method", "an unknown payment method") {
                try await till.post("/till/api/sales", Self.sale(tea, #"{"method":"cheque","amount_cents":1250}"#))
            }
            try await refused(store, .badRequest, field: "float_cents", "a negative float") {
                try await till.post("/till/api/shift/open", #"{"float_cents":-1}"#)
            }
            #expect(try await till.get("/till/api/shift").status == .ok, "the node still answers")
        }
    }

    @Test func fullWidthDigitsAreReadAsTheCLIReadsThem() async throws {
        try await withTillShop("till-hostile-fullwidth") { client, _, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0], language: "en")
            let registered = try await till.post("/till/api/members", #"{"phone":"１３９００００００３"}"#)
            #expect(registered.status == .created, "\(registered.text)")
            let id = try #require(registered.body["id"] as? String)
            let found = try await till.get("/till/api/members?phone=1390000003")
            #expect(found.text.contains(#""id":"\#(id)""#), "\(found.text) after \(registered.text)")
            let typed = "１３９００００００３".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            #expect(try await till.get("/till/api/members?phone=\(typed)").text.contains(#""id":"\#(id)""#))
            let code = "ＴＥＡ－０１".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let scanned = try await till.get("/till/api/scan?code=\(code)")
            #expect(scanned.status == .ok, "\(scanned.text)")
            #expect(scanned.text.contains(#""sku":"TEA-01""#))
            let sold = try await till.post(
                "/till/api/sales",
                Self.sale(#"{"sku":"ＴＥＡ－０１","qty":1}"#, #"{"method":"card","amount_cents":1250}"#))
            #expect(sold.status == .created, "\(sold.text)")
            // The cash count typed with a Chinese input method: ¥２００.００ closes the shift.
            let closed = try await till.form(
                "/till/shift/close", "counted=%EF%BC%92%EF%BC%90%EF%BC%90.%EF%BC%90%EF%BC%90")
            #expect(closed.status == .seeOther, "\(closed.text.prefix(300))")
            #expect(try store.read { r in try r.orderIDs(matching: .init(), limit: 10, offset: 0) }.count == 1)
        }
    }

    @Test func forgedTillsShiftsAndRevokedSessionsAreRefused() async throws {
        try await withTillShop("till-hostile-forged", tills: 2) { client, central, store, tokens in
            let till = try await TillBrowser.logIn(client, tillToken: tokens[0], language: "en")
            let second = try await TillBrowser.logIn(client, tillToken: tokens[1], language: "en")
            let sale = Self.sale(#"{"sku":"TEA-01","qty":1}"#, #"{"method":"card","amount_cents":1250}"#)
            try await refused(store, .notFound, field: "shift", "a forged shift id") {
                try await till.get("/till/z/SH-S2-FORGED")
            }
            try await refused(store, .unauthorized, field: "till_token", "a forged till token") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(String(repeating: "a", count: 64))")
                    .post(
                        "/till/api/login", #"{"user":"amy","pin":"2468"}"#)
            }
            try await refused(store, .unauthorized, field: "till_token", "a 5,000-character till token") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(Self.long)").post(
                    "/till/api/login", #"{"user":"amy","pin":"2468"}"#)
            }
            // A real till token of another store (S2, enrolled at its own node) is no till here.
            let other = TempDirectory("till-hostile-s2")
            defer { other.remove() }
            let s2 = try Fixtures.store("S2", in: other, from: central)
            let s2Token = try s2.acting(as: "boss").till.add("TILL-1").token
            try await refused(store, .unauthorized, field: "till_token", "another store's till token") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(s2Token)").post(
                    "/till/api/login", #"{"user":"amy","pin":"2468"}"#)
            }
            try await refused(store, .unauthorized, field: "session", "a forged session") {
                try await TillBrowser(client: client, cookies: "fenxiao_session=forged").post("/till/api/sales", sale)
            }
            // Another till's session token used from this till's browser sells at *its* till only;
            // once that till is revoked, the token sells nowhere.
            _ = try store.acting(as: TillShop.manager).till.revoke("TILL-2")
            try await refused(store, .unauthorized, field: "session", "the session of a revoked till") {
                try await second.post("/till/api/sales", sale)
            }
            let stolen = second.cookies.components(separatedBy: "; ").first { $0.hasPrefix("fenxiao_session=") } ?? ""
            try await refused(store, .unauthorized, field: "session", "a revoked till's session from another browser") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(tokens[0]); \(stolen)").post(
                    "/till/api/sales", sale)
            }
            try await refused(store, .unauthorized, field: "till_token", "a login with a revoked till's token") {
                try await TillBrowser(client: client, cookies: "fenxiao_till=\(tokens[1])").post(
                    "/till/api/login", #"{"user":"amy","pin":"2468"}"#)
            }
            #expect(try await till.post("/till/api/sales", sale).status == .created, "the other till sells on")
        }
    }
}
