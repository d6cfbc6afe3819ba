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

/// A head office for mall tests: central on a hand-moved clock, with counter member A (Ann,
/// phone 13800000001, 120 points, ¥35.00 stored value).
enum MallShop {
    static let annPhone = "13800000001"

    /// `pointsExpiryDays`: the expiry Ann's points are earned under (they keep it).
    static func make(_ dir: TempDirectory, clock: ManualClock, pointsExpiryDays: Int64? = nil) throws -> FenxiaoNode {
        let setup = try Fixtures.central(in: dir)
        if let pointsExpiryDays {
            _ = try setup.members.setPointsSettings(
                capPercent: nil, expiryDays: pointsExpiryDays, sharePoints: nil, shareDailyLimit: nil)
        }
        _ = try setup.members.upsert(id: "A", name: "Ann", phone: annPhone)
        _ = try setup.members.ledger(member: "A", account: .points, delta: 120, reason: "gift")
        _ = try setup.members.ledger(member: "A", account: .wallet, delta: 3500, reason: "deposit")
        return FenxiaoNode(store: try NodeStore.open(directory: dir.sub("central"), wallClock: clock.now))
    }

    /// The `sms.code` events in central's outbox, oldest first.
    static func codeEvents(_ central: FenxiaoNode) throws -> [OutboxEvent] {
        try central.read { r in try r.outbox(limit: 1000) }.filter { $0.topic == "sms.code" }
    }

    /// The code carried by the latest `sms.code` event for `phone`.
    static func lastCode(_ central: FenxiaoNode, phone: String) throws -> String? {
        guard let event = try codeEvents(central).last(where: { $0.subject == phone }),
            let json = try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any]
        else { return nil }
        return json["code"] as? String
    }
}

/// A phone's cookies, kept across requests.
final class CookieJar: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    subscript(name: String) -> String? { lock.withLock { values[name] } }

    var header: String {
        lock.withLock { values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }

    func keep(_ headers: HTTPFields) {
        lock.withLock {
            for line in headers[values: .setCookie] {
                let pair = line.prefix { $0 != ";" }.split(
                    separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = pair.first else { continue }
                let value = pair.count == 2 ? String(pair[1]) : ""
                values[String(name)] = value.isEmpty || line.contains("Max-Age=0") ? nil : value
            }
        }
    }
}

/// A phone's browser at the mall: its cookies, sent with every request.
struct MallBrowser: Sendable {
    let client: any TestClientProtocol
    let cookies = CookieJar()
    /// The address the TLS proxy would report for this phone (`X-Forwarded-For`).
    let address: String

    init(client: any TestClientProtocol, address: String = "203.0.113.7") {
        self.client = client
        self.address = address
    }

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let body: String
        let headers: HTTPFields
        var location: String? { headers[.location] }
    }

    func get(_ uri: String) async throws -> Answer {
        var headers: HTTPFields = [try Self.forwardedFor(): address]
        if !cookies.header.isEmpty { headers[.cookie] = cookies.header }
        let answer = try await client.execute(uri: uri, method: .get, headers: headers) { r in
            Answer(status: r.status, body: String(buffer: r.body), headers: r.headers)
        }
        cookies.keep(answer.headers)
        return answer
    }

    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Answer {
        var headers: HTTPFields = [
            .contentType: "application/x-www-form-urlencoded", try Self.forwardedFor(): address,
        ]
        if !cookies.header.isEmpty { headers[.cookie] = cookies.header }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let answer = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        {
            r in Answer(status: r.status, body: String(buffer: r.body), headers: r.headers)
        }
        cookies.keep(answer.headers)
        return answer
    }

    static func forwardedFor() throws -> HTTPField.Name { try #require(HTTPField.Name("X-Forwarded-For")) }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    /// The value of the first hidden `name` field in a page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    /// Asks for a code for `phone` through the login page's form; the answer of the POST.
    func requestCode(_ phone: String) async throws -> Answer {
        let form = try await get("/mall/login")
        let token = try #require(Self.hidden("login_token", in: form.body))
        return try await post("/mall/login/code", [("login_token", token), ("phone", phone)])
    }

    /// Signs `phone` in (a new phone signs up as `name`) through the two login forms, reading the
    /// code from central's outbox; afterwards every request carries the session cookie.
    func login(_ central: FenxiaoNode, phone: String, name: String = "") async throws {
        let codePage = try await requestCode(phone)
        let code = try #require(try MallShop.lastCode(central, phone: phone))
        let answer = try await signIn(codePage, phone: phone, code: code, name: name)
        #expect(answer.status == .seeOther)
    }

    /// The session's CSRF token, read from a signed-in page's hidden field.
    func csrf() async throws -> String {
        try #require(Self.hidden("csrf", in: try await get("/mall/me").body))
    }

    /// Sends `code` from the code form of the last page (`page`); the answer of the POST.
    func signIn(_ page: Answer, phone: String, code: String, name: String = "") async throws -> Answer {
        let token = try #require(Self.hidden("login_token", in: page.body))
        let next = Self.hidden("next", in: page.body) ?? "/mall/me"
        return try await post(
            "/mall/login",
            [("login_token", token), ("phone", phone), ("code", code), ("name", name), ("next", next)])
    }
}

/// The mall and central's sync API on one router, as `fenxiao serve [--behind-proxy]` mounts them.
func mallApp(_ central: FenxiaoNode, behindProxy: Bool = true) -> some ApplicationProtocol {
    let router = FenxiaoServer(node: central).router()
    MallFace(node: central, behindProxy: behindProxy).addRoutes(to: router)
    return Application(router: router)
}
