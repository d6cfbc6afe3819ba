import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// A till's browser for the error and hostile-input tests: the in-process client, the cookies
/// it sends (till token, session, language), and answers decoded as the till's JSON error.
struct TillBrowser: Sendable {
    let client: any TestClientProtocol
    var cookies: String

    /// One answer: status, the JSON body (empty when not JSON) and the raw text.
    struct Answer: @unchecked Sendable {  // the JSON object is read once, on the test's task
        let status: HTTPResponse.Status
        let body: [String: Any]
        let text: String

        var error: String { body["error"] as? String ?? "" }
        var field: String? { body["field"] as? String }
    }

    func get(_ uri: String) async throws -> Answer {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookies]) { Self.answer($0) }
    }

    func post(_ uri: String, _ json: String) async throws -> Answer {
        try await client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/json", .cookie: cookies],
            body: ByteBuffer(string: json)
        ) { Self.answer($0) }
    }

    /// A form post (the shift and login pages).
    func form(_ uri: String, _ body: String) async throws -> Answer {
        try await client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
            body: ByteBuffer(string: body)
        ) { Self.answer($0) }
    }

    static func answer(_ r: TestResponse) -> Answer {
        let text = String(buffer: r.body)
        let body = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        return Answer(status: r.status, body: body, text: text)
    }

    /// Logs in as `user` at the till whose token is `tillToken`; the browser then holds the
    /// till, the session and the language cookies.
    static func logIn(
        _ client: any TestClientProtocol, tillToken: String, user: String = "amy", pin: String = TillShop.cashierPIN,
        language: String = "zh"
    ) async throws -> TillBrowser {
        let base = "fenxiao_till=\(tillToken); fenxiao_lang=\(language)"
        let session = try await client.execute(
            uri: "/till/api/login", method: .post, headers: [.contentType: "application/json", .cookie: base],
            body: ByteBuffer(string: #"{"user":"\#(user)","pin":"\#(pin)"}"#)
        ) { r in r.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? "" }
        return TillBrowser(client: client, cookies: "\(base); \(session)")
    }

    /// Sells `qty` × `sku` paid in full by one `method`; returns the new order's id.
    func sell(_ sku: String, qty: Int, paying method: String, cents: Int64) async throws -> String {
        let sold = try await post(
            "/till/api/sales",
            #"{"cart":{"lines":[{"sku":"\#(sku)","qty":\#(qty)}]},"payments":[{"method":"\#(method)","amount_cents":\#(cents)}]}"#
        )
        return try #require((sold.body["order"] as? [String: Any])?["id"] as? String, "\(sold.text)")
    }
}

/// Whether `text` holds Chinese characters (a sentence the catalog translated: an English
/// sentence that fell through holds none).
func isChinese(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
}

/// A store node's till in process on a fresh shop (TillShop: store S1, tills TILL-1 and
/// TILL-2 with open shifts), with central to define what the store receives by `pull`.
func withTillShop(
    _ label: String, tills: Int = 1,
    _ body: @Sendable (any TestClientProtocol, FenxiaoNode, FenxiaoNode, [String]) async throws -> Void
) async throws {
    let dir = TempDirectory(label)
    defer { dir.remove() }
    let (central, store, tokens) = try TillShop.make(in: dir, tills: tills)
    let app = Application(router: TillFace(node: store, health: SyncHealth()).router())
    try await app.test(.router) { client in try await body(client, central, store, tokens) }
}

/// Applies central's changes at `store`, as a pull does.
func pull(_ central: FenxiaoNode, into store: FenxiaoNode) throws {
    let changes = try central.read { r in
        try r.changesForPull(node: store.identity.node, after: 0, limit: 100_000).changes
    }
    _ = try store.store.applyPull(changes, cursor: 0)
}
