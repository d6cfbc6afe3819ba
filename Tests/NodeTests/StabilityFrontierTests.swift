import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// Central's stability frontier in process (sync/PROTOCOL.md §8.8): the lowest promise of the
/// stores that are not retired, capped by central's clock; a new change at or below it is
/// refused (409) and nothing is applied, while duplicates always pass.
@Suite struct StabilityFrontierTests {
    static let s1 = Fixture.node("s1")
    static let s2 = Fixture.node("s2")

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A store's promise, as its pull carries it.
    static func promise(_ central: FenxiaoNode, _ store: NodeID, _ hlc: HLC) throws {
        _ = try central.sync.servePull(to: store, after: 0, limit: 10, stable: hlc)
    }

    @Test func theFrontierIsTheLowestPromiseOfTheStoresNotRetired() throws {
        try withCentral("frontier") { central, _ in
            for n in ["s1", "s2", "s3"] { _ = try central.sync.enroll(node: n, warehouses: []) }
            _ = try central.sync.enroll(node: "ops", warehouses: [], admin: true)
            // Nobody has promised: nothing is stable, and the status names who holds it back.
            var f = try central.sync.frontier()
            #expect(f.hlc == 0 && f.held_by == ["s1", "s2", "s3"], "\(f)")
            let base = HLC(wallMillis: Self.now() - 600_000, counter: 0)
            try Self.promise(central, Self.s1, HLC(rawValue: base.rawValue + 30))
            try Self.promise(central, Self.s2, HLC(rawValue: base.rawValue + 10))
            try Self.promise(central, Fixture.node("s3"), HLC(rawValue: base.rawValue + 10))
            f = try central.sync.frontier()
            #expect(f.hlc == base.rawValue + 10 && f.held_by == ["s2", "s3"], "admins never hold it: \(f)")
            // A lower promise later does not move a store's promise back.
            try Self.promise(central, Self.s2, base)
            #expect(try central.sync.peers().first { $0.node == "s2" }?.stable_hlc == base.rawValue + 10)
            // Revoked stores still hold it (they may come back); retired ones do not.
            try central.sync.revoke(node: "s3")
            #expect(try central.sync.frontier().held_by == ["s2", "s3"])
            try central.sync.retire(node: "s3")
            try central.sync.retire(node: "s2")
            f = try central.sync.frontier()
            #expect(f.hlc == base.rawValue + 30 && f.held_by == ["s1"], "\(f)")
            #expect(throws: NodeError.self) { try central.sync.retire(node: "nobody") }
            // Enrolled again: no longer retired, holds the frontier with its old promise.
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            #expect(try central.sync.frontier().held_by == ["s2"])
            #expect(try central.sync.peers().first { $0.node == "s2" }?.retired_at == nil)
            // A promise from the future is capped at central's clock ceiling, and the frontier
            // never passes central's own clock (its next change is stamped above it).
            try Self.promise(central, Self.s1, .maximum)
            try Self.promise(central, Self.s2, .maximum)
            let stored = try #require(try central.sync.peers().first { $0.node == "s1" }?.stable_hlc)
            #expect(HLC(rawValue: stored).wallMillis <= Self.now() + 6 * 60_000, "capped near central's wall clock")
            f = try central.sync.frontier()
            #expect(f.held_by.isEmpty && HLC(rawValue: f.hlc).wallMillis <= Self.now(), "\(f)")
            // hello announces it, with the store's own promise.
            let hello = try central.sync.hello(for: Self.s1)
            #expect(hello.frontier == f.hlc && hello.stable_hlc == stored && hello.durable_seq == 0)
        }
    }

    @Test func aNewChangeAtOrBelowTheFrontierIsRefusedButDuplicatesPass() throws {
        try withCentral("frontier-refuse") { central, dir in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let first = try s1.read { try $0.ownChanges(after: 0, limit: 100) }
            _ = try central.sync.acceptPush(from: Self.s1, changes: first)
            // Both stores promised beyond the next change's stamp... which s1 then breaks.
            _ = try s1.orders.create(OrderRequest(lines: [.line("TEA-01", 1)], pay: .cash))
            let next = try s1.read { try $0.ownChanges(after: Int64(first.count), limit: 100) }
            let beyond = HLC(rawValue: (next.map(\.hlc).max() ?? .zero).rawValue + 1)
            try Self.promise(central, Self.s1, beyond)
            try Self.promise(central, Self.s2, beyond)
            try central.store.observeClock(HLC(rawValue: beyond.rawValue + 1000))  // central's clock is past it too
            #expect(try central.sync.frontier().hlc == beyond.rawValue)
            let before = try central.sync.status().state_hash
            do {
                _ = try central.sync.acceptPush(from: Self.s1, changes: next)
                Issue.record("a change below the frontier was accepted")
            } catch let error as NodeError {
                #expect(error.code == .conflict, "\(error.message)")
                #expect(error.message.contains("stability frontier") && error.message.contains("fenxiao recover"))
            }
            #expect(try central.sync.status().state_hash == before, "nothing applied")
            #expect(try central.sync.peers().first { $0.node == "s1" }?.blocked != nil, "head office sees it")
            // What central holds already is a duplicate, never refused.
            let again = try central.sync.acceptPush(from: Self.s1, changes: first)
            #expect(again.duplicates == first.count && again.applied == 0)
            // Re-stamped above the frontier (as `recover` re-issues them), the same sale goes through.
            let restamped = next.map { c in
                ChangeRecord(
                    origin: c.origin, seq: c.seq,
                    hlc: HLC(rawValue: c.hlc.rawValue + beyond.rawValue - next[0].hlc.rawValue + 1),
                    kind: c.kind, entity: c.entity, op: c.op, fields: c.fields, context: c.context, scope: c.scope)
            }
            let accepted = try central.sync.acceptPush(from: Self.s1, changes: restamped)
            #expect(accepted.applied == next.count)
            #expect(try central.sync.peers().first { $0.node == "s1" }?.blocked == nil)
        }
    }

    @Test func aBackupOfCentralRaisesEachStoresDurableSeq() throws {
        try withCentral("frontier-durable") { central, dir in
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            let s1 = try Fixtures.store("s1", in: dir, from: central)
            _ = try s1.inventory.move(sku: "TEA-01", quantity: 10, reason: .receive)
            let pushed = try s1.read { try $0.ownChanges(after: 0, limit: 100) }
            _ = try central.sync.acceptPush(from: Self.s1, changes: pushed)
            #expect(try central.sync.hello(for: Self.s1).durable_seq == 0, "no backup yet")
            _ = try central.store.backup(to: dir.sub("b1.sqlite"))
            #expect(try central.sync.hello(for: Self.s1).durable_seq == Int64(pushed.count))
            // A store's backup says nothing about central's durability.
            _ = try s1.store.backup(to: dir.sub("s1.sqlite"))
            #expect(try central.sync.hello(for: Self.s1).durable_seq == Int64(pushed.count))
        }
    }
}
