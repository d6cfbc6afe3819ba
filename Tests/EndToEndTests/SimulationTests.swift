import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import SyncClient
import Testing

/// The fault campaign's simulation: one central (a real `fenxiao serve` process, killed with
/// -9 and restarted at random) and three stores with skewed clocks (a day ahead, a day behind,
/// one jumping backwards) run random operations while syncing through a fault-injecting proxy.
/// A fourth store, half a day ahead, is a child process (`fenxiao debug sell-stream
/// --sync-every`) that sells and syncs through its own fault proxy on its own; it is killed
/// with -9 at random steps and restarted. After faults stop and a final sync, every state hash
/// is equal, every order the child printed before a kill is at central, and an oracle — the
/// union of every change any node committed, replayed in a fixed order into a fresh node —
/// gives central's state: nothing lost, nothing duplicated.
///
/// CI runs seeds 1–5. `FENXIAO_SIM_SEEDS=100 swift test --filter SimulationTests` runs more;
/// `FENXIAO_SIM_SEED=N` replays one (the in-process stores' operations, and their proxy's
/// faults as far as timing allows; the child store runs in real time, so what it has done
/// when it is killed varies).
@Suite(.serialized) struct SimulationTests {
    static var seeds: [UInt64] {
        let env = ProcessInfo.processInfo.environment
        if let one = env["FENXIAO_SIM_SEED"].flatMap(UInt64.init) { return [one] }
        let n = env["FENXIAO_SIM_SEEDS"].flatMap(UInt64.init) ?? 5
        return Array(1...max(1, n))
    }

    /// A wall clock that tests can skew and turn back.
    final class Clock: @unchecked Sendable {
        // @unchecked: `offset` is guarded by `lock`.
        let lock = NSLock()
        var offset: Int64
        init(offset: Int64) { self.offset = offset }
        func now() -> Int64 { lock.withLock { Int64(Date().timeIntervalSince1970 * 1000) + offset } }
        func jump(_ delta: Int64) { lock.withLock { offset += delta } }
    }

    /// Every seed on SQLite; the first two again with central on PostgreSQL.
    static var runs: [(UInt64, CentralBackend)] {
        seeds.map { ($0, .sqlite) } + seeds.prefix(2).map { ($0, .postgres) }
    }

    @Test(arguments: SimulationTests.runs)
    func randomDayConvergesUnderFaults(seed: UInt64, backend: CentralBackend) async throws {
        let replay = "replay with: FENXIAO_SIM_SEED=\(seed) swift test --filter SimulationTests (\(backend))"
        var rng = SeededRandom(seed: seed)
        try await withCentral("sim\(seed)", backend: backend) { central, dir in
            _ = try central.marketing.defineCoupon(
                code: "C1", amount: Money(cents: 500), minSpend: nil, singleUse: true)
            _ = try central.members.upsert(id: "M1", name: "Li", phone: "13800000001")
            _ = try central.members.ledger(member: "M1", account: .points, delta: 300, reason: "welcome")
            // Holders-only coupon for points, one rewarded share a day: claims the stores race for.
            _ = try central.marketing.define(Coupon(code: "VIP", amountCents: 200), holdersOnly: true)
            _ = try central.members.setPointsCatalogItem("coupon:VIP", points: 50)
            _ = try central.members.setPointsSettings(
                capPercent: nil, expiryDays: nil, sharePoints: 5, shareDailyLimit: 1)
            let names = ["s1", "s2", "s3"]
            let childName = "s4"
            var tokens: [String: String] = [:]
            for n in names + [childName] { tokens[n] = try central.sync.enroll(node: n, warehouses: []) }
            // A fifth store is in hostile hands: between steps it pushes forged changes straight to
            // central (its own random stream, so the honest stores' operations are unchanged).
            let hostile = "s5"
            tokens[hostile] = try central.sync.enroll(node: hostile, warehouses: [])
            var evil = SeededRandom(seed: seed ^ 0xBAD5_70DE)
            // the members it targets
            for m in ["M2", "M3"] { _ = try central.members.upsert(id: m, name: "member \(m)", phone: nil) }
            var forgedRefused = 0
            var server = try ServerProcess(data: dir.sub("central"))
            defer { server.stop() }
            let proxy = FaultProxy(upstream: server.url, seed: seed, faultPercent: 25)
            let (proxyTask, proxyPort) = try await proxy.start()
            defer { proxyTask.cancel() }
            // The child store has its own proxy, so its real-time traffic does not shift the
            // seeded fault sequence of the in-process stores.
            let childProxy = FaultProxy(upstream: server.url, seed: seed &+ 0x5EED, faultPercent: 25)
            let (childProxyTask, childProxyPort) = try await childProxy.start()
            defer { childProxyTask.cancel() }
            let day: Int64 = 86_400_000
            let clocks = [Clock(offset: 0), Clock(offset: day), Clock(offset: -day)]
            var stores: [FenxiaoNode] = []
            for (i, n) in names.enumerated() {
                let clock = clocks[i]
                let store = try NodeStore.create(
                    directory: dir.sub(n), identity: NodeIdentity(node: try #require(NodeID(n)), role: .store),
                    wallClock: { clock.now() })
                try store.setMeta(["central_url": "http://127.0.0.1:\(proxyPort)", "token": tokens[n] ?? ""])
                stores.append(FenxiaoNode(store: store))
            }
            var lastError = ""
            /// While faults are on, a short timeout (a hang must time out); without faults, patience
            /// (the machine may be busy with other tests).
            func sync(_ node: FenxiaoNode) async -> Bool {
                let calm = !proxy.enabled
                do {
                    let runner = try SyncRunner(
                        node: node, link: try SyncRunner.link(of: node),
                        configuration: .init(
                            batchSize: 50, maxAttempts: calm ? 8 : 4, baseDelayMillis: 5,
                            maxDelayMillis: calm ? 500 : 40),
                        timeoutMillis: calm ? 15_000 : 2000)
                    _ = try await runner.run()
                    return true
                } catch {
                    lastError = "\(node.identity.node): \(error)"
                    return false
                }
            }
            proxy.enabled = false
            childProxy.enabled = false
            for s in stores {
                let ok = await sync(s)
                #expect(ok, "initial sync failed: \(lastError); \(replay)")
                _ = try s.inventory.move(sku: "TEA-01", quantity: 20, reason: .receive)
                _ = try s.inventory.move(sku: "BUN-01", quantity: 20, reason: .receive)
            }
            let childClock = Clock(offset: day / 2)
            do {  // the child's store is set up here, then only the child opens it until it is dead
                let store = try NodeStore.create(
                    directory: dir.sub(childName),
                    identity: NodeIdentity(node: try #require(NodeID(childName)), role: .store),
                    wallClock: { childClock.now() })
                try store.setMeta([
                    "central_url": "http://127.0.0.1:\(childProxyPort)", "token": tokens[childName] ?? "",
                ])
                let node = FenxiaoNode(store: store)
                let ok = await sync(node)
                #expect(ok, "initial sync of the child's store failed: \(lastError); \(replay)")
                _ = try node.inventory.move(sku: "BUN-01", quantity: 1_000_000, reason: .receive)
            }
            var lives = 0
            let syncEvery = 4
            func spawnChild() throws -> StoreProcess {
                lives += 1
                return try StoreProcess(
                    data: dir.sub(childName), sku: "BUN-01", syncEvery: syncEvery, pauseMillis: 25,
                    environment: ["FENXIAO_CLOCK_SKEW_MS": String(day / 2)],
                    output: dir.sub("\(childName)-life\(lives).out"))
            }
            proxy.enabled = true
            childProxy.enabled = true
            var child = try spawnChild()
            defer { child.kill() }
            var childOrders: [String] = []  // ids printed by children now dead
            var childSyncs = (ok: 0, failed: 0)
            var storeKills = 0
            var killsInSync = 0
            /// Kills the child with -9 once it has printed `orders` order ids (bounded wait; 0: at
            /// once, maybe before it has opened its store), recording what it printed; unless
            /// `restart` is false, starts a new one on the same directory.
            func killChild(after orders: Int, restart: Bool) throws {
                _ = child.waitForOrders(orders, timeout: 20)
                if child.kill() {
                    storeKills += 1
                    let lines = child.lines
                    // Its last line an order id that a sync follows: killed during that sync.
                    let sold = lines.filter { !$0.hasPrefix("#") }.count
                    if let last = lines.last, !last.hasPrefix("#"), sold % syncEvery == 0 { killsInSync += 1 }
                } else {
                    Issue.record("the store child stopped on its own: \(child.errorOutput); \(replay)")
                }
                childOrders += child.orderIDs
                let s = child.syncs
                childSyncs = (childSyncs.ok + s.ok, childSyncs.failed + s.failed)
                if restart { child = try spawnChild() }
            }
            let forcedKill = 5 + rng.below(60)  // at least one kill per seed, in the middle of the stream
            var kills = 0
            for step in 0..<70 {
                let i = rng.below(stores.count)
                let s = stores[i]
                let sku = rng.chance(50) ? "TEA-01" : "BUN-01"
                switch rng.below(12) {
                case 0, 1, 2:
                    _ = try? s.orders.create(
                        OrderRequest(
                            lines: [.line(sku, Int64(1 + rng.below(2)))], member: rng.chance(40) ? "M1" : nil,
                            coupon: rng.chance(10) ? "C1" : nil, pay: .cash))
                case 3:
                    if let o = try s.orders.list(limit: 20).filter({ $0.refunded_cents < $0.paid_cents }).randomElement(
                        using: &rng)
                    {
                        _ = try? s.orders.refund(order: o.id, amount: Money(cents: 100), reason: "sim", restock: false)
                    }
                case 4:
                    _ = try? s.inventory.transfer(sku: sku, quantity: 1, from: nil, to: names[(i + 1) % names.count])
                    for t in try s.inventory.transfers(status: .inTransit) where t.to == names[i] {
                        _ = try? s.inventory.receiveTransfer(
                            id: t.id, quantity: rng.chance(20) ? max(0, t.qty - 1) : nil)
                    }
                case 5:
                    _ = try? s.inventory.move(sku: sku, quantity: Int64(5 + rng.below(10)), reason: .count)
                case 6:
                    switch rng.below(4) {
                    case 0:
                        // Points redeemed on an order (a store spends points only as a payment).
                        var redeem = OrderRequest(lines: [.line(sku, 1)], member: "M1", pay: .cash)
                        redeem.points = 40
                        _ = try? s.orders.create(redeem)
                    case 1: _ = try? s.members.share(member: "M1", what: sku)
                    case 2: _ = try? s.members.exchangePoints(member: "M1", item: "coupon:VIP")
                    default:
                        _ = try? s.orders.create(
                            OrderRequest(lines: [.line(sku, 2)], member: "M1", coupon: "VIP", pay: .cash))
                    }
                case 7:
                    _ = try? central.catalog.setPrice(
                        sku: sku, price: Money(cents: Int64(10 + rng.below(5)) * 100 + 50))
                case 8:
                    if let o = try central.orders.list(limit: 30).randomElement(using: &rng) {
                        _ = try? central.orders.refund(
                            order: o.id, amount: Money(cents: 100), reason: "hq", restock: false)
                    }
                case 9:
                    if rng.chance(40) {
                        server.kill()
                        kills += 1
                        server = try ServerProcess(data: dir.sub("central"))
                        proxy.upstream = server.url
                        childProxy.upstream = server.url
                    } else {
                        clocks[i].jump(-3_600_000)  // the store's clock jumps an hour back
                    }
                default:
                    _ = await sync(s)
                }
                if rng.chance(30) { _ = await sync(stores[rng.below(stores.count)]) }
                if evil.chance(25) {
                    let foreign = try central.orders.list(limit: 5).first?.id ?? "O-none"
                    let probes = HostileStoreTests.probes(own: "O-none", foreign: foreign, by: hostile).filter {
                        !$0.accepted && !$0.afterPull
                    }
                    let probe = probes[evil.below(probes.count)]
                    let http = try CurlHTTPClient(connectTimeoutMillis: 2000, totalTimeoutMillis: 10_000)
                    var headers = [
                        SyncWire.protocolHeader: String(SyncWire.protocolVersion),
                        SyncWire.schemaHeader: String(NodeSchema.version),
                    ]
                    headers["Authorization"] = "Bearer \(tokens[hostile] ?? "")"
                    let answer = try http.request(
                        method: "POST", url: server.url + "/v1/sync/push", headers: headers,
                        body: Array(
                            SyncWire.PushRequest.encode([try HostileStoreTests.forged(probe, seq: 1, by: hostile)]).utf8
                        ))
                    #expect((400..<500).contains(answer.status), "forged \(probe.what) got \(answer.status); \(replay)")
                    forgedRefused += 1
                }
                if step == forcedKill {
                    try killChild(after: syncEvery, restart: true)  // most likely in its first sync
                } else if rng.chance(3) {
                    try killChild(after: rng.below(2 * syncEvery + 1), restart: true)
                }
            }
            // The last child is killed too; then its store is opened here, as the others are.
            try killChild(after: rng.below(2 * syncEvery + 1), restart: false)
            let childStore = FenxiaoNode(
                store: try NodeStore.open(directory: dir.sub(childName), wallClock: { childClock.now() }))
            #expect(
                try childStore.read { try $0.consistencyProblems() } == [],
                "\(childName) inconsistent after kills; \(replay)")
            try childStore.store.quickCheck()
            stores.append(childStore)
            // Faults stop; everyone catches up (two rounds so every store sees the others).
            proxy.enabled = false
            childProxy.enabled = false
            for _ in 0..<2 {
                for s in stores {
                    let ok = await sync(s)
                    #expect(ok, "final sync failed: \(lastError); \(replay)")
                }
            }
            try central.store.catchUpShared()  // on PostgreSQL: what the server process appended
            for s in stores {
                let mine = try s.sync.status().state_hash
                let theirs = try central.sync.status(scopeOf: s.identity.node.rawValue).state_hash
                #expect(mine == theirs, "\(s.identity.node) diverged from central; \(replay)")
                #expect(
                    try central.store.heldSeq(of: s.identity.node) == s.read { try $0.heldSeq(of: s.identity.node) },
                    "lost changes; \(replay)")
            }
            #expect(
                try central.store.heldSeq(of: try #require(NodeID(hostile))) == 0,
                "a forged change was applied; \(replay)")
            // The oracle: every change any node committed, replayed in a fixed order.
            var union: [ChangeRecord] = []
            for node in [central] + stores {
                union += try node.read { try $0.changes(of: node.identity.node, after: 0, limit: 1_000_000) }
            }
            union.sort { ($0.origin, $0.seq) < ($1.origin, $1.seq) }
            let oracle = try NodeStore.create(
                directory: dir.sub("oracle"), identity: NodeIdentity(node: .central, role: .central))
            _ = try oracle.applyRemote(union)
            #expect(
                try oracle.read { try $0.stateHash() } == central.sync.status().state_hash, "oracle differs; \(replay)")
            #expect(
                try oracle.read { try $0.changeCount() } == central.read { try $0.changeCount() },
                "duplicated or lost; \(replay)")
            // Every order the child printed (committed) before a kill reached central.
            let atCentral = Set(try central.read { try $0.orderIDs(limit: 1_000_000) })
            let missing = childOrders.filter { !atCentral.contains($0) }
            #expect(
                missing.isEmpty,
                "\(missing.count) acknowledged orders of the killed store lost, e.g. \(missing.prefix(3)); \(replay)")
            #expect(Set(childOrders).count == childOrders.count, "an order id was printed twice; \(replay)")
            #expect(!childOrders.isEmpty, "the store child sold nothing; \(replay)")
            // The run really exercised faults and work (not a vacuous pass).
            let counts = proxy.counts.merging(childProxy.counts, uniquingKeysWith: +)
            let faults = counts.filter { $0.key != .none }.values.reduce(0, +)
            #expect(faults > 0, "no fault was injected; \(replay)")
            #expect(
                try central.read { try $0.orderIDs(limit: 10_000).count } >= 5,
                "too few orders reached central; \(replay)")
            #expect(storeKills > 0, "the store child was never killed mid-stream; \(replay)")
            let tally = counts.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: " ")
            let claimConflicts = try central.sync.conflicts().filter {
                $0.rule == "duplicate_claim" || $0.rule == "overdraft"
            }
            .map { $0.subject.split(separator: ":").first.map(String.init) ?? "" }
            let claimTally = Dictionary(claimConflicts.map { ($0, 1) }, uniquingKeysWith: +).map {
                "\($0.key)=\($0.value)"
            }.sorted()
                .joined(separator: " ")
            print(
                "simulation seed \(seed) (\(backend)): \(faults) faults injected \(tally), central killed \(kills)×, store child killed \(storeKills)× (\(killsInSync) in a sync, "
                    + "\(childOrders.count) orders printed, syncs ok \(childSyncs.ok) failed \(childSyncs.failed)), \(union.count) changes, "
                    + "\(forgedRefused) forged pushes by \(hostile) refused, "
                    + "claim and overdraft conflicts [\(claimTally)], converged")
        }
    }
}
