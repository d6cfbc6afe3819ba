import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
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
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    @Test func slowAndOversizedClientsDoNotTakeTheServerDown() throws {
        try withCentral("hostile") { central, dir in
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let before = try central.sync.status().state_hash
            // Slowloris, bounded: 100 connections that send half a request and never finish it.
            var held: [Int32] = []
            for _ in 0..<100 {
                guard let fd = Self.connect(port: server.port) else { continue }
                let partial =
                    "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Length: 100000\r\n\r\n{\"chan"
                _ = partial.withCString { send(fd, $0, strlen($0), 0) }
                held.append(fd)
            }
            defer { held.forEach { close($0) } }
            #expect(held.count == 100)
            let http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
            #expect(
                try http.request(method: "GET", url: server.url + "/v1/health").status == 200,
                "honest clients still served")
            // An oversized header (256 KiB) is refused or dropped, and the server stays up.
            let huge = String(repeating: "x", count: 256 * 1024)
            let answer = try? http.request(method: "GET", url: server.url + "/v1/health", headers: ["X-Huge": huge])
            #expect(answer.map { $0.status >= 400 } ?? true, "an oversized header must not be served as normal")
            let fresh = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
            #expect(try fresh.request(method: "GET", url: server.url + "/v1/health").status == 200)
            #expect(try central.sync.status().state_hash == before)
        }
    }

    /// Issue 15: a client that sends its headers and then trickles the body (a byte every
    /// 200 ms) is answered 408 and disconnected once the body timeout (2 s here) passes;
    /// nothing is applied and honest clients are still served.
    @Test func aTricklingBodyIsAnswered408AndClosed() throws {
        try withCentral("trickle") { central, dir in
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let server = try ServerProcess(
                data: dir.sub("central"), extraArgs: ["--body-timeout", "2", "--idle-timeout", "60"])
            defer { server.stop() }
            let before = try central.sync.status().state_hash
            let fd = try #require(Self.connect(port: server.port))
            defer { close(fd) }
            let head =
                "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "X-Fenxiao-Protocol: \(SyncWire.protocolVersion)\r\nX-Fenxiao-Schema: \(NodeSchema.version)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            _ = head.withCString { send(fd, $0, strlen($0), 0) }
            // Trickle at most 100 bytes (20 s at 200 ms each); stop as soon as central answers.
            var answer = [UInt8]()
            var sent = 0
            let started = Date()
            while sent < 100 {
                var byte: UInt8 = UInt8(ascii: " ")
                guard send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
                sent += 1
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 200) > 0 { break }
            }
            // Read what central sent until it closes (bounded: 5 s).
            var buffer = [UInt8](repeating: 0, count: 4096)
            var closed = false
            for _ in 0..<50 {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 100) > 0 else { continue }
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { closed = true; break }
                answer += buffer[0..<n]
            }
            let seconds = Date().timeIntervalSince(started)
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 408"), "central answered: \(text.prefix(200))")
            #expect(text.contains("did not arrive within 2 s"))
            #expect(closed, "central closed the connection")
            #expect(sent < 100 && seconds < 15, "closed after \(sent) trickled bytes, \(seconds) s")
            #expect(try central.sync.status().state_hash == before, "nothing applied")
            let http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 5000)
            #expect(try http.request(method: "GET", url: server.url + "/v1/health").status == 200)
        }
    }
}
