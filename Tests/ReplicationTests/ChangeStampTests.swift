import FenxiaoTesting
import Testing

@testable import Replication

@Suite struct ChangeStampTests {
    typealias F = Fixture

    @Test func ordersByClockFirst() {
        #expect(F.stamp(F.storeB, 1, at: 1000) < F.stamp(F.storeA, 9, at: 1001))
        #expect(F.stamp(F.storeB, 9, at: 1000, 1) > F.stamp(F.storeA, 1, at: 1000, 0))
    }

    @Test func equalClocksAreOrderedByOriginThenSeq() {
        #expect(F.stamp(F.storeA, 9, at: 1000) < F.stamp(F.storeB, 1, at: 1000))
        #expect(F.stamp(F.storeA, 1, at: 1000) < F.stamp(F.storeA, 2, at: 1000))
    }

    @Test func distinctChangesNeverCompareEqual() {
        let stamps = [
            F.stamp(F.storeA, 1, at: 1000), F.stamp(F.storeA, 2, at: 1000), F.stamp(F.storeB, 1, at: 1000),
            F.stamp(F.storeB, 1, at: 1000, 1),
        ]
        for (i, a) in stamps.enumerated() {
            for (j, b) in stamps.enumerated() where i != j {
                #expect((a < b) != (b < a), "\(a) vs \(b)")
            }
        }
    }

    @Test func changeIDIsOriginSlashSeq() {
        let s = F.stamp(F.storeA, 42, at: 1000, 3)
        #expect(s.changeID == "store-a/42")
        #expect(s.description == "store-a/42@1000.3")
    }
}
