import Foundation
import Node
import SyncClient

/// One till's browser, as a test drives it: an HTTP client on loopback keeping its cookies.
/// `@unchecked Sendable`: each client is used by one thread at a time.
public final class TillClient: @unchecked Sendable {
    let http: CurlHTTPClient
    public let base: String
    /// Cookies the node set (name=value), sent back with every request.
    public var cookies: [String: String] = [:]

    public init(base: String) throws {
        self.base = base
        http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 30_000)
    }

    /// Logs in at the till whose token this browser holds (as enrolment leaves it in a cookie).
    public func logIn(tillToken: String, user: String, pin: String) throws {
        cookies["fenxiao_till"] = tillToken
        let answer = try post("/till/api/login", #"{"user":"\#(user)","pin":"\#(pin)"}"#)
        guard answer.status == 200, cookies["fenxiao_session"] != nil else {
            throw NodeError(.unauthorized, message: "login as \(user) failed: \(answer.status) \(answer.text)")
        }
    }

    /// `POST path` with a JSON body.
    public func post(_ path: String, _ json: String) throws -> HTTPResult {
        try send("POST", path, body: Array(json.utf8))
    }

    /// `GET path`.
    public func get(_ path: String) throws -> HTTPResult {
        try send("GET", path, body: nil)
    }

    func send(_ method: String, _ path: String, body: [UInt8]?) throws -> HTTPResult {
        var headers = ["Content-Type": "application/json"]
        if !cookies.isEmpty {
            headers["Cookie"] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: "; ")
        }
        let answer = try http.request(method: method, url: base + path, headers: headers, body: body)
        for (name, value) in answer.headers where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { cookies[parts[0]] = parts[1] }
        }
        return answer
    }
}

/// Several tills of one store, each on its own thread.
public struct TillClients: Sendable {
    public let tills: [TillClient]

    public init(base: String, count: Int) throws {
        tills = try (0..<count).map { _ in try TillClient(base: base) }
    }

    /// Runs `body` for every till at once, each on its own thread, and returns their results
    /// in till order.
    public func run<T: Sendable>(_ body: @escaping @Sendable (TillClient) -> T) -> [T] {
        let results = ResultSlots<T>(count: tills.count)
        let group = DispatchGroup()
        for (index, till) in tills.enumerated() {
            group.enter()
            let thread = Thread {
                results.set(index, body(till))
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return results.values
    }

    /// The `id` of the order in a sale's JSON answer.
    public static func orderID(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let order = object["order"] as? [String: Any]
        else { return nil }
        return order["id"] as? String
    }
}

/// Results written by several threads, read once they are done.
/// `@unchecked Sendable`: every slot is written under the lock.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    var values: [T] { lock.withLock { slots.compactMap { $0 } } }
}
