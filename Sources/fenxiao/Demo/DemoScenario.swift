import Commerce
import Foundation
import Logging
import Node
import Replication
import Server
import Storage
import SyncClient

/// The README's first command: a central node and three stores on 127.0.0.1, a day of offline
/// selling with real conflicts, a sync, and proof that everyone converged.
struct DemoScenario {
    struct StoreHash: Encodable {
        let store: String
        let store_hash: String
        let central_hash: String
        let equal: Bool
    }

    struct Result: Encodable {
        let converged: Bool
        let hashes: [StoreHash]
        let conflicts: [ConflictView]
        let sales: [SalesRow]
        let commissions: [CommissionReportRow]
        let directory: String
    }

    let root: String
    let say: (String) -> Void

    func run() async throws -> Result {
        let central = try FenxiaoNode.initialize(directory: root + "/central", node: "central", role: .central)
        say(
            "① Head office publishes the catalog, a 满100减10 promotion, a single-use coupon and a 10 % / 5 % commission rule;"
        )
        say("   李娜 Li Na becomes a distributor (referral code RC-M2).")
        try central.catalog.upsert([
            CatalogItem(
                sku: "TEA-01", name: "西湖龙井 Longjing tea 250g", price: Money(cents: 8800), category: "Drinks/Tea"),
            CatalogItem(sku: "TEA-02", name: "铁观音 Tieguanyin 250g", price: Money(cents: 6600), category: "Drinks/Tea"),
            CatalogItem(sku: "CUP-01", name: "Celadon cup", price: Money(cents: 2550), category: "Homeware/Cups"),
            CatalogItem(sku: "SNK-01", name: "Mooncake box", price: Money(cents: 12800), category: "Food/Snacks"),
            CatalogItem(sku: "SNK-02", name: "Sesame candy", price: Money(cents: 990), category: "Food/Snacks"),
        ])
        _ = try central.marketing.addSpendSavePromotion(
            id: "MJ100", name: "满100减10",
            tiers: [.init(thresholdCents: 10_000, saveCents: 1_000), .init(thresholdCents: 20_000, saveCents: 2_500)])
        _ = try central.marketing.defineCoupon(
            code: "VIP20", amount: Money(cents: 2_000), minSpend: Money(cents: 5_000), singleUse: true)
        _ = try central.inventory.move(sku: "TEA-01", quantity: 20, reason: .receive, note: "supplier Hangzhou Tea Co.")
        _ = try central.members.upsert(id: "M1", name: "王芳 Wang Fang", phone: "13800000001")
        _ = try central.members.ledger(member: "M1", account: .points, delta: 100, reason: "welcome bonus")
        _ = try central.distribution.defineCommissionRule(
            id: "R1", levels: [10, 5], effectiveFrom: 0, windowDays: 7, selfPurchase: false, overrides: [:])
        _ = try central.members.upsert(id: "M2", name: "李娜 Li Na", phone: "13800000002")
        _ = try central.distribution.apply(
            member: "M2", channels: "WeChat official account", experience: nil, inviterCode: nil)
        _ = try central.distribution.review(id: "M2", approve: true, reason: nil, group: nil)

        var tokens: [String: String] = [:]
        for s in ["s1", "s2", "s3"] { tokens[s] = try central.sync.enroll(node: s, warehouses: []) }

        let server = FenxiaoServer(node: central)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let serverTask = Task {
            try await server.run(
                host: "127.0.0.1", port: 0, logger: Logger(label: "demo") { _ in SwiftLogNoOpLogHandler() }
            ) { portContinuation.yield($0) }
        }
        defer { serverTask.cancel() }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw NodeError(.storage, "the demo server did not start") }
        let url = "http://127.0.0.1:\(port)"
        say("② Central listens on \(url); stores s1, s2, s3 enroll and join.")

        var stores: [String: FenxiaoNode] = [:]
        for s in ["s1", "s2", "s3"] {
            let node = try FenxiaoNode.initialize(directory: root + "/" + s, node: s, role: .store)
            try node.store.setMeta(["central_url": url, "token": tokens[s] ?? ""])
            stores[s] = node
            _ = try await sync(node)
        }
        guard let s1 = stores["s1"], let s2 = stores["s2"], let s3 = stores["s3"] else {
            throw NodeError(.storage, "demo setup failed")
        }
        for (node, qty) in [(s1, 3), (s2, 10), (s3, 10)] {
            for sku in ["TEA-01", "TEA-02", "CUP-01", "SNK-01", "SNK-02"] {
                _ = try node.inventory.move(
                    sku: sku, quantity: Int64(sku == "TEA-01" ? qty : 30), reason: .receive, note: "morning delivery")
            }
        }
        _ = try s1.orders.create(
            OrderRequest(lines: [.line("TEA-01", 2), .line("CUP-01", 2)], member: "M1", pay: .card))
        let pending = try s2.orders.create(OrderRequest(lines: [.line("SNK-01", 1)], member: "M1", channel: .online))
        let sold = try s3.orders.create(OrderRequest(lines: [.line("TEA-02", 2), .line("SNK-02", 3)], pay: .qrpay))
        for node in [s1, s2, s3] { _ = try await sync(node) }

        say("③ The link goes down. Everyone keeps working offline:")
        say("   s1 sells its last Longjing at the counter; head office sells the same unit online, reserved at s1.")
        _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
        _ = try central.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], channel: .online, warehouse: "s1"))
        say("   s2's customer pays order \(pending.id) while head office cancels it.")
        _ = try s2.orders.transition(order: pending.id, to: .paid, pay: .wallet)
        _ = try central.orders.transition(order: pending.id, to: .cancelled)
        say("   Coupon VIP20 is used at s1 and again at s3.")
        _ = try s1.orders.create(OrderRequest(lines: [.line("SNK-01", 1)], coupon: "VIP20", pay: .cash))
        _ = try s3.orders.create(OrderRequest(lines: [.line("TEA-02", 1)], coupon: "VIP20", pay: .card))
        let points = try s2.members.find("M1").points
        say("   Wang Fang redeems 250 of her \(points) points at s2 and again at s3; her phone is edited at s1 and s3.")
        var redeem = OrderRequest(lines: [.line("CUP-01", 1)], member: "M1", pay: .cash)
        redeem.points = 250
        _ = try s2.orders.create(redeem)
        _ = try s3.orders.create(redeem)
        _ = try s1.members.upsert(id: "M1", name: nil, phone: "13900000011")
        _ = try s3.members.upsert(id: "M1", name: nil, phone: "13700000033")
        say("   A new member signs up at s2 and buys two mooncake boxes through Li Na's WeChat link.")
        _ = try s2.members.upsert(id: "M3", name: "赵敏 Zhao Min", phone: "13800000003")
        var viaLink = OrderRequest(lines: [.line("SNK-01", 2)], member: "M3", pay: .card)
        viaLink.via = "RC-M2"
        _ = try s2.orders.create(viaLink)
        say("   s3 refunds order \(sold.id) at the counter; head office refunds it too (customer service).")
        _ = try s3.orders.refund(order: sold.id, amount: nil, reason: "damaged box", restock: false)
        _ = try central.orders.refund(order: sold.id, amount: nil, reason: "complaint by phone", restock: false)

        say("④ The link is back: every store syncs (push, then pull), twice so everyone sees everything.")
        for _ in 0..<2 {
            for s in ["s1", "s2", "s3"] {
                guard let node = stores[s] else { continue }
                let summary = try await sync(node)
                say(
                    "   \(s): pushed \(summary.pushed), pulled \(summary.pulled), new conflicts \(summary.conflicts_new)"
                )
            }
        }
        var hashes: [StoreHash] = []
        for s in ["s1", "s2", "s3"] {
            guard let node = stores[s] else { continue }
            let mine = try node.sync.status().state_hash
            let theirs = try central.sync.status(scopeOf: s).state_hash
            hashes.append(StoreHash(store: s, store_hash: mine, central_hash: theirs, equal: mine == theirs))
        }
        return Result(
            converged: hashes.allSatisfy(\.equal), hashes: hashes, conflicts: try central.sync.conflicts(),
            sales: try central.reports.sales(by: .all),
            commissions: try central.distribution.commissionReport(by: .distributor),
            directory: root)
    }

    func sync(_ node: FenxiaoNode) async throws -> SyncSession.Summary {
        let runner = try SyncRunner(node: node, link: try SyncRunner.link(of: node))
        return try await runner.run()
    }
}
