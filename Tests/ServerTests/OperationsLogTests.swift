import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Node
import Replication
import Server
import Storage
import Testing

/// Central's log lines (issue 20): one JSON line per request with its status, bytes, duration
/// and store; one per push with its counts; a refusal with its reason; the line shapes.
@Suite struct OperationsLogTests {
    @Test func aPushIsLoggedAsARequestAndAPushWithItsCounts() async throws {
        let shop = try OpsShop("ops-log-push")
        defer { shop.dir.remove() }
        _ = try shop.store.members.upsert(id: "M1", name: "Li", phone: "13900000001")
        let app = Application(router: FenxiaoServer(node: shop.central).router(), logger: shop.logger)
        try await app.test(.live) { client in
            let summary = try await shop.sync(port: try #require(client.port))
            #expect(summary.pushed > 0)
            let push = try #require(shop.lines.first { $0["msg"] as? String == "push" })
            #expect(push["store"] as? String == "s1")
            #expect(push["changes"] as? Int == summary.pushed)
            #expect(push["conflicts"] as? Int == 0)
            #expect(push["duration_ms"] is Double || push["duration_ms"] is Int)
            #expect(push["level"] as? String == "info")
            let request = try #require(
                shop.lines.first { $0["msg"] as? String == "request" && $0["path"] as? String == "/v1/sync/push" })
            #expect(request["method"] as? String == "POST")
            #expect(request["status"] as? Int == 200)
            #expect(request["store"] as? String == "s1")
            #expect((request["bytes"] as? Int ?? 0) > 0)
            let ts = try #require(request["ts"] as? String)
            #expect(ts.count == 24 && ts.hasSuffix("Z") && ts.dropFirst(10).hasPrefix("T"))
            #expect(shop.lines.contains { $0["msg"] as? String == "pull" && $0["store"] as? String == "s1" })
        }
    }

    @Test func aWrongTokenIsLoggedAsARefusalWithItsReasonAndNoToken() async throws {
        let shop = try OpsShop("ops-log-refused")
        defer { shop.dir.remove() }
        let app = Application(router: FenxiaoServer(node: shop.central).router(), logger: shop.logger)
        let secret = "not-a-token-0123456789"
        try await app.test(.router) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(secret)"
            for (k, v) in [(SyncWire.protocolHeader, "1"), (SyncWire.schemaHeader, String(NodeSchema.version))] {
                if let name = HTTPFields.Element.Name(k) { headers[name] = v }
            }
            try await client.execute(uri: "/v1/sync/pull?after=0", method: .get, headers: headers) { r in
                #expect(r.status == .unauthorized)
            }
        }
        let refused = try #require(shop.lines.first { $0["msg"] as? String == "refused" })
        #expect(refused["status"] as? Int == 401)
        #expect(refused["code"] as? String == "unauthorized")
        #expect((refused["reason"] as? String)?.contains("unknown token") == true)
        #expect(refused["level"] as? String == "warning")
        let request = try #require(shop.lines.first { $0["msg"] as? String == "request" })
        #expect(request["status"] as? Int == 401)
        #expect(request["store"] == nil)
        #expect(!shop.sink.lines.joined().contains(secret))
    }

    @Test func aVersionMismatchIsLoggedWithTheVersions() async throws {
        let shop = try OpsShop("ops-log-version")
        defer { shop.dir.remove() }
        let app = Application(router: FenxiaoServer(node: shop.central).router(), logger: shop.logger)
        try await app.test(.router) { client in
            var headers = HTTPFields()
            for (k, v) in [(SyncWire.protocolHeader, "999"), (SyncWire.schemaHeader, "1")] {
                if let name = HTTPFields.Element.Name(k) { headers[name] = v }
            }
            try await client.execute(uri: "/v1/sync/pull", method: .get, headers: headers) { r in
                #expect(r.status == .conflict)
            }
        }
        let refused = try #require(shop.lines.first { $0["msg"] as? String == "refused" })
        #expect(refused["code"] as? String == "versionMismatch")
        #expect((refused["reason"] as? String)?.contains("protocol 999") == true)
    }

    @Test func textLinesCarryTimestampLevelMessageAndQuotedMetadata() {
        let sink = LogSink.memory()
        var logger = LineLogHandler.logger(format: .text, sink: sink)
        logger.logLevel = .info
        logger.debug("hidden")
        logger.info("request", metadata: ["path": "/v1/health", "reason": "two words"])
        #expect(sink.lines.count == 1)
        let line = try? #require(sink.lines.first)
        #expect(line?.hasSuffix(#"INFO fenxiao: request path=/v1/health reason="two words""#) == true)
        #expect(line?.prefix(24).hasSuffix("Z") == true)
    }

    @Test func jsonLinesEscapeAndKeepReservedKeysApart() throws {
        let sink = LogSink.memory()
        let logger = LineLogHandler.logger(format: .json, sink: sink)
        logger.warning(
            "line\n\"two\"", metadata: ["msg": "shadow", "n": .stringConvertible(3), "ok": .stringConvertible(true)])
        let line = try #require(sink.lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "line\n\"two\"")
        #expect(object["_msg"] as? String == "shadow")
        #expect(object["n"] as? Int == 3)
        #expect(object["ok"] as? Bool == true)
        #expect(object["level"] as? String == "warning")
    }
}
