import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import SyncClient
import Testing

/// A real central (the sync API and the console on one port, on 127.0.0.1) and two real stores
/// that sync over HTTP: a conflict made by the stores' offline edits is resolved in the console,
/// is resolved at central, and reaches a store with its next sync. The dashboard shows each
/// store's sync state, red once silent longer than the configured time.
@Suite struct ConsoleSyncTests {
    @Test func aConflictResolvedInTheConsoleReachesTheStoreAfterItsSync() async throws {
        let dir = TempDirectory("console-sync")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        let tokens = try ["s1", "s2"].map { try central.acting(as: "boss").sync.enroll(node: $0, warehouses: []) }
        try await consoleApp(central, silentAfterMillis: 60_000).test(.live) { client in
            let port = try #require(client.port)
            var stores: [FenxiaoNode] = []
            for (n, name) in ["s1", "s2"].enumerated() {
                let node = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
                try node.store.setMeta(["central_url": "http://127.0.0.1:\(port)", "token": tokens[n]])
                stores.append(node)
            }
            func sync(_ node: FenxiaoNode) async throws {
                let runner = try SyncRunner(
                    node: node, link: try SyncRunner.link(of: node),
                    configuration: .init(batchSize: 1000, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
                    timeoutMillis: 30_000)
                _ = try await runner.run()
            }
            let (s1, s2) = (stores[0].acting(as: "boss"), stores[1].acting(as: "boss"))
            try await sync(stores[0])
            _ = try s1.members.upsert(id: "M1", name: "Li", phone: "13900000001")
            try await sync(stores[0])
            try await sync(stores[1])
            // Offline, both stores change the member's region.
            _ = try s1.members.upsert(id: "M1", name: nil, phone: nil, region: "east")
            _ = try s2.members.upsert(id: "M1", name: nil, phone: nil, region: "west")
            for node in [stores[0], stores[1], stores[0]] { try await sync(node) }
            let conflict = try #require(
                try central.sync.conflicts(status: .open).first { $0.rule == "concurrent_edit" })

            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            let dashboard = try await browser.get("/console")
            #expect(dashboard.body.contains(#"data-kind="concurrent_edit">1<"#))
            #expect(dashboard.body.contains(#"status=open">同时修改</a>"#), "the kind is named in Chinese")
            #expect(dashboard.body.contains(#"data-store="s1""#) && dashboard.body.contains(#"data-store="s2""#))
            let list = try await browser.get("/console/conflicts?kind=concurrent_edit")
            #expect(list.status == .ok)
            #expect(list.body.contains("conflict-\(conflict.id)"))
            // The record's sentence in Chinese, rendered from its facts.
            #expect(list.body.contains(HTMLText.escape(conflict.text(in: .chinese))))
            let csrf = try #require(ConsoleBrowser.hidden("csrf", in: list.body))
            let resolved = try await browser.post(
                "/console/conflicts/resolve",
                [("csrf", csrf), ("id", conflict.id), ("note", "已电话确认：区域以门店一为准"), ("back", "status=open")])
            #expect(resolved.status == .seeOther)
            let atCentral = try #require(try central.sync.conflicts().first { $0.id == conflict.id })
            #expect(atCentral.status == "resolved")
            #expect(atCentral.note == "已电话确认：区域以门店一为准")
            #expect(
                try central.acting(as: "boss").access.auditLog(user: "boss").contains {
                    $0.action == "conflict.resolve"
                })
            let open = try await browser.get("/console/conflicts")
            #expect(!open.body.contains("conflict-\(conflict.id)"))
            #expect(
                try await browser.get("/console/conflicts?status=resolved").body.contains("conflict-\(conflict.id)"))
            // The store sees it resolved after its next sync.
            #expect(try stores[0].sync.conflicts().first { $0.id == conflict.id }?.status != "resolved")
            try await sync(stores[0])
            let atStore = try #require(try stores[0].sync.conflicts().first { $0.id == conflict.id })
            #expect(atStore.status == "resolved")
            #expect(atStore.note == "已电话确认：区域以门店一为准")
        }
    }

    @Test func aStoreSilentLongerThanTheConfiguredTimeIsRed() async throws {
        let dir = TempDirectory("console-silent")
        defer { dir.remove() }
        let (central, _) = try ConsoleShop.make(dir)
        _ = try central.acting(as: "boss").sync.enroll(node: "s9", warehouses: [])
        try await consoleApp(central).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            _ = try await browser.logIn("boss", "boss-pass-1")
            let page = try await browser.get("/console")
            // s9 never synced: silent, red.
            #expect(page.body.contains(#"<tr data-store="s9" class="silent">"#))
            #expect(page.body.contains("从未同步"))
            let csv = try await browser.get("/console/sync.csv")
            let lag = try #require(try central.sync.peers().first { $0.node == "s9" }).lag
            #expect(lag > 0)  // the catalog and users wait for it
            #expect(csv.body.contains("\r\ns9,,\(lag),,true,false\r\n"))
        }
    }
}

/// The escaping the console's templates apply (Mustache's), for comparing page text.
enum HTMLText {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
