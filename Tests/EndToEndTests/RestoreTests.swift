import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// Backups and restores of either role with `fenxiao backup` / `fenxiao restore`, real
/// `fenxiao serve` processes and real libcurl syncs on 127.0.0.1 (sync/PROTOCOL.md §8.6).
@Suite struct RestoreTests {
    static func sync(_ data: String) throws -> FenxiaoBinary.Output {
        try FenxiaoBinary.run(["sync", "--json", "--data", data], timeout: 120)
    }

    static func orderCount(_ node: FenxiaoNode) throws -> Int {
        try node.read { try $0.orderIDs(limit: 100_000).count }
    }

    /// Central's disk dies at the end of a day; it is restored from the morning's backup. Every
    /// change of the day comes back from the stores, central never reuses a seq, and `sync`
    /// succeeds only once central has caught up with every store.
    @Test func centralRestoredFromBackupLosesNothingAndConverges() async throws {
        try await withTempDirectory("central-restore") { dir in
            let centralDir = dir.sub("central")
            var central: FenxiaoNode! = try Fixtures.central(in: dir)
            let names = ["s1", "s2", "s3"]
            var tokens: [String: String] = [:]
            for name in names { tokens[name] = try central.sync.enroll(node: name, warehouses: []) }
            var server = try ServerProcess(data: centralDir)
            defer { server.stop() }
            var stores: [String: FenxiaoNode] = [:]
            for name in names {
                let s = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
                try s.store.setMeta(["central_url": server.url, "token": tokens[name] ?? ""])
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
                _ = try s.inventory.move(sku: "TEA-01", quantity: 100, reason: .receive)
                _ = try s.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
                stores[name] = s
            }
            // The morning backup, taken while `serve` runs.
            let backup = dir.sub("central-morning.sqlite")
            let made = try FenxiaoBinary.run(["backup", "--to", backup, "--json", "--data", centralDir])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.json?["consistent"] as? Bool == true)
            for suffix in ["-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: backup + suffix), "the backup is one file (\(suffix))")
            }
            // The day: head office adds a product and changes a price; every store sells it and syncs;
            // s3 sells once more without syncing.
            _ = try central.catalog.upsert([
                CatalogItem(sku: "CAKE-01", name: "Cake", price: Money(cents: 2000), category: "Food/Cakes")
            ])
            _ = try central.catalog.upsert([
                CatalogItem(sku: "TEA-01", name: "Green tea", price: Money(cents: 1300), category: "Drinks/Tea")
            ])
            let centralSeqBefore = try central.read { try $0.heldSeq(of: .central) }
            for name in names {
                let s = try #require(stores[name])
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
                _ = try s.inventory.move(sku: "CAKE-01", quantity: 10, reason: .receive)
                _ = try s.orders.create(OrderRequest(lines: [.line("CAKE-01", 2), .line("TEA-01", 1)], pay: .card))
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
            }
            _ = try stores["s3"]?.orders.create(OrderRequest(lines: [.line("TEA-01", 3)], pay: .cash))
            let ordersOfTheDay = try Self.orderCount(central) + 1
            #expect(ordersOfTheDay == 7)
            // Central's disk dies; head office restores the morning backup (nothing has it open).
            server.stop()
            central = nil
            let restored = try FenxiaoBinary.run(["restore", "--from", backup, "--json", "--data", centralDir])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.json?["epoch"] as? Int == 2)
            #expect(restored.json?["waiting"] as? [String] == names)
            central = try FenxiaoNode.open(directory: centralDir)
            #expect(try central.read { try $0.register(.sku, "CAKE-01") } == nil, "the backup predates the cake")
            #expect(try Self.orderCount(central) == 3)
            // Head office edits the catalog before any store has synced: a new seq, never one lost.
            _ = try central.catalog.upsert([
                CatalogItem(sku: "PIE-01", name: "Pie", price: Money(cents: 800), category: "Food/Pies")
            ])
            let pieSeq = try central.read { r in try r.changes(of: .central, after: 0, limit: 100_000).last?.seq ?? 0 }
            #expect(pieSeq > centralSeqBefore && pieSeq > (1 << 40))
            server = try ServerProcess(data: centralDir)
            for name in names { try stores[name]?.store.setMeta(["central_url": server.url]) }
            // Everyone syncs: not converged (rc ≠ 0) until central has heard from every store.
            let first = try Self.sync(dir.sub("s1"))
            #expect(first.status != 0)
            #expect(first.stderr.contains("waits for s2, s3"), "\(first.stderr)")
            let second = try Self.sync(dir.sub("s2"))
            #expect(second.status != 0)
            #expect(second.stderr.contains("waits for s3"), "\(second.stderr)")
            // Head office sees whom it waits for, in `status` and `/v1/nodes`.
            let waitingStatus = try FenxiaoBinary.run(["status", "--data", centralDir])
            #expect(
                waitingStatus.stdout.contains("RESTORE:")
                    && waitingStatus.stdout.contains("s3: has not synced since the restore"),
                "\(waitingStatus.stdout)")
            let third = try Self.sync(dir.sub("s3"))
            #expect(third.status == 0, "\(third.stderr)")
            for name in ["s1", "s2"] {
                let again = try Self.sync(dir.sub(name))
                #expect(again.status == 0, "\(again.stderr)")
            }
            // Every change survived, and every node holds the same state.
            #expect(try Self.orderCount(central) == ordersOfTheDay)
            #expect(try central.read { try $0.register(.sku, "CAKE-01") } != nil)
            #expect(try central.read { try $0.heldSeq(of: .central) } == pieSeq)
            #expect(try central.read { try $0.consistencyProblems() } == [])
            for name in names {
                let s = try FenxiaoNode.open(directory: dir.sub(name))
                #expect(
                    try s.read { try $0.register(.sku, "PIE-01") } != nil,
                    "\(name) got head office's edit made after the restore")
                #expect(
                    try s.sync.status().state_hash == central.sync.status(scopeOf: name).state_hash, "\(name) converged"
                )
                #expect(try s.read { try $0.consistencyProblems() } == [])
            }
            let check = try FenxiaoBinary.run(["debug", "check", "--data", centralDir])
            #expect(check.status == 0, "\(check.stdout)")
        }
    }

    /// Central's file copied back by hand (no `fenxiao restore`): the first store holding more
    /// than central proves the restore, central opens a new epoch itself, and the chain
    /// converges with nothing lost.
    @Test func centralCopiedBackByHandIsNoticedByTheStoresAndConverges() async throws {
        try await withTempDirectory("central-copied") { dir in
            let centralDir = dir.sub("central")
            var central: FenxiaoNode! = try Fixtures.central(in: dir)
            let names = ["s1", "s2"]
            var tokens: [String: String] = [:]
            for name in names { tokens[name] = try central.sync.enroll(node: name, warehouses: []) }
            var server = try ServerProcess(data: centralDir)
            defer { server.stop() }
            let backup = dir.sub("copy.sqlite")
            for name in names {
                let s = try FenxiaoNode.initialize(directory: dir.sub(name), node: name, role: .store)
                try s.store.setMeta(["central_url": server.url, "token": tokens[name] ?? ""])
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
                _ = try s.inventory.move(sku: "TEA-01", quantity: 100, reason: .receive)
            }
            #expect(try FenxiaoBinary.run(["backup", "--to", backup, "--data", centralDir]).status == 0)
            _ = try central.catalog.upsert([
                CatalogItem(sku: "CAKE-01", name: "Cake", price: Money(cents: 2000), category: "Food/Cakes")
            ])
            for name in names {
                let s = try FenxiaoNode.open(directory: dir.sub(name))
                _ = try s.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash))
                _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
            }
            // Someone copies the file back by hand.
            server.stop()
            central = nil
            let file = centralDir + "/fenxiao.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            try FileManager.default.copyItem(atPath: backup, toPath: file)
            // The whole folder put back, high-water mark included (here: from before the mark
            // existed), so central itself cannot tell; the stores do.
            try FileManager.default.removeItem(atPath: centralDir + "/" + CentralMark.fileName)
            server = try ServerProcess(data: centralDir)
            for name in names {
                try FenxiaoNode.open(directory: dir.sub(name)).store.setMeta(["central_url": server.url])
            }
            let first = try Self.sync(dir.sub("s1"))
            #expect(first.status != 0, "central still waits for s2")
            #expect(first.stderr.contains("waits for s2"), "\(first.stderr)")
            #expect(try Self.sync(dir.sub("s2")).status == 0)
            #expect(try Self.sync(dir.sub("s1")).status == 0)
            central = try FenxiaoNode.open(directory: centralDir)
            #expect(try central.read { try $0.centralEpoch().epoch } == 2)
            #expect(
                try central.read { try $0.register(.sku, "CAKE-01") } != nil,
                "head office's edit came back from the stores")
            #expect(try Self.orderCount(central) == 2)
            for name in names {
                let s = try FenxiaoNode.open(directory: dir.sub(name))
                #expect(
                    try s.sync.status().state_hash == central.sync.status(scopeOf: name).state_hash, "\(name) converged"
                )
            }
        }
    }

    /// Issue 15: central's file copied back by hand, its high-water mark (`central.mark`) left
    /// in place: `serve` refuses to start and names `fenxiao restore --from`; after that
    /// restore the chain converges with nothing lost.
    @Test func centralCopiedBackByHandRefusesToServeUntilRestored() async throws {
        try await withTempDirectory("central-mark") { dir in
            let centralDir = dir.sub("central")
            var central: FenxiaoNode! = try Fixtures.central(in: dir)
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            var server = try ServerProcess(data: centralDir)
            defer { server.stop() }
            let s = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
            try s.store.setMeta(["central_url": server.url, "token": token])
            _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
            _ = try s.inventory.move(sku: "TEA-01", quantity: 100, reason: .receive)
            let backup = dir.sub("copy.sqlite")
            #expect(try FenxiaoBinary.run(["backup", "--to", backup, "--data", centralDir]).status == 0)
            _ = try s.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash))
            // central's mark moves past the backup
            _ = try await SyncRunner(node: s, link: try SyncRunner.link(of: s)).run()
            server.stop()
            central = nil
            let file = centralDir + "/fenxiao.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            try FileManager.default.copyItem(atPath: backup, toPath: file)
            let refused = try FenxiaoBinary.run(["serve", "--data", centralDir, "--port", "0"], timeout: 30)
            #expect(refused.status != 0)
            #expect(
                refused.stderr.contains("without `fenxiao restore`")
                    && refused.stderr.contains("fenxiao restore --from"), "\(refused.stderr)")
            #expect(!refused.stdout.contains("listening"), "central did not serve the old file")
            // The documented path: restore from the backup; central opens a new epoch and serves.
            let restored = try FenxiaoBinary.run(["restore", "--from", backup, "--json", "--data", centralDir])
            #expect(restored.status == 0, "\(restored.stderr)")
            server = try ServerProcess(data: centralDir)
            try s.store.setMeta(["central_url": server.url])
            #expect(try Self.sync(dir.sub("s1")).status == 0)
            central = try FenxiaoNode.open(directory: centralDir)
            #expect(try Self.orderCount(central) == 1, "the sale after the backup came back from the store")
            #expect(try s.sync.status().state_hash == central.sync.status(scopeOf: "s1").state_hash)
        }
    }

    /// A store restored from an old copy syncs before selling: the sync fails and demands
    /// `fenxiao recover`; recovery brings its later orders back.
    @Test func restoredStoreIsStoppedAtItsFirstSyncAndRecovers() async throws {
        try await withCentral("store-restore") { central, dir in
            let token = try central.sync.enroll(node: "s1", warehouses: [])
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let s1Dir = dir.sub("s1")
            let backup = dir.sub("s1-monday.sqlite")
            var later: [String] = []
            do {
                let s1 = try FenxiaoNode.initialize(directory: s1Dir, node: "s1", role: .store)
                try s1.store.setMeta(["central_url": server.url, "token": token])
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
                _ = try s1.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
                _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
                let made = try FenxiaoBinary.run(["backup", "--to", backup, "--data", s1Dir])
                #expect(made.status == 0, "\(made.stderr)")
                for _ in 0..<3 {
                    later.append(try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .card)).id)
                }
                _ = try await SyncRunner(node: s1, link: try SyncRunner.link(of: s1)).run()
            }
            let restored = try FenxiaoBinary.run(["restore", "--from", backup, "--data", s1Dir])
            #expect(restored.status == 0, "\(restored.stderr)")
            let hashBefore = try FenxiaoNode.open(directory: s1Dir).sync.status().state_hash
            let sync = try Self.sync(s1Dir)
            #expect(sync.status != 0, "a restored store must not report success")
            #expect(sync.stderr.contains("fenxiao recover"), "\(sync.stderr)")
            #expect(
                try FenxiaoNode.open(directory: s1Dir).sync.status().state_hash == hashBefore,
                "nothing pushed or pulled")
            let recover = try FenxiaoBinary.run(["recover", "--data", s1Dir])
            #expect(recover.status == 0, "\(recover.stderr)")
            let again = try Self.sync(s1Dir)
            #expect(again.status == 0, "\(again.stderr)")
            let s1 = try FenxiaoNode.open(directory: s1Dir)
            for id in later {
                #expect(try s1.read { try $0.order(id) } != nil, "order \(id) sold after the backup is back")
            }
            #expect(try s1.sync.status().state_hash == central.sync.status(scopeOf: "s1").state_hash)
        }
    }

    /// `fenxiao backup` while another process sells: every copy opens, passes the checks and
    /// restores into a working node.
    @Test func backupDuringConcurrentWritesIsConsistent() throws {
        try withTempDirectory("backup-live") { dir in
            let d = dir.sub("s")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            _ = try FenxiaoBinary.run([
                "catalog", "add-product", "--sku", "BUN-01", "--name", "Bun", "--price", "3.5", "--data", d,
            ])
            _ = try FenxiaoBinary.run(["stock", "receive", "--sku", "BUN-01", "--qty", "1000000", "--data", d])
            let seller = try StoreProcess(data: d, sku: "BUN-01", count: 100_000, output: dir.sub("sold.txt"))
            defer { seller.kill() }
            #expect(seller.waitForOrders(20, timeout: 60))
            var copies: [(String, Int)] = []
            for i in 0..<3 {
                let file = dir.sub("copy-\(i).sqlite")
                let before = seller.orderIDs.count
                let made = try FenxiaoBinary.run(["backup", "--to", file, "--json", "--data", d])
                #expect(made.status == 0, "\(made.stderr)")
                #expect(made.json?["consistent"] as? Bool == true)
                #expect(seller.process.isRunning, "the backup ran while orders were being written")
                copies.append((file, before))
            }
            #expect(seller.kill())
            for (i, (file, soldBefore)) in copies.enumerated() {
                let target = dir.sub("restored-\(i)")
                let restore = try FenxiaoBinary.run(["restore", "--from", file, "--data", target])
                #expect(restore.status == 0, "\(restore.stderr)")
                let check = try FenxiaoBinary.run(["debug", "check", "--json", "--data", target])
                #expect(check.status == 0, "\(check.stdout)")
                let node = try FenxiaoNode.open(directory: target)
                #expect(try Self.orderCount(node) >= soldBefore, "the copy holds every order committed before it began")
            }
            let existing = try FenxiaoBinary.run(["backup", "--to", copies[0].0, "--data", d])
            #expect(existing.status != 0)
            #expect(existing.stderr.contains("already exists"))
        }
    }

    /// A damaged file: the message names `fenxiao restore` and `fenxiao backup`, and following
    /// it gives back a working node.
    @Test func damagedFileMessagePointsAtARestoreThatWorks() throws {
        try withTempDirectory("damaged-restore") { dir in
            let d = dir.sub("c")
            _ = try FenxiaoBinary.run(["init", "--role", "central", "--node", "central", "--data", d])
            for i in 0..<40 {
                _ = try FenxiaoBinary.run([
                    "catalog", "add-product", "--sku", "P-\(i)", "--name", "Product number \(i) with a long name",
                    "--price", "1", "--data", d,
                ])
            }
            let backup = dir.sub("nightly.sqlite")
            #expect(try FenxiaoBinary.run(["backup", "--to", backup, "--data", d]).status == 0)
            _ = try FenxiaoBinary.run(["debug", "check", "--data", d])  // checkpoints the WAL into the file
            let path = d + "/fenxiao.sqlite"
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for i in (5 * 4096)..<(5 * 4096 + 2048) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let serve = try FenxiaoBinary.run(["serve", "--port", "0", "--data", d], timeout: 20)
            #expect(serve.status != 0)
            #expect(serve.stderr.contains("fenxiao restore --from FILE --data \(d)"), "\(serve.stderr)")
            #expect(serve.stderr.contains("fenxiao backup --to FILE"), "\(serve.stderr)")
            #expect(
                !serve.stderr.contains("run `fenxiao recover`"),
                "recover refuses a damaged file; it must not be suggested")
            // Following the message works.
            let restore = try FenxiaoBinary.run(["restore", "--from", backup, "--data", d])
            #expect(restore.status == 0, "\(restore.stderr)")
            let check = try FenxiaoBinary.run(["debug", "check", "--data", d])
            #expect(check.status == 0, "\(check.stdout)")
            let show = try FenxiaoBinary.run(["catalog", "list", "--json", "--data", d])
            #expect(show.stdout.contains("P-39"), "\(show.stdout)")
        }
    }
}
