import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// The after-sale period (`OrderClosing`): an order sold while head office set one closes that
/// many days later — no refund, payment or status change is accepted after it, locally or
/// pushed — and once the frontier central announced lies past its closing time, a store drops
/// it with its lines, payments, refunds and log changes while its state hash stays central's
/// view of the store.
@Suite struct ClosedOrderTests {
    typealias Paths = OrderRefundPathTests
    static let day: Int64 = 86_400_000

    /// The same node's file read with a wall clock `days` ahead.
    static func later(_ node: FenxiaoNode, days: Int64) throws -> FenxiaoNode {
        FenxiaoNode(
            store: try NodeStore.open(
                directory: node.store.directory, wallClock: { NodeStore.systemWallClock() + days * day }))
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as NodeError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func closedOrdersRefuseChangesThenLeaveTheStoreWithItsHashUnchanged() throws {
        try withTempDirectory("closed-orders") { dir in
            let (central, s1) = try Paths.chain(dir, points: 500)
            // Sold before head office set a period: this one never closes.
            let open = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash)).id
            #expect(
                Self.message { _ = try s1.orders.setAfterSaleDays(2) }?.contains("central") == true,
                "a store cannot set the period")
            #expect(Self.message { _ = try central.orders.setAfterSaleDays(0) }?.contains("close_days") == true)
            #expect(try central.orders.setAfterSaleDays(2) == 2)
            try Paths.relay(central, to: s1)
            #expect(try s1.orders.afterSaleDays() == 2)
            var sold: [String] = []
            for i in 0..<8 {
                var request = OrderRequest(
                    lines: [.line(i % 2 == 0 ? "TEA-01" : "BUN-01", 1 + Int64(i % 3))], pay: .cash)
                if i % 3 == 0 { request.member = "M1" }
                sold.append(try s1.orders.create(request).id)
            }
            _ = try s1.orders.refund(order: sold[3], amount: nil, reason: "broken", restock: true)
            try Paths.relay(s1, to: central)
            let s1ID = try #require(NodeID("s1"))
            #expect(try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: s1ID) })

            // Forty days on: the store, head office and a forged push all meet the closed order.
            let s1Later = try Self.later(s1, days: 40)
            let centralLater = try Self.later(central, days: 40)
            let seq = try s1.read { try $0.heldSeq(of: s1ID) }
            let refused = Self.message {
                _ = try s1Later.orders.refund(order: sold[0], amount: nil, reason: nil, restock: false)
            }
            #expect(
                refused?.contains("closed on") == true && refused?.contains("2-day after-sale") == true,
                "\(refused ?? "")")
            #expect(try s1.read { try $0.heldSeq(of: s1ID) } == seq, "nothing written")
            // The till and the CLI in Chinese say it too.
            let refusal = try #require(refused)
            let chinese = CounterErrorCatalog.chinese(refusal)
            #expect(chinese?.contains("售后期") == true, "\(refusal)")
            let atCentral = Self.message {
                _ = try centralLater.orders.refund(order: sold[1], amount: nil, reason: nil, restock: false)
            }
            #expect(atCentral?.contains("closed on") == true, "\(atCentral ?? "")")
            // The order sold before the setting still takes a refund.
            _ = try s1Later.orders.refund(order: open, amount: nil, reason: nil, restock: true)
            try Paths.relay(s1, to: central)
            let paidBefore = try central.orders.find(sold[2]).paid_cents
            let forged = try s1Later.store.write { tx in
                try tx.emit(
                    PaymentChange(order: sold[2], method: .cash, amount: Money(cents: 100)), entity: "PAY-FORGED",
                    scope: .node(s1ID))
                return tx.emitted
            }
            let pushed = Self.message { _ = try centralLater.sync.acceptPush(from: s1ID, changes: forged) }
            #expect(pushed?.contains("closed on") == true, "\(pushed ?? "")")
            #expect(try central.orders.find(sold[2]).paid_cents == paidBefore, "nothing applied")
            let forgedSeq = try #require(forged.first?.seq)
            _ = try s1.store.quarantine(seq: forgedSeq, reason: "forged in a test", ackedSeq: forgedSeq - 1)
            try Paths.relay(s1, to: central)

            // Central announced a frontier past the closing (and the store pulled after it),
            // acknowledged and backed up everything.
            let frontier = String(HLC(wallMillis: NodeStore.systemWallClock() + 20 * Self.day, counter: 0).rawValue)
            let held = try s1.read { try $0.heldSeq(of: s1ID) }
            try s1.store.setMeta([
                "acked_seq": String(held), LogCompaction.Keys.durableSeq: String(held),
                LogCompaction.Keys.frontier: frontier, LogCompaction.Keys.foldFrontier: frontier,
            ])
            let hash = try s1.sync.status().state_hash
            let stock = try s1.inventory.levels(sku: "TEA-01")
            let points = try s1.members.points(of: "M1")
            let orders = try s1.read { try $0.orderCount() }
            try s1.store.setMeta([LogCompaction.Keys.foldFrontier: "0"])
            #expect(
                try s1Later.sync.compactLog().orders_dropped == 0, "no complete pull after the frontier: nothing folds")
            try s1.store.setMeta([LogCompaction.Keys.foldFrontier: frontier])
            let report = try s1Later.sync.compactLog()
            #expect(report.orders_dropped >= 7, "\(report)")
            #expect(try s1.read { try $0.orderCount() } == orders - report.orders_dropped)
            #expect(try s1.orders.find(open).id == open, "an order without a period stays")
            let gone = Self.message { _ = try s1.orders.find(sold[0]) }
            #expect(gone?.contains("left this store") == true, "a closed order left the store: \(gone ?? "")")
            #expect(CounterErrorCatalog.chinese(gone ?? "")?.contains("售后期") == true, "\(gone ?? "")")
            #expect(try s1.sync.status().state_hash == hash, "the hash survives the fold")
            #expect(try s1.inventory.levels(sku: "TEA-01") == stock)
            #expect(try s1.members.points(of: "M1") == points)
            let problems = try s1.read { try $0.consistencyProblems() }
            #expect(problems == [], "\(problems)")
            // Selling goes on and the store still agrees with head office, which kept everything.
            _ = try s1.orders.create(OrderRequest(lines: [.line("MUG-01", 1)], pay: .cash))
            try Paths.relay(s1, to: central)
            try Paths.relay(central, to: s1)
            #expect(try central.orders.find(sold[0]).id == sold[0])
            #expect(try s1.sync.status().state_hash == central.read { try $0.stateHash(scopeOf: s1ID) })
            // Running again drops nothing more and changes nothing.
            let again = try s1Later.sync.compactLog()
            let after = try s1.sync.status().state_hash
            #expect(again.orders_dropped == 0)
            #expect(after == (try central.read { try $0.stateHash(scopeOf: s1ID) }))
        }
    }

    /// A ledger entry on an order sold with a period says when the order closes, so a node
    /// that does not hold the order knows when its entries are final; central holds the writer
    /// to the order's own closing, and no entry is accepted on a closed order.
    @Test func ledgerEntriesOnAnOrderCarryItsClosingAndCentralHoldsThemToIt() throws {
        try withTempDirectory("closing-entries") { dir in
            let (central, s1) = try Paths.chain(dir, points: 500)
            _ = try central.orders.setAfterSaleDays(2)
            try Paths.relay(central, to: s1)
            let id = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 3)], member: "M1", pay: .cash)).id
            let closing = try #require(try s1.read { try $0.orderClosing(id) })
            let closesAt = OrderClosing.closesAtMillis(created: closing.created, days: 2)
            let fields = try #require(
                try s1.read { try $0.rows("SELECT fields FROM change_log WHERE entity = ?", ["PTS-\(id)"]) }.first?[0]
                    as String?)
            #expect(fields.contains("\"order_closes_at\":\(closesAt)"), "\(fields)")
            // An entry on no order, or on an order without a period, carries nothing.
            let plain = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash)).id
            #expect(try s1.read { try $0.orderClosing(plain) }?.days == 2)
            try Paths.relay(s1, to: central)

            let s1ID = try #require(NodeID("s1"))
            func forge(_ node: FenxiaoNode, _ entry: MemberLedgerChange, _ entity: String) throws -> [ChangeRecord] {
                try node.store.write { tx in
                    try tx.emit(entry, entity: entity, scope: .global)
                    return tx.emitted
                }
            }
            // A claimed closing earlier than the order's: refused, nothing applied.
            let early = try forge(
                s1,
                MemberLedgerChange(
                    member: "M1", account: .points, delta: -1, reason: "refund", ref: id,
                    orderClosesAt: closesAt - Self.day),
                "PTS-EARLY")
            let balance = try central.members.points(of: "M1").available
            let refused = Self.message { _ = try central.sync.acceptPush(from: s1ID, changes: early) }
            #expect(refused?.contains("order_closes_at") == true, "\(refused ?? "")")
            #expect(try central.members.points(of: "M1").available == balance)
            let earlySeq = try #require(early.first?.seq)
            _ = try s1.store.quarantine(seq: earlySeq, reason: "forged in a test", ackedSeq: earlySeq - 1)
            try Paths.relay(s1, to: central)
            // An entry on the order stamped after it closed: refused at central (a local write
            // meets the same check in `checkLocalWrites`).
            let s1Later = try Self.later(s1, days: 40)
            let late = MemberLedgerChange(member: "M1", account: .points, delta: -1, reason: "refund", ref: id)
            let forged = try s1Later.store.write { tx in
                try tx.emit(MemberLedgerChange.kind, entity: "PTS-LATE", fields: late.fields, scope: .global)
                return tx.emitted
            }
            let pushed = Self.message {
                _ = try Self.later(central, days: 40).sync.acceptPush(from: s1ID, changes: forged)
            }
            #expect(pushed?.contains("closed on") == true, "\(pushed ?? "")")
            #expect(try central.members.points(of: "M1").available == balance)
        }
    }
}
