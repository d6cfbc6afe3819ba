import Commerce
import FenxiaoTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Node
import Server
import Storage
import Testing

/// The one-click fixes of `/console/conflicts` on conflicts two stores really made offline
/// (their changes applied at central as a push would): refund the customer of an order whose
/// cancel lost, write off a member's stored-value debt, re-allocate a displaced reservation —
/// each takes the CLI's use case and resolves the conflict with a note, in the audit log.
@Suite struct ConsoleConflictFixTests {
    static func relay(_ from: FenxiaoNode, to: FenxiaoNode) throws {
        _ = try to.store.applyRemote(try from.read { try $0.ownChanges(after: 0, limit: 100_000) })
    }

    /// ConsoleShop's central acting as boss, with stores s1 and s2 (5 mugs each) and member A
    /// holding ¥50.00 of stored value.
    static func chain(_ dir: TempDirectory) throws -> (
        plain: FenxiaoNode, central: FenxiaoNode, s1: FenxiaoNode, s2: FenxiaoNode
    ) {
        let (plain, _) = try ConsoleShop.make(dir)
        let central = plain.acting(as: "boss")
        for store in ["s1", "s2"] { _ = try central.sync.enroll(node: store, warehouses: []) }
        _ = try central.members.ledger(member: "A", account: .wallet, delta: 5000, reason: "deposit")
        let s1 = try Fixtures.store("s1", in: dir, from: central).acting(as: "boss")
        let s2 = try Fixtures.store("s2", in: dir, from: central).acting(as: "boss")
        for store in [s1, s2] { _ = try store.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive) }
        return (plain, central, s1, s2)
    }

    /// Boss signed in to `plain`'s console; the page of open conflicts and its CSRF token.
    func withConsole(
        _ plain: FenxiaoNode, _ body: @Sendable (ConsoleBrowser, String, String) async throws -> Void
    ) async throws {
        try await consoleApp(plain).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            let list = try await browser.get("/console/conflicts")
            try await body(browser, list.body, try #require(ConsoleBrowser.hidden("csrf", in: list.body)))
        }
    }

    @Test func refundingTheCustomerOfAnOrderWhoseCancelLostRefundsRestocksAndResolves() async throws {
        let dir = TempDirectory("console-fix-cancel")
        defer { dir.remove() }
        let (plain, _) = try ConsoleShop.make(dir)
        let central = plain.acting(as: "boss")
        _ = try central.sync.enroll(node: "s1", warehouses: [])
        let s1 = try Fixtures.store("s1", in: dir, from: central).acting(as: "boss")
        _ = try s1.inventory.move(sku: "MUG-01", quantity: 5, reason: .receive)
        let order = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "B", channel: .online))
        try Self.relay(s1, to: central)
        _ = try central.orders.transition(order: order.id, to: .cancelled)  // head office cancels…
        _ = try s1.orders.transition(order: order.id, to: .paid, pay: .cash)  // …while the store takes payment
        try Self.relay(s1, to: central)
        let conflict = try #require(try central.sync.conflicts(status: .open).first { $0.rule == "fact_beats_cancel" })
        #expect(try central.orders.find(order.id).status == "paid")
        try await consoleApp(plain).test(.router) { client in
            var browser = ConsoleBrowser(client: client)
            #expect(try await browser.logIn("boss", "boss-pass-1").status == .seeOther)
            let list = try await browser.get("/console/conflicts")
            #expect(list.body.contains(#"<button type="submit" name="fix" value="refund">退款给顾客并关闭</button>"#))
            #expect(!list.body.contains(#"value="write_off""#) && !list.body.contains(#"value="reallocate""#))
            // The order's story lists the conflict.
            let story = try await browser.get("/console/orders/\(order.id)")
            #expect(story.body.contains("fact_beats_cancel"))
            let csrf = try #require(ConsoleBrowser.hidden("csrf", in: list.body))
            // Missing CSRF: nothing happens.
            let forged = try await browser.post(
                "/console/conflicts/fix", [("id", conflict.id), ("fix", "refund"), ("back", "status=open")])
            #expect(forged.status == .forbidden)
            #expect(try central.orders.find(order.id).refunded_cents == 0)
            // A fix this kind does not offer is refused.
            let wrong = try await browser.post(
                "/console/conflicts/fix", [("csrf", csrf), ("id", conflict.id), ("fix", "write_off")])
            #expect(wrong.status == .badRequest && wrong.body.contains("fix"))
            let fixed = try await browser.post(
                "/console/conflicts/fix",
                [("csrf", csrf), ("id", conflict.id), ("fix", "refund"), ("note", "顾客坚持取消"), ("back", "status=open")])
            #expect(fixed.status == .seeOther)
            let after = try central.orders.find(order.id)
            #expect(after.refunded_cents == after.paid_cents && after.paid_cents == 4500)
            let mug = try #require(try central.inventory.levels(sku: "MUG-01").first { $0.warehouse == "s1" })
            #expect(mug.reserved == 0 && mug.on_hand == 5, "the reservation is released: \(mug)")
            let resolved = try #require(try central.sync.conflicts().first { $0.id == conflict.id })
            #expect(resolved.status == "resolved")
            #expect(resolved.note == "refunded ¥45.00 of order \(order.id) and restocked its goods — 顾客坚持取消")
            let audit = try central.access.auditLog(user: "boss")
            #expect(audit.contains { $0.action == "conflict.refund" && $0.subject == conflict.id })
            #expect(audit.contains { $0.action == "order.refund" && $0.subject == order.id })
            // Once resolved, a second click changes nothing.
            let again = try await browser.post(
                "/console/conflicts/fix", [("csrf", csrf), ("id", conflict.id), ("fix", "refund")])
            #expect(again.status == .conflict)
            #expect(try central.orders.find(order.id).refunds.count == 1)
        }
    }

    @Test func writingOffAMembersDebtCreditsItBackAndResolves() async throws {
        let dir = TempDirectory("console-fix-debt")
        defer { dir.remove() }
        let (plain, central, s1, s2) = try Self.chain(dir)
        // Member A's ¥50.00 pays a ¥45.00 mug at s1 and at s2, both offline.
        for store in [s1, s2] {
            _ = try store.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], member: "A", pay: .stored))
            try Self.relay(store, to: central)
        }
        let conflict = try #require(try central.sync.conflicts(status: .open).first { $0.rule == "overdraft" })
        #expect(try central.members.find("A").wallet_cents == -4000)
        try await withConsole(plain) { browser, page, csrf in
            #expect(page.contains(#"<button type="submit" name="fix" value="write_off">核销并关闭</button>"#))
            let fixed = try await browser.post(
                "/console/conflicts/fix", [("csrf", csrf), ("id", conflict.id), ("fix", "write_off")])
            #expect(fixed.status == .seeOther)
            #expect(try central.members.find("A").wallet_cents == 0)
            let resolved = try #require(try central.sync.conflicts().first { $0.id == conflict.id })
            #expect(resolved.status == "resolved" && resolved.note == "wrote off member A's debt of ¥40.00")
            #expect(
                try central.access.auditLog(user: "boss").contains {
                    $0.action == "conflict.write_off" && $0.subject == conflict.id
                })
        }
    }

    @Test func reallocatingADisplacedReservationMovesItToAnotherWarehouseAndResolves() async throws {
        let dir = TempDirectory("console-fix-displaced")
        defer { dir.remove() }
        let (plain, central, s1, _) = try Self.chain(dir)
        try Self.relay(s1, to: central)
        // Head office reserves s1's 5 mugs for an online order while s1 sells them at the counter.
        let online = try central.orders.create(
            OrderRequest(lines: [.line("MUG-01", 5)], member: "B", channel: .online, warehouse: "s1"))
        _ = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 5)], pay: .cash))
        try Self.relay(s1, to: central)
        let conflict = try #require(
            try central.sync.conflicts(status: .open).first { $0.rule == "allocation_displaced" })
        let before = try #require(try central.inventory.levels(sku: "MUG-01").first { $0.warehouse == "central" })
        try await withConsole(plain) { browser, page, csrf in
            #expect(page.contains(#"name="fix" value="reallocate""#))
            let fixed = try await browser.post(
                "/console/conflicts/fix", [("csrf", csrf), ("id", conflict.id), ("fix", "reallocate")])
            #expect(fixed.status == .seeOther)
            let resolved = try #require(try central.sync.conflicts().first { $0.id == conflict.id })
            #expect(resolved.status == "resolved" && resolved.note == "re-allocated 5 × MUG-01 to central")
            let after = try #require(try central.inventory.levels(sku: "MUG-01").first { $0.warehouse == "central" })
            #expect(after.reserved == before.reserved + 5)
            #expect(try central.orders.find(online.id).status == "pending")
        }
    }
}
