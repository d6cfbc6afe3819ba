import FenxiaoTesting
import PropertyBased
import Testing

@testable import Replication

@Suite struct UniqueClaimsTests {
    typealias F = Fixture

    static func claim(_ origin: NodeID, _ seq: Int64, at wall: Int64, by claimant: String, amount: Int64 = 1000)
        -> UniqueClaim
    {
        UniqueClaim(key: "coupon:SAVE10", claimant: claimant, stamp: F.stamp(origin, seq, at: wall), amount: amount)
    }

    @Test func noClaimsNoWinner() {
        let result = UniqueClaims.resolve([])
        #expect(result.winner == nil)
        #expect(result.losers.isEmpty)
    }

    @Test func aSingleClaimWins() {
        let only = Self.claim(F.storeA, 1, at: 1000, by: "O1")
        let result = UniqueClaims.resolve([only])
        #expect(result.winner == only)
        #expect(result.losers.isEmpty)
    }

    @Test func firstByStampWinsAndLosersAreKeptInStampOrder() {
        let early = Self.claim(F.storeB, 1, at: 1000, by: "O-B")
        let middle = Self.claim(F.storeA, 3, at: 2000, by: "O-A")
        let late = Self.claim(F.storeC, 2, at: 3000, by: "O-C")
        let result = UniqueClaims.resolve([late, early, middle])
        #expect(result.winner == early)
        #expect(result.losers == [middle, late])
    }

    @Test func equalClocksAreBrokenByOriginThenSeq() {
        let b = Self.claim(F.storeB, 1, at: 1000, by: "O-B")
        let a2 = Self.claim(F.storeA, 2, at: 1000, by: "O-A2")
        let a1 = Self.claim(F.storeA, 1, at: 1000, by: "O-A1")
        let result = UniqueClaims.resolve([b, a2, a1])
        #expect(result.winner == a1)
        #expect(result.losers == [a2, b])
    }

    @Test func theClaimIDDefaultsToTheClaimant() {
        let stamp = F.stamp(F.storeA, 1, at: 1000)
        #expect(UniqueClaim(key: "k", claimant: "O1", stamp: stamp, amount: 5).id == "O1")
        #expect(UniqueClaim(key: "k", id: "use-7", claimant: "O1", stamp: stamp, amount: 5).id == "use-7")
    }

    @Test func anyDeliveryOrderOfTheSameSetPicksTheSameWinner() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix64(seed: seed)
            var seqs: [NodeID: Int64] = [:]
            let claims = (0..<rng.int(0...12)).map { i in
                let origin = rng.pick(F.nodes)
                seqs[origin, default: 0] += 1
                return Self.claim(
                    origin, seqs[origin, default: 0], at: rng.int64(1000...1003), by: "O\(i)",
                    amount: rng.int64(1...500))
            }
            let expected = UniqueClaims.resolve(claims)
            #expect(expected.winner?.stamp == claims.map(\.stamp).min(), "seed \(seed)")
            #expect(expected.losers.count == max(0, claims.count - 1), "seed \(seed)")
            let delivered = uniqued(withDuplicates(claims, using: &rng)) { $0.stamp.changeID }
            for order in deliveryOrders(of: delivered, shuffles: 6, using: &rng) {
                let got = UniqueClaims.resolve(order)
                #expect(got.winner == expected.winner, "seed \(seed)")
                #expect(got.losers == expected.losers, "seed \(seed)")
            }
        }
    }
}
