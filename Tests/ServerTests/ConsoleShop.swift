import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// A head office for console tests: central with an admin (boss), an hq_staff (hana), a finance
/// clerk (fay), a store manager (max) and a cashier (amy); consoles passwords set for all but
/// amy. Distributor C earned ¥18.00 (M9 bought 4 mugs) and asked to withdraw ¥10.00 by bank;
/// member D applied to be a distributor. Every member has a phone.
enum ConsoleShop {
    static let passwords = ["boss": "boss-pass-1", "hana": "hana-pass-1", "fay": "fay-pass-1", "max": "max-pass-1"]

    static func make(_ dir: TempDirectory) throws -> (central: FenxiaoNode, withdrawal: String) {
        let central = try Fixtures.central(in: dir)
        _ = try central.access.upsertUser(
            id: "boss", name: "Boss", role: .admin, store: nil, phone: nil, email: nil, address: nil, birthday: nil)
        let boss = central.acting(as: "boss")
        for (id, role, store) in [
            ("hana", Role.hqStaff, nil), ("fay", .finance, nil), ("max", .storeManager, "S1"), ("amy", .cashier, "S1"),
        ] as [(String, Role, String?)] {
            _ = try boss.access.upsertUser(
                id: id, name: id.capitalized, role: role, store: store, phone: nil, email: nil, address: nil,
                birthday: nil)
        }
        for (id, password) in passwords { _ = try boss.access.setConsolePassword(user: id, password: password) }
        _ = try boss.inventory.move(sku: "MUG-01", quantity: 100, reason: .receive)
        for (n, m) in ["A", "B", "C", "D", "M9"].enumerated() {
            _ = try boss.members.upsert(id: m, name: "member \(m)", phone: "1380000000\(n)")
        }
        _ = try boss.distribution.apply(member: "C", channels: "WeChat", experience: nil, inviterCode: nil)
        _ = try boss.distribution.review(id: "C", approve: true, reason: nil, group: nil)
        _ = try boss.distribution.bindCustomer(member: "M9", referralCode: "RC-C")
        _ = try boss.distribution.defineCommissionRule(
            id: "R1", levels: [10], effectiveFrom: 0, windowDays: 0, selfPurchase: false, overrides: [:])
        _ = try sell(boss, "MUG-01", 4, member: "M9")
        let w = try boss.distribution.requestWithdrawal(distributor: "C", amount: Money(cents: 1000), method: .bank)
        _ = try boss.distribution.apply(member: "D", channels: "Douyin", experience: nil, inviterCode: nil)
        return (central, w.id)
    }

    /// One paid order (card).
    static func sell(_ node: FenxiaoNode, _ sku: String, _ qty: Int64, member: String? = nil) throws -> OrderView {
        try node.orders.create(OrderRequest(lines: [.line(sku, qty)], member: member, pay: .card))
    }
}

/// A browser of the console in tests: its cookies, sent with every request.
struct ConsoleBrowser: Sendable {
    let client: any TestClientProtocol
    var cookies: String = ""

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let body: String
        let headers: HTTPFields
        var location: String? { headers[.location] }
    }

    func get(_ uri: String) async throws -> Answer {
        try await client.execute(uri: uri, method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookies]) { r in
            Answer(status: r.status, body: String(buffer: r.body), headers: r.headers)
        }
    }

    func post(_ uri: String, _ fields: [(String, String)], extra: HTTPFields = [:]) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookies.isEmpty { headers[.cookie] = cookies }
        headers.append(contentsOf: extra)
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            r in Answer(status: r.status, body: String(buffer: r.body), headers: r.headers)
        }
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    /// The value of the first hidden `name` field in a page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    /// Logs in through the login form (its double-submit token included); the answer of the POST.
    mutating func logIn(_ user: String, _ password: String, extra: HTTPFields = [:]) async throws -> Answer {
        let form = try await get("/console/login")
        let token = try #require(Self.hidden("login_token", in: form.body))
        let loginCookie = try #require(
            form.headers[values: .setCookie].first { $0.hasPrefix("fenxiao_console_login=") })
        cookies = String(loginCookie.prefix { $0 != ";" })
        let answer = try await post(
            "/console/login", [("login_token", token), ("user", user), ("password", password)], extra: extra)
        if let session = answer.headers[values: .setCookie].first(where: { $0.hasPrefix("fenxiao_console=") }) {
            cookies = String(session.prefix { $0 != ";" })
        }
        return answer
    }

    /// The CSRF token of the signed-in page at `uri`.
    func csrf(_ uri: String = "/console") async throws -> String {
        try #require(Self.hidden("csrf", in: try await get(uri).body))
    }
}

/// The console and central's sync API on one router, as `fenxiao serve` mounts them.
func consoleApp(_ central: FenxiaoNode, silentAfterMillis: Int64 = 2 * 3_600_000) -> some ApplicationProtocol {
    let router = FenxiaoServer(node: central).router()
    ConsoleFace(node: central, silentAfterMillis: silentAfterMillis).addRoutes(to: router)
    return Application(router: router)
}
