import FenxiaoTesting
import Foundation
import Replication
import Storage
import Testing

/// A received batch's log rows are written ahead of applying it (`LogRowsAhead`): the same
/// answers as inserting each row as its change is applied — held changes and second copies in
/// one batch are duplicates, a reused seq in one batch is refused, rows keep the batch's order.
@Suite struct LogRowsAheadTests {
    static func central(_ dir: TempDirectory, _ name: String) throws -> NodeStore {
        try NodeStore.create(directory: dir.sub(name), identity: NodeIdentity(node: .central, role: .central))
    }

    @Test func heldChangesAndSecondCopiesInOneBatchAreDuplicates() throws {
        try withTempDirectory("ahead") { dir in
            var rng = SeededRandom(seed: 7)
            for seed in 1...12 {
                var gen = HistoryGenerator(seed: UInt64(seed))
                let changes = gen.generate(steps: 150)
                let split = rng.below(changes.count)
                // Oracle: every change in a batch of its own, each once.
                let oracle = try Self.central(dir, "o\(seed)")
                for c in changes { _ = try oracle.applyRemote([c]) }
                // A first batch, then one mixing changes held, new ones, and second copies.
                let store = try Self.central(dir, "s\(seed)")
                let first = try store.applyRemote(Array(changes[..<split]))
                var mixed = changes.shuffled(using: &rng)
                let copies = (0..<(1 + rng.below(20))).map { _ in changes[split + rng.below(changes.count - split)] }
                for copy in copies { mixed.insert(copy, at: rng.below(mixed.count + 1)) }
                let second = try store.applyRemote(mixed)
                #expect(first.applied == split && first.duplicates == 0, "seed \(seed)")
                #expect(second.applied == changes.count - split, "seed \(seed)")
                #expect(second.duplicates == split + copies.count, "seed \(seed)")
                #expect(
                    try store.read { try $0.stateHash() } == oracle.read { try $0.stateHash() }, "seed \(seed)")
                #expect(try store.read { try $0.changeCount() } == changes.count)
            }
        }
    }

    @Test func aReusedSeqInOneBatchIsRefusedAndNothingIsApplied() throws {
        try withTempDirectory("reused") { dir in
            var gen = HistoryGenerator(seed: 3)
            let changes = gen.generate(steps: 40)
            let store = try Self.central(dir, "n")
            var other = changes[10]
            other.hlc = HLC(rawValue: other.hlc.rawValue + 1)
            #expect(throws: StorageError.self) { try store.applyRemote(changes + [other]) }
            #expect(try store.read { try $0.changeCount() } == 0)
            // Held already, then sent again with other content: refused the same way.
            _ = try store.applyRemote(changes)
            #expect(throws: StorageError.self) { try store.applyRemote([changes[0], other]) }
            #expect(try store.read { try $0.changeCount() } == changes.count)
        }
    }

    @Test func rowsTakeTheirPositionsInTheBatchsOrder() throws {
        try withTempDirectory("order") { dir in
            var gen = HistoryGenerator(seed: 11)
            var rng = SeededRandom(seed: 5)
            // More rows than one statement carries, in a shuffled order.
            let changes = gen.generate(steps: 300).shuffled(using: &rng)
            let store = try Self.central(dir, "n")
            _ = try store.applyRemote(changes)
            let logged = try store.read { r in
                try r.rows("SELECT origin, seq FROM change_log ORDER BY pos").map { row -> String in
                    let origin: String = row["origin"]
                    let seq: Int64 = row["seq"]
                    return "\(origin)/\(seq)"
                }
            }
            #expect(logged == changes.map { "\($0.origin.rawValue)/\($0.seq)" })
        }
    }

    /// A local write's rows go in when it finishes, in statements of 64: a write of 150 member
    /// registers and a flush in between gives every row, gap-free and in order, and registers
    /// whose history is read back from those rows.
    @Test func aLocalWritesRowsGoInWhenItFinishes() throws {
        try withTempDirectory("local") { dir in
            let s1 = try #require(NodeID("s1"))
            let store = try NodeStore.create(directory: dir.sub("n"), identity: NodeIdentity(node: s1, role: .store))
            let names = try store.write { tx -> [String] in
                for i in 0..<100 {
                    try tx.emit(.member, entity: "M\(i % 40)", fields: ["name": .string("a\(i)")], scope: .global)
                }
                // A flush mid-write: the rows so far are in, and reading sees them.
                let held = try tx.flushed().register(.member, "M7")?["name"]?.stringValue
                for i in 100..<150 {
                    try tx.emit(.member, entity: "M\(i % 40)", fields: ["name": .string("b\(i)")], scope: .global)
                }
                return [held ?? ""]
            }
            #expect(names == ["a87"])
            let seqs = try store.read { r in
                try r.rows("SELECT seq FROM change_log WHERE origin = 's1' ORDER BY pos").map { row -> Int64 in
                    row["seq"]
                }
            }
            #expect(seqs == Array(1...150))
            #expect(try store.read { try $0.register(.member, "M7")?["name"]?.stringValue } == "b127")
            #expect(try store.read { try $0.register(.member, "M39")?["name"]?.stringValue } == "b119")
        }
    }

    /// Two changes writing one order line or one payment in the same batch: the first in the
    /// batch's order keeps its row, as when each change is applied in turn (`RecordRowsAhead`);
    /// the expected rows are worked out from the batch itself.
    @Test func twoChangesWritingOneRowKeepTheFirstAsOneAtATimeDoes() throws {
        try withTempDirectory("twins") { dir in
            var rng = SeededRandom(seed: 19)
            for seed in 1...8 {
                var gen = HistoryGenerator(seed: UInt64(seed))
                let changes = gen.generate(steps: 150)
                var batch: [ChangeRecord] = []
                for c in changes {
                    batch.append(c)
                    guard c.kind == .orderLine || c.kind == .payment, rng.chance(50) else { continue }
                    var twin = c
                    twin.seq = c.seq + 100_000
                    if c.kind == .payment {
                        twin.fields["amount_cents"] = .int(Int64(1 + rng.below(5_000)))
                    } else {
                        twin.fields["qty"] = .int(Int64(1 + rng.below(9)))
                    }
                    batch.insert(twin, at: rng.below(batch.count + 1))
                }
                let store = try Self.central(dir, "s\(seed)")
                _ = try store.applyRemote(batch)
                // What a row a change gives: the first change in the batch's order keeps each key.
                var lines: [String: Int64] = [:]
                var payments: [String: String] = [:]
                for c in batch {
                    let order = c.fields["order"]?.stringValue ?? ""
                    if c.kind == .orderLine, let line = c.fields["line"]?.intValue, let qty = c.fields["qty"]?.intValue
                    {
                        if lines["\(order)#\(line)"] == nil { lines["\(order)#\(line)"] = qty }
                    } else if c.kind == .payment, let amount = c.fields["amount_cents"]?.intValue {
                        if payments[c.entity] == nil { payments[c.entity] = "\(amount) \(c.origin.rawValue)/\(c.seq)" }
                    }
                }
                let heldLines = try store.read { r in
                    try r.rows("SELECT order_id, line, qty FROM order_lines").map { row -> (String, Int64) in
                        let (order, line, qty): (String, Int64, Int64) = (row["order_id"], row["line"], row["qty"])
                        return ("\(order)#\(line)", qty)
                    }
                }
                let heldPayments = try store.read { r in
                    try r.rows("SELECT id, amount_cents, origin, seq FROM payments").map { row -> (String, String) in
                        let (id, amount, origin, seq): (String, Int64, String, Int64) = (
                            row["id"], row["amount_cents"], row["origin"], row["seq"]
                        )
                        return (id, "\(amount) \(origin)/\(seq)")
                    }
                }
                #expect(Dictionary(uniqueKeysWithValues: heldLines) == lines, "seed \(seed)")
                #expect(Dictionary(uniqueKeysWithValues: heldPayments) == payments, "seed \(seed)")
                #expect(!lines.isEmpty && !payments.isEmpty)
            }
        }
    }
}
