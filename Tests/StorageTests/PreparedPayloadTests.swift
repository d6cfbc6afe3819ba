import Commerce
import FenxiaoTesting
import Foundation
import Replication
import Storage
import Testing

/// Central decodes a push's payloads before its write lock (`PreparedPayloads`): what the
/// applier reads from a prepared change is what it would decode from its fields, whatever
/// happens to the change between.
@Suite struct PreparedPayloadTests {
    static func move(qty: Int64) -> ChangeRecord {
        let s1 = NodeID("s1") ?? .central
        return ChangeRecord(
            origin: s1, seq: 1, hlc: HLC(wallMillis: 1_764_057_600_000, counter: 0), kind: .stockMove,
            entity: "MV-1", fields: StockMoveChange(sku: "TEA", warehouse: "s1", reason: .sale, qty: qty).fields,
            scope: .node(s1))
    }

    @Test func aPreparedPayloadIsTheDecodedOneAndGoesWithItsFields() throws {
        var c = Self.move(qty: -1)
        PreparedPayloads.prepare(&c)
        #expect(try c.payload(StockMoveChange.self) == StockMoveChange(fields: c.fields))
        // New fields: the payload read is theirs, not the one prepared for the old ones.
        c.fields["qty"] = .int(-3)
        #expect(try c.payload(StockMoveChange.self).qty == -3)
        // Asked as another kind's payload, the change is refused as before.
        #expect(throws: PayloadError.self) { try c.payload(PaymentChange.self) }
    }

    /// A node's own write keeps the payload its use case built (`LocalTransaction.emit`).
    @Test func aKeptPayloadIsReadBackAndGoesWithItsFields() throws {
        let built = StockMoveChange(sku: "TEA", warehouse: "s1", reason: .sale, qty: -2)
        var c = Self.move(qty: -2)
        c.keepPayload(built)
        #expect(try c.payload(StockMoveChange.self) == built)
        c.fields["qty"] = .int(-5)
        #expect(try c.payload(StockMoveChange.self).qty == -5)
    }

    @Test func fieldsThatDoNotDecodeStillFailInTheApplier() throws {
        var c = Self.move(qty: -1)
        c.fields["qty"] = .string("many")
        PreparedPayloads.prepare(&c)
        #expect(throws: PayloadError.self) { try c.payload(StockMoveChange.self) }
    }

    /// Random histories (orders, lines, payments, refunds, movements, ledgers, claims), decoded
    /// from one push body with and without preparation and applied to two centrals in random
    /// batches: one state.
    @Test func aBatchAppliesTheSameWithPayloadsDecodedAhead() throws {
        for seed in UInt64(1)...12 {
            var gen = HistoryGenerator(seed: seed)
            let changes = gen.generate(steps: 150)
            var rng = SeededRandom(seed: seed &* 31)
            let body = Array(SyncWire.PushRequest.encode(changes).utf8)
            let plain = try ChangeRecord.decodeBatch(body)
            let prepared = try body.withUnsafeBytes { try PreparedPayloads.decodeBatch($0) }
            #expect(prepared == plain, "seed \(seed): the same changes")
            try withTempDirectory("prepared-\(seed)") { dir in
                let a = try NodeStore.create(
                    directory: dir.sub("a"), identity: NodeIdentity(node: .central, role: .central))
                let b = try NodeStore.create(
                    directory: dir.sub("b"), identity: NodeIdentity(node: .central, role: .central))
                var start = 0
                while start < changes.count {
                    let end = min(changes.count, start + 1 + rng.below(60))
                    _ = try a.applyRemote(Array(plain[start..<end]))
                    _ = try b.applyRemote(Array(prepared[start..<end]))
                    start = end
                }
                #expect(try a.read { try $0.stateHash() } == b.read { try $0.stateHash() }, "seed \(seed)")
                #expect(try b.read { try $0.consistencyProblems() } == [], "seed \(seed)")
            }
        }
    }
}
