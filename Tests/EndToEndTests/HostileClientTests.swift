import FenxiaoTesting
import Foundation
import Node
import SyncClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Slow and oversized clients against a real `fenxiao serve`: the server stays up for everyone
/// else and nothing changes.
@Suite struct HostileClientTests {
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    @Test func slowAndOversizedClientsDoNotTakeTheServerDown() throws {
        let dir = TempDirectory("hostile")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let token = try central.enroll(node: "s1", warehouses: [])
        let server = try ServerProcess(data: dir.sub("central"))
        defer { server.stop() }
        let before = try central.status().state_hash
        // Slowloris, bounded: 100 connections that send half a request and never finish it.
        var held: [Int32] = []
        for _ in 0..<100 {
            guard let fd = Self.connect(port: server.port) else { continue }
            let partial = "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Length: 100000\r\n\r\n{\"chan"
            _ = partial.withCString { send(fd, $0, strlen($0), 0) }
            held.append(fd)
        }
        defer { held.forEach { close($0) } }
        #expect(held.count == 100)
        let http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
        #expect(try http.request(method: "GET", url: server.url + "/v1/health").status == 200, "honest clients still served")
        // An oversized header (256 KiB) is refused or dropped, and the server stays up.
        let huge = String(repeating: "x", count: 256 * 1024)
        let answer = try? http.request(method: "GET", url: server.url + "/v1/health", headers: ["X-Huge": huge])
        #expect(answer.map { $0.status >= 400 } ?? true, "an oversized header must not be served as normal")
        let fresh = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
        #expect(try fresh.request(method: "GET", url: server.url + "/v1/health").status == 200)
        #expect(try central.status().state_hash == before)
    }
}
