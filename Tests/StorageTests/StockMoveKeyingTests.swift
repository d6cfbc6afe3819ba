import FenxiaoTesting
import Foundation
import PropertyBased
import Replication
import Testing

@testable import Storage

/// Which stock movements are in the key index (schema 29, `StockMoveKeying`) is physical: it
/// must never change a result. Random histories are applied with random parts of the table
/// keyed between batches; levels, reservations, balances, conflicts, the full re-fold and the
/// per-SKU history must equal those of the same history applied with nothing keyed.
@Suite struct StockMoveKeyingTests {
    typealias History = CheckpointEquivalenceTests.LedgerHistory

    /// Keys a random part of the unkeyed movements and unkeys a random part of the keyed ones.
    static func shuffleKeys(_ store: NodeStore, _ rng: inout SeededRandom) throws {
        let (a, b) = (rng.below(4), rng.below(4))
        try store.writeLocal { db in
            try db.execute(
                sql: "UPDATE stock_moves SET keyed = 1 WHERE keyed = 0 AND (length(id) + ?) % 4 <> 0", arguments: [a])
            try db.execute(
                sql: "UPDATE stock_moves SET keyed = 0 WHERE keyed = 1 AND (length(id) * 7 + ?) % 5 = 0", arguments: [b]
            )
        }
    }

    static func observed(_ store: NodeStore) throws -> [String] {
        let history = try store.read { r in
            try ["A", "B"].flatMap { sku in try r.stockHistory(sku: sku).map { "\($0)" } }
        }
        return try store.checkpointedState() + history + [try store.read { try $0.stateHash() }]
    }

    @Test func keyingAnyPartOfTheMovementsChangesNoResult() async throws {
        await propertyCheck(count: 12, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            try await withTempDirectory("keying") { dir in
                var gen = History(seed: UInt64(seed))
                let changes = gen.generate(steps: 220)
                var rng = SeededRandom(seed: UInt64(seed) &* 977 &+ 5)
                let batches = CheckpointEquivalenceTests.delivery(changes, rng: &rng, shuffled: false)
                do {
                    let plain = try NodeStore.create(
                        directory: dir.sub("plain"), identity: NodeIdentity(node: .central, role: .central))
                    let mixed = try NodeStore.create(
                        directory: dir.sub("mixed"), identity: NodeIdentity(node: .central, role: .central))
                    for b in batches {
                        _ = try plain.applyRemote(b)
                        _ = try mixed.applyRemote(b)
                        if rng.chance(30) { try Self.shuffleKeys(mixed, &rng) }
                    }
                    let keyed = try mixed.read {
                        try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM stock_moves WHERE keyed = 1") ?? 0
                    }
                    #expect(keyed > 0, "seed \(seed): the keyed half was never used")
                    let reference = try Self.observed(plain)
                    #expect(try Self.observed(mixed) == reference, "seed \(seed): keyed movements changed a result")
                    try Self.shuffleKeys(mixed, &rng)
                    try mixed.refoldDerivedState()
                    #expect(try Self.observed(mixed) == reference, "seed \(seed): the full re-fold differs")
                } catch {
                    Issue.record("seed \(seed): \(error)")
                }
            }
        }
    }

    @Test func aBatchOfUnkeyedMovementsIsKeyedAtOnce() throws {
        try withTempDirectory("keying-batch") { dir in
            let store = try NodeStore.create(
                directory: dir.sub("s"), identity: NodeIdentity(node: .central, role: .central))
            var gen = History(seed: 7)
            var changes: [ChangeRecord] = []
            for i in 0..<(StockMoveKeying.batch + 10) {
                gen.move(.central, "MV-\(i)", "A", "s1", "receive", 1)
            }
            changes = gen.changes
            let counts = { (keyed: Int) in
                try store.read {
                    try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM stock_moves WHERE keyed = ?", arguments: [keyed])
                        ?? 0
                }
            }
            // In pushes below `directBatch`, whose movements wait to be keyed.
            let waiting = Array(changes.prefix(StockMoveKeying.batch - 1))
            for start in stride(from: 0, to: waiting.count, by: 1000) {
                _ = try store.applyRemote(Array(waiting[start..<min(waiting.count, start + 1000)]))
            }
            #expect(try counts(0) == StockMoveKeying.batch - 1 && counts(1) == 0, "below a batch nothing is keyed")
            _ = try store.applyRemote(Array(changes.dropFirst(StockMoveKeying.batch - 1)))
            #expect(try counts(0) == 0 && counts(1) == StockMoveKeying.batch + 10, "a full batch is keyed at once")
            #expect(try store.read { try $0.stockLevels(sku: "A").first?.on_hand } == Int64(StockMoveKeying.batch + 10))
        }
    }

    /// A received batch of at least `directBatch` changes writes its movements keyed (they share
    /// the key index's pages by themselves); a smaller one leaves them to be keyed later. Reads
    /// see both the same.
    @Test func aLargeReceivedBatchIsKeyedAsItIsWritten() throws {
        try withTempDirectory("keying-direct") { dir in
            let store = try NodeStore.create(
                directory: dir.sub("s"), identity: NodeIdentity(node: .central, role: .central))
            var gen = History(seed: 11)
            for i in 0..<(StockMoveKeying.directBatch + 10) {
                gen.move(.central, "MV-\(i)", "A", "s1", "receive", 1)
            }
            let counts = { (keyed: Int) in
                try store.read {
                    try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM stock_moves WHERE keyed = ?", arguments: [keyed])
                        ?? 0
                }
            }
            _ = try store.applyRemote(Array(gen.changes.prefix(StockMoveKeying.directBatch)))
            #expect(try counts(0) == 0 && counts(1) == StockMoveKeying.directBatch, "a large batch is keyed at once")
            _ = try store.applyRemote(Array(gen.changes.dropFirst(StockMoveKeying.directBatch)))
            #expect(try counts(0) == 10 && counts(1) == StockMoveKeying.directBatch, "a small one waits")
            #expect(
                try store.read { try $0.stockLevels(sku: "A").first?.on_hand }
                    == Int64(StockMoveKeying.directBatch + 10))
        }
    }
}
