import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// The stability frontier and store log compaction between real nodes: a real `fenxiao serve` on
/// 127.0.0.1, real libcurl clients, a store's clock moved 31 days on for the retention.
@Suite(.serialized) struct LogCompactionEndToEndTests {
    static func sync(_ node: FenxiaoNode) async throws -> SyncRunner {
        let runner = try SyncRunner(
            node: node, link: try SyncRunner.link(of: node),
            configuration: .init(batchSize: 200, maxAttempts: 3, baseDelayMillis: 20, maxDelayMillis: 100),
            timeoutMillis: 5000)
        _ = try await runner.run()
        return runner
    }

    /// The same store file read with a wall clock `days` ahead (what a month of trading later is).
    static func later(_ node: FenxiaoNode, days: Int64) throws -> FenxiaoNode {
        let skew = days * 86_400_000
        return FenxiaoNode(
            store: try NodeStore.open(
                directory: node.store.directory, wallClock: { NodeStore.systemWallClock() + skew }))
    }

    static func hash(_ node: FenxiaoNode) throws -> String { try node.sync.status().state_hash }

    /// `fenxiao ARGS`: exit status and everything it printed.
    static func cli(_ args: [String]) throws -> (status: Int32, output: String) {
        let out = try FenxiaoBinary.run(args)
        return (out.status, out.stdout + out.stderr)
    }

    @Test func settledChangesLeaveTheStoreLogAndNothingElseChanges() async throws {
        try await withCentral("compact-e2e") { central, dir in
            _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let stores = try Fixtures.joinedStores(["s1", "s2"], central: central, in: dir, url: server.url)
            for n in ["s1", "s2"] { _ = try await Self.sync(try #require(stores[n])) }
            let s1 = try #require(stores["s1"]), s2 = try #require(stores["s2"])
            // Changes held per origin at each step, shown if the registers' check below fails.
            var trace: [String] = []
            func origins() throws -> [String: Int] {
                Dictionary(grouping: try s1.read { try $0.changes() }, by: \.origin.rawValue).mapValues(\.count)
            }
            trace.append("joined \(try origins())")
            // A day of trading at both stores: sales (lines, payments, stock, points), a refund,
            // and points given at the other store (global changes s1 receives).
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 200, reason: .receive)
            var sold: [String] = []
            for i in 0..<12 {
                var request = OrderRequest(lines: [.line("TEA-01", Int64(1 + i % 3))], pay: i % 2 == 0 ? .cash : .card)
                if i % 3 == 0 { request.member = "M1" }
                sold.append(try s1.orders.create(request).id)
            }
            _ = try s1.orders.refund(order: sold[1], amount: nil, reason: "broken", restock: true)
            _ = try s2.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
            for _ in 0..<2 {
                var request = OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash)
                request.member = "M1"
                _ = try s2.orders.create(request)
            }
            for s in [s1, s2, s1] { _ = try await Self.sync(s) }
            trace.append("day synced \(try origins())")

            // The frontier: every store has promised, so it is above their changes.
            let frontier = try central.sync.frontier()
            let lastSale = try #require(try s1.read { try $0.ownChanges(after: 0, limit: 10_000) }.map(\.hlc).max())
            #expect(frontier.hlc >= lastSale.rawValue, "\(frontier)")
            let peers = try central.sync.peers()
            #expect(peers.allSatisfy { $0.role == "admin" || $0.stable_hlc > 0 }, "\(peers)")
            // Nothing is compacted within the retention, nor (own changes) before a backup holds them.
            let soon = try Self.later(s1, days: 31)
            let today = try s1.sync.compactLog()
            #expect(today.dropped == 0 && today.outbox_dropped == 0, "within 30 days: \(today)")
            // A store records no order events (central does, and delivers them); one left by an
            // older version is dropped with the log's retention.
            #expect(try s1.read { try $0.outbox(limit: 10_000) }.isEmpty, "a store's sales recorded order events")
            try s1.store.write { tx in try tx.enqueue(topic: "order.status", subject: sold[0], payload: "{}") }
            let own = try soon.sync.compactLog()
            #expect(own.outbox_dropped == 1, "\(own)")
            #expect(try s1.read { try $0.outbox(limit: 10_000) }.isEmpty)
            trace.append("compacted before a backup \(try origins())")
            #expect(own.own_limit_seq == 0, "central has no backup yet: \(own)")
            let backup = try central.store.backup(to: dir.sub("central-backup.sqlite"))
            #expect(backup.consistent)
            let s1Seq = try central.read { try $0.heldSeq(of: Fixture.node("s1")) }
            #expect(try central.sync.peers().first { $0.node == "s1" }?.durable_seq == s1Seq)
            _ = try await Self.sync(s1)
            #expect(try s1.read { try $0.meta(LogCompaction.Keys.durableSeq) } == String(s1Seq))
            trace.append("durable \(try origins())")

            // A month later: the settled records leave the log; state, hash and checks unchanged.
            let before = (hash: try Self.hash(s1), log: try s1.read { try $0.changeCount() })
            let stock = try s1.inventory.levels(sku: "TEA-01")
            let points = try s1.members.points(of: "M1")
            let refunded = try s1.orders.find(sold[1])
            let report = try soon.sync.compactLog()
            trace.append("compacted \(try origins())")
            #expect(report.dropped > 30, "\(report)")
            #expect(report.own_limit_seq == s1Seq - 1, "the highest own seq stays: \(report)")
            #expect(try s1.read { try $0.changeCount() } == before.log - report.dropped)
            #expect(try Self.hash(s1) == before.hash)
            #expect(try s1.inventory.levels(sku: "TEA-01") == stock)
            #expect(try s1.members.points(of: "M1") == points)
            #expect(try s1.read { try $0.consistencyProblems() } == [])
            #expect(try s1.orders.find(sold[1]) == refunded, "payments, lines and refunds read from their tables")
            #expect(refunded.refunded_cents > 0 && !refunded.payments.isEmpty && !refunded.lines.isEmpty)
            let left = try s1.read { try $0.changes() }
            let kept = Set(left.map(\.kind))
            #expect(
                kept.contains(.order) && kept.contains(.sku),
                "orders and registers keep their history: \(left.map { "\($0.stamp.changeID) \($0.kind)" }); held per origin at each step: \(trace)"
            )
            #expect(try s1.read { try $0.compactedSeqs()["s2"] } != nil, "s2's points entries left s1's log too")

            // Selling goes on: new seqs continue, push and pull converge with central.
            _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .cash))
            _ = try await Self.sync(s1)
            #expect(try Self.hash(s1) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try s1.read { try $0.heldSeq(of: Fixture.node("s1")) } > s1Seq)

            // A re-pull from the start (what `recover` does) applies nothing twice.
            let onHand = try s1.inventory.levels(sku: "TEA-01")
            try s1.store.setMeta(["pull_cursor": "0"])
            _ = try await Self.sync(s1)
            #expect(try s1.inventory.levels(sku: "TEA-01") == onHand)
            #expect(try s1.members.points(of: "M1") == (try central.members.points(of: "M1")))
            #expect(try Self.hash(s1) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try s1.read { try $0.consistencyProblems() } == [])

            // `recover` on the compacted store rebuilds it from central and re-pulls what left the log.
            let summary = try StoreRecovery(node: s1, link: try SyncRunner.link(of: s1)).run()
            let recovered = try FenxiaoNode.open(directory: dir.sub("s1"))
            #expect(try recovered.read { try $0.meta("pull_cursor") } == "0")
            _ = try await Self.sync(recovered)
            #expect(summary.reissued == 0)
            #expect(try Self.hash(recovered) == central.sync.status(scopeOf: "s1").state_hash)
            #expect(try recovered.inventory.levels(sku: "TEA-01") == onHand)
        }
    }

    @Test func aRetiredStoreStopsHoldingTheFrontierAndCLIShowsWhoDoes() async throws {
        try await withCentral("frontier-e2e") { central, dir in
            var tokens: [String: String] = [:]
            for n in ["s1", "s2"] { tokens[n] = try central.sync.enroll(node: n, warehouses: []) }
            let server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let s1 = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
            try s1.store.setMeta(["central_url": server.url, "token": tokens["s1"] ?? ""])
            _ = try await Self.sync(s1)
            // s2 was enrolled but never synced: it holds the frontier at nothing.
            var frontier = try central.sync.frontier()
            #expect(frontier.hlc == 0 && frontier.held_by == ["s2"], "\(frontier)")
            let status = try Self.cli(["status", "--data", dir.sub("central")])
            #expect(status.output.contains("held back by s2"), "\(status.output)")
            #expect(status.output.contains("enroll --retire"), "\(status.output)")
            let retired = try Self.cli(["enroll", "--retire", "s2", "--data", dir.sub("central")])
            #expect(retired.status == 0 && retired.output.contains("retired s2"), "\(retired.output)")
            frontier = try central.sync.frontier()
            #expect(frontier.hlc > 0 && !frontier.held_by.contains("s2"), "\(frontier)")
            #expect(try central.sync.peers().first { $0.node == "s2" }?.retired_at != nil)
            #expect(try central.sync.peers().first { $0.node == "s2" }?.revoked == true)
            let unknown = try Self.cli(["enroll", "--retire", "s9", "--data", dir.sub("central")])
            #expect(unknown.status != 0 && unknown.output.contains("no enrolled node named s9"), "\(unknown.output)")
            // The store hears the frontier at its next sync and moves its clock past it.
            _ = try await Self.sync(s1)
            #expect(try s1.sync.status().frontier?.hlc ?? 0 > 0)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 5, reason: .receive)
            let stamp = try #require(try s1.read { try $0.ownChanges(after: 0, limit: 100) }.last?.hlc)
            #expect(stamp.rawValue > frontier.hlc)
            // The store-side command and its bad input.
            let compact = try Self.cli(["compact", "--data", dir.sub("s1")])
            #expect(compact.status == 0 && compact.output.contains("dropped 0 change(s)"), "\(compact.output)")
            let bad = try Self.cli(["compact", "--keep-days", "0", "--data", dir.sub("s1")])
            #expect(bad.status != 0 && bad.output.contains("keep-days"), "\(bad.output)")
            let atCentral = try Self.cli(["compact", "--data", dir.sub("central")])
            #expect(atCentral.status != 0 && atCentral.output.contains("runs on a store"), "\(atCentral.output)")
        }
    }
}

/// A store drops its own changes only once central's latest backup holds them; a restore of
/// central from an older backup is caught at the store's next sync instead of losing them.
@Suite(.serialized) struct CompactionRestoreTests {
    /// Head office stops `server`, restores `backup` into `centralDir` with `fenxiao restore`
    /// and serves again; `store` syncs with the new server. (Release the in-process central first.)
    static func restore(
        _ backup: String, into centralDir: String, stopping server: ServerProcess, for store: FenxiaoNode
    )
        throws -> ServerProcess
    {
        server.stop()
        let restored = try FenxiaoBinary.run(["restore", "--from", backup, "--data", centralDir])
        #expect(restored.status == 0, "\(restored.stderr)")
        let next = try ServerProcess(data: centralDir)
        try store.store.setMeta(["central_url": next.url])
        return next
    }

    @Test func centralRestoredFromAnOlderBackupIsRefusedByAStoreThatCompacted() async throws {
        try await withTempDirectory("compact-restore") { dir in
            let centralDir = dir.sub("central")
            var central: FenxiaoNode? = try Fixtures.central(in: dir)
            let token = try #require(central).sync.enroll(node: "s1", warehouses: [])
            var server = try ServerProcess(data: centralDir)
            defer { server.stop() }
            let s1 = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
            try s1.store.setMeta(["central_url": server.url, "token": token])
            _ = try await LogCompactionEndToEndTests.sync(s1)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 50, reason: .receive)
            _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
            _ = try await LogCompactionEndToEndTests.sync(s1)
            let older = dir.sub("central-older.sqlite")
            #expect(try FenxiaoBinary.run(["backup", "--to", older, "--data", centralDir]).status == 0)
            for _ in 0..<5 { _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 2)], pay: .card)) }
            _ = try await LogCompactionEndToEndTests.sync(s1)
            #expect(
                try FenxiaoBinary.run(["backup", "--to", dir.sub("central-latest.sqlite"), "--data", centralDir]).status
                    == 0)
            _ = try await LogCompactionEndToEndTests.sync(s1)  // hears its durable seq
            let report = try LogCompactionEndToEndTests.later(s1, days: 31).sync.compactLog()
            #expect(report.dropped > 0 && report.own_limit_seq > 0, "\(report)")
            // Head office restores the OLDER backup.
            central = nil
            server = try Self.restore(older, into: centralDir, stopping: server, for: s1)
            let hashBefore = try s1.sync.status().state_hash
            do {
                _ = try await LogCompactionEndToEndTests.sync(s1)
                Issue.record("the store synced against a central that lost what it had dropped")
            } catch let error as NodeError {
                #expect(error.message.contains("restore central from its latest"), "\(error.message)")
            }
            #expect(try s1.sync.status().state_hash == hashBefore, "nothing pulled or changed at the store")
            #expect(central == nil)
        }
    }

    /// Head office's movements on a store's shelf (an online order reserved there, paid and
    /// shipped) leave the store's log only up to what central's latest backup holds of its own
    /// changes; the reservation then folds with its shipment. A central restored from an older
    /// backup than the store relied on is caught at the next sync, nothing pushed or pulled.
    @Test func centralsOwnChangesLeaveAStoreOnlyOnceABackupHoldsThem() async throws {
        try await withTempDirectory("compact-central") { dir in
            let centralDir = dir.sub("central")
            var central: FenxiaoNode? = try Fixtures.central(in: dir)
            let hq = try #require(central)
            let token = try hq.sync.enroll(node: "s1", warehouses: [])
            _ = try hq.orders.setAfterSaleDays(1)
            _ = try hq.inventory.move(sku: "TEA-01", quantity: 40, reason: .receive, warehouse: "s1")
            var server = try ServerProcess(data: centralDir)
            defer { server.stop() }
            let s1 = try FenxiaoNode.initialize(directory: dir.sub("s1"), node: "s1", role: .store)
            try s1.store.setMeta(["central_url": server.url, "token": token])
            // Two online orders on s1's shelf, paid and shipped by head office: central's
            // reservations and shipments, all in s1's scope.
            func shipOnlineOrder() throws {
                let order = try hq.orders.create(
                    OrderRequest(lines: [.line("TEA-01", 3)], channel: .online, warehouse: "s1"))
                _ = try hq.orders.transition(order: order.id, to: .paid, pay: .card)
                _ = try hq.orders.shipLines(
                    order: order.id, lines: [ShipmentLine(line: 1, quantity: 3)], carrier: "SF", tracking: "T1")
            }
            try shipOnlineOrder()
            _ = try await LogCompactionEndToEndTests.sync(s1)
            let older = dir.sub("central-older.sqlite")
            #expect(try FenxiaoBinary.run(["backup", "--to", older, "--data", centralDir]).status == 0)
            try shipOnlineOrder()
            _ = try await LogCompactionEndToEndTests.sync(s1)
            _ = try await LogCompactionEndToEndTests.sync(s1)  // the frontier passes the second order
            func centralMoves() throws -> (logged: Int, rows: Int, allocations: Int) {
                let moves = try s1.inventory.history(sku: "TEA-01")
                return (
                    try s1.read { try $0.changes() }.filter { $0.origin == .central && $0.kind == .stockMove }.count,
                    moves.filter { $0.origin == "central" }.count, moves.filter { $0.reason == "allocate" }.count
                )
            }
            #expect(try centralMoves() == (5, 5, 2), "a receipt, two reservations and two shipments")
            // The older backup holds the receipt and the first order, not the second: a month
            // later, both below the frontier, only the first may go, and its reservation folds
            // with its shipment.
            var report = try LogCompactionEndToEndTests.later(s1, days: 31).sync.compactLog()
            let first = try centralMoves()
            #expect(first == (2, 2, 1), "\(first) \(report)")
            #expect(report.moves_folded >= 3, "\(report)")
            _ = try hq.inventory.move(sku: "TEA-01", quantity: 1, reason: .receive, warehouse: "s1")
            #expect(
                try FenxiaoBinary.run(["backup", "--to", dir.sub("central-latest.sqlite"), "--data", centralDir]).status
                    == 0)
            _ = try await LogCompactionEndToEndTests.sync(s1)  // hears central's durable seq
            let hash = try LogCompactionEndToEndTests.hash(s1)
            let level = try s1.inventory.levels(sku: "TEA-01")
            // Folding runs once an hour of frontier; this test's hour passes at once.
            try s1.store.setMeta(["stock_folded_hlc": "0"])
            report = try LogCompactionEndToEndTests.later(s1, days: 31).sync.compactLog()
            let left = try centralMoves()
            #expect(left == (1, 1, 0), "\(left) \(report): only central's highest seq stays in the log")
            #expect(try LogCompactionEndToEndTests.hash(s1) == hash)
            #expect(try s1.inventory.levels(sku: "TEA-01") == level && level.first?.on_hand == 35)
            #expect(try s1.read { try $0.centralCompactedSeq() } > 0)
            #expect(try s1.read { try $0.consistencyProblems() } == [])
            // Head office restores the OLDER backup: it lacks central's changes s1 dropped.
            central = nil
            server = try Self.restore(older, into: centralDir, stopping: server, for: s1)
            do {
                _ = try await LogCompactionEndToEndTests.sync(s1)
                Issue.record("the store synced against a central that lost central's changes it had dropped")
            } catch let error as NodeError {
                #expect(error.message.contains("central's changes up to seq"), "\(error.message)")
                #expect(error.message.contains("restore central from its latest"), "\(error.message)")
            }
            #expect(try LogCompactionEndToEndTests.hash(s1) == hash, "nothing pulled or changed at the store")
            #expect(central == nil)
        }
    }
}
