import Replication
import Testing

@testable import Node

/// `BatchIndex` answers "written earlier in the batch" as the scans it replaced did.
@Suite struct BatchIndexTests {
    static func change(_ kind: EntityKind, _ entity: String, op: ChangeOp = .upsert, seq: Int64) throws -> ChangeRecord
    {
        let node = try #require(NodeID("s1"))
        return ChangeRecord(
            origin: node, seq: seq, hlc: HLC(wallMillis: 1, counter: 0), kind: kind, entity: entity, op: op,
            fields: [:],
            scope: .node(node))
    }

    @Test func answersLikeAScanOfTheEarlierChanges() throws {
        let kinds: [(EntityKind, ChangeOp)] = [
            (.order, .upsert), (.order, .transition), (.member, .upsert), (.payment, .upsert),
        ]
        for seed in 0..<100 {
            var rng = SplitMix64(seed: UInt64(seed))
            let batch = try (0..<rng.int(0...30)).map { i in
                let (kind, op) = rng.pick(kinds)
                return try Self.change(kind, "E\(rng.int(0...5))", op: op, seq: Int64(i + 1))
            }
            let index = BatchIndex(batch)
            for position in 0...batch.count {
                for id in (0...5).map({ "E\($0)" }) {
                    let scanOrder = batch.prefix(position).firstIndex {
                        $0.kind == .order && $0.entity == id && $0.op == .upsert
                    }
                    #expect(index.order(id, before: position) == scanOrder, "seed \(seed) \(id) before \(position)")
                    let scanMembers = batch.prefix(position).indices.filter {
                        batch[$0].kind == .member && batch[$0].entity == id
                    }
                    #expect(
                        Array(index.members(id, before: position)) == scanMembers,
                        "seed \(seed) \(id) before \(position)")
                }
            }
        }
    }
}
