import Foundation
import Hummingbird
import SyncClient
import Testing

/// The libcurl client against a real Hummingbird server on 127.0.0.1.
@Suite struct CurlHTTPClientTests {
    @Test func postsAndReadsOverLoopbackWithOneReusedHandle() async throws {
        let router = Router()
        router.post("/echo") { request, _ -> String in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            return "got \(body.readableBytes) bytes, auth=\(request.headers[.authorization] ?? "none")"
        }
        router.get("/status/418") { _, _ -> Response in Response(status: .init(code: 418)) }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var it = stream.makeAsyncIterator()
            let port = try #require(await it.next())
            // Generous timeouts: the test is about one reused handle, not speed, and a loaded
            // CI machine answered a loopback echo after more than 5 s once.
            let client = try CurlHTTPClient(connectTimeoutMillis: 10_000, totalTimeoutMillis: 30_000)
            // libcurl blocks: run it off the cooperative pool, which the in-process server needs.
            for _ in 0..<3 {
                let r = try await offload {
                    try client.request(
                        method: "POST", url: "http://127.0.0.1:\(port)/echo", headers: ["Authorization": "Bearer t"],
                        body: Array("hello".utf8))
                }
                #expect(r.status == 200)
                #expect(r.text == "got 5 bytes, auth=Bearer t")
            }
            let teapot = try await offload {
                try client.request(method: "GET", url: "http://127.0.0.1:\(port)/status/418")
            }
            #expect(teapot.status == 418)
            group.cancelAll()
        }
    }

    @Test func connectionRefusedIsATransportError() throws {
        let client = try CurlHTTPClient(connectTimeoutMillis: 500, totalTimeoutMillis: 1000)
        #expect(throws: TransportError.self) { try client.request(method: "GET", url: "http://127.0.0.1:1/none") }
    }
}
