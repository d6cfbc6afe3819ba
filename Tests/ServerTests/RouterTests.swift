import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Replication
import Server
import Storage
import Testing

/// The router in process (Hummingbird's test client); the real-process tests live in EndToEndTests.
@Suite struct RouterTests {
    func withApp(_ body: @Sendable (any TestClientProtocol, FenxiaoNode, String) async throws -> Void) async throws {
        let dir = TempDirectory("router")
        defer { dir.remove() }
        let central = try Fixtures.central(in: dir)
        let token = try central.sync.enroll(node: "s1", warehouses: [])
        let app = Application(router: FenxiaoServer(node: central).router())
        try await app.test(.router) { client in try await body(client, central, token) }
    }

    func headers(_ token: String) -> HTTPFields {
        var h = HTTPFields()
        h[.authorization] = "Bearer \(token)"
        for (k, v) in [(SyncWire.protocolHeader, "1"), (SyncWire.schemaHeader, String(NodeSchema.version))] {
            if let name = HTTPFields.Element.Name(k) { h[name] = v }
        }
        return h
    }

    @Test func healthAnswers() async throws {
        try await withApp { client, _, _ in
            try await client.execute(uri: "/v1/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"role\":\"central\""))
            }
        }
    }

    @Test func openAPIDocumentIsJSONAndListsEveryEntityKind() async throws {
        try await withApp { client, _, _ in
            try await client.execute(uri: "/v1/openapi.json", method: .get) { r in
                #expect(r.status == .ok)
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]
                let schemas = (doc?["components"] as? [String: Any])?["schemas"] as? [String: Any]
                let change = (schemas?["Change"] as? [String: Any])?["properties"] as? [String: Any]
                let kinds = (change?["kind"] as? [String: Any])?["enum"] as? [String]
                #expect(kinds == EntityKind.sorted.map(\.rawValue))
                let ops = (change?["op"] as? [String: Any])?["enum"] as? [String]
                #expect(ops.map(Set.init) == Set(ChangeOp.allCases.map(\.rawValue)))
            }
        }
    }

    /// The OpenAPI document lists every route the router serves, the clock headers and the 408
    /// of a slow body (issue 15).
    @Test func openAPIDocumentListsRoutesAndClockHeaders() async throws {
        try await withApp { client, _, _ in
            try await client.execute(uri: "/v1/openapi.json", method: .get) { r in
                #expect(r.status == .ok)
                let doc = try #require(
                    try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any])
                let paths = try #require(doc["paths"] as? [String: Any])
                for path in [
                    "/v1/health", "/v1/nodes", "/v1/sync/push", "/v1/sync/pull", "/v1/sync/own", "/v1/sync/hello",
                    "/v1/sync/return",
                ] {
                    #expect(paths[path] != nil, "\(path) is missing")
                }
                let text = String(buffer: r.body)
                for name in [
                    SyncWire.wallClockHeader, SyncWire.maxOffsetHeader, SyncWire.protocolHeader, SyncWire.schemaHeader,
                    "\"408\"",
                ] {
                    #expect(text.contains(name), "\(name) is missing")
                }
            }
        }
    }

    @Test func pullPagesAndValidatesItsParameters() async throws {
        try await withApp { client, central, token in
            try await client.execute(uri: "/v1/sync/pull?after=0&limit=2", method: .get, headers: headers(token)) { r in
                #expect(r.status == .ok)
                let page = try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(buffer: r.body))
                #expect(page.changes.count == 2)
                #expect(page.more)
            }
            for bad in [
                "after=-1", "after=abc", "limit=0", "limit=999999", "stable=-1", "stable=abc",
                "stable=99999999999999999999", "stable=1.5",
            ] {
                try await client.execute(uri: "/v1/sync/pull?\(bad)", method: .get, headers: headers(token)) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            #expect(
                try central.sync.peers().first { $0.node == "s1" }?.stable_hlc == 0, "a refused promise is not kept")
            // A good promise is kept (and capped at central's clock ceiling).
            let promise = HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0)
            try await client.execute(
                uri: "/v1/sync/pull?after=0&limit=1&stable=\(promise.rawValue)", method: .get, headers: headers(token)
            ) { r in
                #expect(r.status == .ok)
            }
            #expect(try central.sync.peers().first { $0.node == "s1" }?.stable_hlc == promise.rawValue)
        }
    }

    @Test func nodeListNeedsAnAdminToken() async throws {
        try await withApp { client, central, token in
            try await client.execute(uri: "/v1/nodes", method: .get, headers: headers(token)) { r in
                #expect(r.status == .forbidden)
            }
            let admin = try central.sync.enroll(node: "ops", warehouses: [], admin: true)
            try await client.execute(uri: "/v1/nodes", method: .get, headers: headers(admin)) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"node\":\"s1\""))
            }
        }
    }
}
