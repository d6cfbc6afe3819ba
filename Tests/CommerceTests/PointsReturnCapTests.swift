import Commerce
import FenxiaoTesting
import Replication
import Testing

/// `PointsReturnCap`: the refund entries of an order count, in stamp order, at most the points
/// used and earned, whatever order the entries are read in.
@Suite struct PointsReturnCapTests {
    static func stamp(_ hlc: Int64, _ origin: String, _ seq: Int64) throws -> ChangeStamp {
        ChangeStamp(hlc: HLC(rawValue: hlc), origin: try #require(NodeID(origin)), seq: seq)
    }

    @Test func twoFullReturnsCountOnceTheEarlierFirst() throws {
        let entries = [
            PointsReturnCap.Entry(id: "PTR-O1", stamp: try Self.stamp(10, "s1", 1), written: -3000, reason: "redeem"),
            PointsReturnCap.Entry(id: "PTS-O1", stamp: try Self.stamp(11, "s1", 2), written: 46, reason: "order"),
            PointsReturnCap.Entry(
                id: "PTB-RF-s1-1", stamp: try Self.stamp(40, "s1", 9), written: 3000, reason: "refund"),
            PointsReturnCap.Entry(
                id: "PTS-RF-s1-1", stamp: try Self.stamp(40, "s1", 10), written: -46, reason: "refund"),
            PointsReturnCap.Entry(
                id: "PTB-RF-HQ-1", stamp: try Self.stamp(30, "central", 6), written: 2000, reason: "refund"),
        ]
        let out = PointsReturnCap.cap(order: "O1", member: "M1", entries: entries, scope: .global)
        #expect(out.used == 3000 && out.earned == 46)
        // Head office's 2,000 came first and counts; s1's 3,000 counts the 1,000 left.
        #expect(out.effective == ["PTB-RF-HQ-1": 2000, "PTB-RF-s1-1": 1000, "PTS-RF-s1-1": -46])
        #expect(out.conflicts.map(\.rule) == ["points_return_exceeds_used"])
        #expect(out.conflicts.first?.amount == 2000 && out.conflicts.first?.loser == "s1/9")
        #expect(out.conflicts.first?.id == "points_return_exceeds_used:order:O1:s1/9")
    }

    @Test func randomRefundEntriesNeverCountMoreThanUsedOrEarnedInAnyOrder() throws {
        for seed in propertySeeds {
            var rng = SplitMix64(seed: seed)
            let used = rng.chance(80) ? rng.int64(0...5000) : 0
            let earned = rng.chance(80) ? rng.int64(0...200) : 0
            var entries: [PointsReturnCap.Entry] = []
            if rng.chance(90) {
                entries.append(.init(id: "PTR-O", stamp: try Self.stamp(1, "s1", 1), written: -used, reason: "redeem"))
            }
            if rng.chance(90) {
                entries.append(.init(id: "PTS-O", stamp: try Self.stamp(1, "s1", 2), written: earned, reason: "order"))
            }
            for n in 0..<rng.int(0...6) {
                let origin = rng.pick(["s1", "central", "s2"])
                let giving = rng.chance(50)
                let written = giving ? rng.int64(1...4000) : -rng.int64(1...150)
                entries.append(
                    .init(
                        id: "\(giving ? "PTB" : "PTS")-RF-\(n)",
                        stamp: try Self.stamp(rng.int64(2...9), origin, Int64(10 + n)),
                        written: written, reason: "refund"))
            }
            let out = PointsReturnCap.cap(order: "O", member: "M1", entries: entries, scope: .global)
            let returned = out.effective.values.filter { $0 > 0 }.reduce(0, +)
            let clawed = -out.effective.values.filter { $0 < 0 }.reduce(0, +)
            #expect(returned <= out.used && clawed <= out.earned, "seed \(seed)")
            for e in entries where PointsReturnCap.isCapped(e) {
                let counted = try #require(out.effective[e.id])
                #expect(
                    e.written > 0 ? (0...e.written).contains(counted) : (e.written...0).contains(counted),
                    "seed \(seed)")
            }
            // What was not counted is exactly what the conflicts record.
            let written = entries.filter(PointsReturnCap.isCapped).reduce(Int64(0)) { $0 + abs($1.written) }
            #expect(written - returned - clawed == out.conflicts.reduce(0) { $0 + $1.amount }, "seed \(seed)")
            // The outcome is a function of the set of entries, not of the order they are read in.
            #expect(
                PointsReturnCap.cap(order: "O", member: "M1", entries: entries.shuffled(using: &rng), scope: .global)
                    == out, "seed \(seed)")
        }
    }
}
