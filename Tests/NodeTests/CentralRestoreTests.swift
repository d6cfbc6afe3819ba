import Commerce
import FenxiaoTesting
import Foundation
import Node
import Replication
import Storage
import Testing

/// Central's side of a restore, in process: the seq floor of a new epoch, what a store may give
/// back (only central's lost changes, in its own scopes) and when central stops waiting.
@Suite struct CentralRestoreTests {
    static func centralChange(_ seq: Int64, sku: String, scope: Scope = .global) -> ChangeRecord {
        ChangeRecord(
            origin: .central, seq: seq, hlc: HLC(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0),
            kind: .sku, entity: sku, fields: ["name": .string("Invented"), "price_cents": .int(1)], scope: scope)
    }

    @Test func aNewEpochAuthorsAboveItsFloorAndTakesBackOnlyWhatItLost() throws {
        try withCentral("central-epoch") { central, _ in
            let s1 = try #require(NodeID("s1"))
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            _ = try central.sync.enroll(node: "s2", warehouses: [])
            let held = try central.read { try $0.heldSeq(of: .central) }
            // Never restored: nothing is taken back.
            #expect(throws: NodeError.self) {
                _ = try central.sync.acceptReturn(
                    from: s1, changes: [Self.centralChange(held + 1, sku: "X-1")], ownSeq: 0)
            }
            let state = try central.sync.enterRestoreMode()
            #expect(state.epoch == 2 && state.central_seq == held && state.own_seq_floor == 1 << 40)
            #expect(state.waiting == ["s1", "s2"])
            #expect(try central.sync.hello(for: s1).restore?.waiting == ["s1", "s2"])
            _ = try central.catalog.upsert([CatalogItem(sku: "PIE-01", name: "Pie", price: Money(cents: 800))])
            #expect(try central.read { try $0.heldSeq(of: .central) } > 1 << 40)
            let before = try central.sync.status().state_hash
            // Outside the lost range, another origin, another store's scope: 403, nothing applied.
            for bad in [
                Self.centralChange(held, sku: "X-1"), Self.centralChange((1 << 40) + 5, sku: "X-1"),
                Self.centralChange(held + 1, sku: "X-1", scope: .node(try #require(NodeID("s2")))),
                ChangeRecord(
                    origin: s1, seq: 1, hlc: HLC(wallMillis: 1, counter: 0), kind: .sku, entity: "X-1", fields: [:],
                    scope: .global),
            ] {
                #expect(throws: NodeError.self) {
                    _ = try central.sync.acceptReturn(from: s1, changes: [bad], ownSeq: 0)
                }
            }
            #expect(try central.sync.status().state_hash == before)
            // In range: taken back; the same seq with other content: refused.
            let back = try central.sync.acceptReturn(
                from: s1, changes: [Self.centralChange(held + 2, sku: "LOST-1")], ownSeq: 0)
            #expect(back.applied == 1 && back.waiting == ["s2"], "s1 holds nothing of its own: done at once")
            #expect(throws: NodeError.self) {
                _ = try central.sync.acceptReturn(
                    from: s1, changes: [Self.centralChange(held + 2, sku: "OTHER-1")], ownSeq: 0)
            }
            // s2 reports own seq 3 but central holds none of its changes yet: still waited for.
            let s2 = try #require(NodeID("s2"))
            #expect(try central.sync.acceptReturn(from: s2, changes: [], ownSeq: 3).waiting == ["s2"])
            // `status` and `/v1/nodes` show whom central waits for, since when, and how far they are.
            let progress = try #require(try central.sync.status().restore)
            #expect(progress.epoch == 2 && (progress.since ?? 0) > 0)
            #expect(progress.waiting == [RestoreProgress.Store(node: "s2", reported_seq: 3, held_seq: 0)])
            let peers = try central.sync.peers()
            #expect(peers.first { $0.node == "s2" }?.restore_waiting_since == progress.since)
            #expect(peers.first { $0.node == "s1" }?.restore_waiting_since == nil, "s1 has caught up")
            // Revoking a store stops the wait.
            try central.sync.revoke(node: "s2")
            #expect(try central.sync.hello(for: s1).restore?.waiting == [])
            #expect(try central.sync.status().restore == nil, "caught up: status shows no restore")
            #expect(try central.read { try $0.consistencyProblems() } == [])
        }
    }

    @Test func aStoreHoldingMoreThanCentralOpensANewEpochOnce() throws {
        try withCentral("central-noticed") { central, _ in
            let s1 = try #require(NodeID("s1"))
            _ = try central.sync.enroll(node: "s1", warehouses: [])
            let end = try central.read { try $0.logEnd() }
            // A store that has seen epoch 1 and pulled beyond central's log end: central was copied back.
            let hello = try central.sync.hello(for: s1, report: (acked: 0, cursor: end + 50, epoch: 1))
            #expect(hello.epoch == 2 && hello.restore?.base_pos == 0)
            // While that restore is caught up, the same claim does not open another epoch.
            #expect(try central.sync.hello(for: s1, report: (acked: 0, cursor: end + 50, epoch: 2)).epoch == 2)
            // An honest report changes nothing.
            #expect(try central.sync.hello(for: s1, report: (acked: 0, cursor: 0, epoch: 2)).epoch == 2)
        }
    }
}
