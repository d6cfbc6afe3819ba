import FenxiaoTesting
import Foundation
import PropertyBased
import Testing

@testable import Replication

@Suite struct VersionVectorTests {
    typealias F = Fixture

    static func vv(_ entries: [NodeID: Int64]) -> VersionVector { VersionVector(entries) }

    static func randomVector(_ rng: inout SplitMix64) -> VersionVector {
        var v = VersionVector()
        for node in F.nodes where rng.chance(60) { v[node] = rng.int64(0...6) }
        return v
    }

    @Test(
        arguments: [
            ([:], [:], CausalOrder.equal),
            ([F.storeA: 2, F.storeB: 1], [F.storeB: 1, F.storeA: 2], .equal),
            ([F.storeA: 0], [:], .equal),
            ([:], [F.storeA: 1], .before),
            ([F.storeA: 1], [F.storeA: 2], .before),
            ([F.storeA: 1], [F.storeA: 1, F.storeB: 1], .before),
            ([F.storeA: 3, F.storeB: 1], [F.storeA: 2], .after),
            ([F.storeA: 1], [:], .after),
            ([F.storeA: 2], [F.storeB: 1], .concurrent),
            ([F.storeA: 2, F.storeB: 1], [F.storeA: 1, F.storeB: 2], .concurrent),
        ] as [([NodeID: Int64], [NodeID: Int64], CausalOrder)])
    func compareClassifiesCausalOrder(lhs: [NodeID: Int64], rhs: [NodeID: Int64], expected: CausalOrder) {
        #expect(Self.vv(lhs).compare(Self.vv(rhs)) == expected)
        let mirrored: CausalOrder =
            switch expected {
            case .before: .after
            case .after: .before
            default: expected
            }
        #expect(Self.vv(rhs).compare(Self.vv(lhs)) == mirrored)
    }

    @Test func zeroEntriesAreNotStored() {
        var v = VersionVector([F.storeA: 0, F.storeB: 2])
        #expect(v == VersionVector([F.storeB: 2]))
        #expect(v.entries.keys.sorted() == [F.storeB])
        v[F.storeB] = 0
        #expect(v == VersionVector())
        #expect(v.entries.isEmpty)
    }

    @Test func recordKeepsTheMaximumAndIncludesAnswersSeen() {
        var v = VersionVector()
        v.record(origin: F.storeA, seq: 5)
        v.record(origin: F.storeA, seq: 3)
        #expect(v[F.storeA] == 5)
        #expect(v.includes(origin: F.storeA, seq: 5))
        #expect(v.includes(origin: F.storeA, seq: 1))
        #expect(!v.includes(origin: F.storeA, seq: 6))
        #expect(!v.includes(origin: F.storeB, seq: 1))
        #expect(v[F.storeB] == 0)
    }

    @Test func mergedIsTheElementWiseMaximum() {
        let a = Self.vv([F.storeA: 3, F.storeB: 1])
        let b = Self.vv([F.storeB: 4, F.storeC: 2])
        #expect(a.merged(with: b) == Self.vv([F.storeA: 3, F.storeB: 4, F.storeC: 2]))
    }

    @Test func dominatesIsReflexiveAndEmptyIsDominatedByAll() {
        let a = Self.vv([F.storeA: 3])
        #expect(a.dominates(a))
        #expect(a.dominates(VersionVector()))
        #expect(!VersionVector().dominates(a))
        #expect(Self.vv([F.storeA: 3, F.storeB: 1]).dominates(a))
        #expect(!Self.vv([F.storeA: 2, F.storeB: 9]).dominates(a))
    }

    @Test func mergeIsCommutativeAssociativeAndIdempotent() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let a = Self.randomVector(&rng)
            let b = Self.randomVector(&rng)
            let c = Self.randomVector(&rng)
            #expect(a.merged(with: b) == b.merged(with: a))
            #expect(a.merged(with: b).merged(with: c) == a.merged(with: b.merged(with: c)))
            #expect(a.merged(with: a) == a)
            #expect(a.merged(with: VersionVector()) == a)
            let ab = a.merged(with: b)
            #expect(ab.dominates(a) && ab.dominates(b))
            #expect([CausalOrder.after, .equal].contains(ab.compare(a)))
            // compare agrees with dominates.
            switch a.compare(b) {
            case .equal: #expect(a == b)
            case .after: #expect(a.dominates(b) && !b.dominates(a))
            case .before: #expect(b.dominates(a) && !a.dominates(b))
            case .concurrent: #expect(!a.dominates(b) && !b.dominates(a))
            }
        }
    }

    @Test func codableRoundTrip() throws {
        let v = Self.vv([F.storeA: 3, F.storeB: 12, .central: 1])
        let data = try JSONEncoder().encode(v)
        let object = try JSONDecoder().decode([String: Int64].self, from: data)
        #expect(object == ["store-a": 3, "store-b": 12, "central": 1])
        #expect(try JSONDecoder().decode(VersionVector.self, from: data) == v)
    }

    @Test func decodingDropsZeroEntries() throws {
        let v = try JSONDecoder().decode(VersionVector.self, from: Data(#"{"store-a":0,"store-b":2}"#.utf8))
        #expect(v == Self.vv([F.storeB: 2]))
    }

    @Test(arguments: [
        #"{"bad id":1}"#, #"{"":1}"#, #"{"store-a":-1}"#, #"{"store-a":1.5}"#, #"{"store-a":"1"}"#, "[1]",
    ])
    func decodingRejectsBadNodeIDsAndNegativeSeqs(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(VersionVector.self, from: Data(json.utf8))
        }
    }

    @Test func canonicalJSONSortsKeysRegardlessOfInsertionOrder() {
        var a = VersionVector()
        a.record(origin: F.storeB, seq: 2)
        a.record(origin: F.storeA, seq: 1)
        a.record(origin: .central, seq: 7)
        var b = VersionVector()
        b.record(origin: .central, seq: 7)
        b.record(origin: F.storeA, seq: 1)
        b.record(origin: F.storeB, seq: 2)
        #expect(a.canonicalJSON == #"{"central":7,"store-a":1,"store-b":2}"#)
        #expect(b.canonicalJSON == a.canonicalJSON)
        #expect(VersionVector().canonicalJSON == "{}")
        #expect(a.description == "{central:7,store-a:1,store-b:2}")
    }
}
