import FenxiaoTesting
import Foundation
import Node
import Storage
import SyncClient
import Testing

/// A store restored from yesterday's copy: central refuses reused sequence numbers, and
/// `fenxiao recover` brings back the acknowledged changes and re-issues the new ones.
@Suite struct RecoveryTests {
    @Test func restoredStoreIsDetectedAndRecoversWithoutLossOrDuplicates() async throws {
        try await withCentral("recover") { central, dir in
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let s1Dir = dir.sub("s1")
            do {
                let s1 = try FenxiaoNode.initialize(directory: s1Dir, node: "s1", role: .store)
                try s1.store.setMeta(["central_url": server.url, "token": token])
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
                _ = try s1.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
                for _ in 0..<3 { _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash)) }
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
                try s1.store.checkpoint()
            }
            // Yesterday's backup, then a day of selling that reaches central.
            try FileManager.default.copyItem(atPath: s1Dir, toPath: dir.sub("backup"))
            do {
                let s1 = try FenxiaoNode.open(directory: s1Dir)
                for _ in 0..<4 { _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .card)) }
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
            }
            #expect(try central.read { try $0.orderIDs(limit: 100).count } == 7)
            // The disk dies; the store is restored from the backup and sells again (reusing seqs).
            try FileManager.default.removeItem(atPath: s1Dir)
            try FileManager.default.copyItem(atPath: dir.sub("backup"), toPath: s1Dir)
            let restored = try FenxiaoNode.open(directory: s1Dir)
            let after = try restored.orders.create(OrderRequest(lines: [.line("TEA-01", 5)], pay: .cash))
            await #expect(throws: NodeError.self) {
                _ = try await SyncRunner(node: restored, link: try SyncRunner.link(of: restored)).run()
            }
            #expect(
                try central.read { try $0.orderIDs(limit: 100).count } == 7, "nothing from the reused seqs was applied")
            // Central's hello failing (here a 500 through a proxy): the recovery stops before
            // re-issuing anything with stamps that might be below central's frontier.
            let proxy = FaultProxy(
                upstream: server.url, seed: 1, faultPercent: 100, kinds: [.error500], pathPrefix: "/v1/sync/hello")
            let (proxyTask, proxyPort) = try await proxy.start()
            defer { proxyTask.cancel() }
            let before = try restored.sync.status().state_hash
            let failed = #expect(throws: NodeError.self) {
                try StoreRecovery(
                    node: restored, link: CentralLink(url: "http://127.0.0.1:\(proxyPort)", token: token)
                ).run()
            }
            #expect(failed?.message.contains("hello") == true, "\(failed?.message ?? "")")
            #expect(try FenxiaoNode.open(directory: s1Dir).sync.status().state_hash == before, "nothing changed")
            let summary = try StoreRecovery(node: restored, link: try SyncRunner.link(of: restored)).run()
            #expect(summary.reissued >= 1)
            let recovered = try FenxiaoNode.open(directory: s1Dir)
            _ = try await SyncRunner(node: recovered, link: try SyncRunner.link(of: recovered)).run()
            #expect(
                try central.read { try $0.orderIDs(limit: 100).count } == 8,
                "7 acknowledged orders + the one sold after the restore")
            #expect(try central.orders.find(after.id).lines.first?.qty == 5)
            #expect(try recovered.inventory.levels(sku: "TEA-01").first?.on_hand == 50 - 3 - 8 - 5)
            #expect(try recovered.sync.status().state_hash == central.sync.status(scopeOf: "s1").state_hash)
            #expect(FileManager.default.fileExists(atPath: summary.backup))
        }
    }
}
