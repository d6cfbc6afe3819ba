import FenxiaoTesting
import Foundation
import Node
import Replication
import Spawn
import Storage
import SyncClient
import Testing

/// A real `fenxiao serve --log-format json` (issue 20): its standard error holds one JSON line
/// per request, one per push with the store and its change count, and a refusal for a wrong
/// token with its reason; standard output still has only the listening line.
@Suite struct ServeLogLinesTests {
    @Test func servesJSONLogLinesForAPushAndARefusedToken() async throws {
        let dir = TempDirectory("serve-log-lines")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let token = try central.sync.enroll(node: "s1", warehouses: [])
        let store = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)

        let errPath = dir.sub("serve.err"), outPath = dir.sub("serve.out"), portFile = dir.sub("port")
        let p = try SpawnedProcess(
            executable: FenxiaoBinary.path,
            arguments: [
                "serve", "--data", central.store.directory, "--port", "0", "--port-file", portFile, "--log-format",
                "json",
            ],
            stdout: .file(outPath), stderr: .file(errPath))
        defer {
            p.signal(SIGKILL)
            p.waitUntilExit()
        }
        var port: Int?
        for _ in 0..<500 where port == nil {  // bounded: 10 s
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if port == nil { usleep(20_000) }
        }
        let url = "http://127.0.0.1:\(try #require(port))"

        try store.store.setMeta(["central_url": url, "token": token])
        _ = try store.members.upsert(id: "M1", name: "Li", phone: "13900000001")
        let summary = try await SyncRunner(node: store, link: try SyncRunner.link(of: store), timeoutMillis: 30_000)
            .run()
        let refused = try CurlHTTPClient().request(
            method: "GET", url: url + "/v1/sync/pull?after=0",
            headers: [
                "Authorization": "Bearer wrong-token-for-the-log", SyncWire.protocolHeader: "1",
                SyncWire.schemaHeader: String(NodeSchema.version),
            ])
        #expect(refused.status == 401)
        p.signal(SIGTERM)
        p.waitUntilExit()

        let lines = try String(contentsOfFile: errPath, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
        let push = try #require(lines.first { $0["msg"] as? String == "push" })
        #expect(push["store"] as? String == "s1")
        #expect(push["changes"] as? Int == summary.pushed && summary.pushed > 0)
        #expect(
            lines.contains {
                $0["msg"] as? String == "request" && $0["path"] as? String == "/v1/sync/push"
                    && $0["status"] as? Int == 200
                    && $0["store"] as? String == "s1"
            })
        let refusal = try #require(lines.first { $0["msg"] as? String == "refused" })
        #expect(refusal["status"] as? Int == 401)
        #expect((refusal["reason"] as? String)?.contains("unknown token") == true)
        #expect(lines.allSatisfy { ($0["ts"] as? String)?.hasSuffix("Z") == true })
        #expect(lines.last?["msg"] as? String == "stopped")
        let stdout = try String(contentsOfFile: outPath, encoding: .utf8)
        #expect(stdout.split(separator: "\n").count == 1 && stdout.contains("central listening on"))
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self).contains(token))
    }
}
