import FenxiaoTesting
import Foundation
import Replication
import Storage
import Testing

/// Seeds the random convergence property once found diverging; kept as fixed regressions.
@Suite struct ConvergenceRegressionTests {
    @Test(arguments: [712_463_868])
    func aSeedThatOnceDivergedConverges(seed: Int) throws {
        try withTempDirectory("conv-regression") { dir in
            var gen = HistoryGenerator(seed: UInt64(seed))
            let changes = gen.generate(steps: 120)
            var rng = SeededRandom(seed: UInt64(seed) &* 31 &+ 7)
            let (reference, held) = try ConvergenceTests.replay([changes], in: dir, name: "ref")
            #expect(held == changes.count)
            for k in 0..<12 {
                let (hash, count) = try ConvergenceTests.replay(
                    ConvergenceTests.delivery(changes, rng: &rng), in: dir, name: "p\(k)")
                #expect(hash == reference, "delivery \(k) of seed \(seed) diverged")
                #expect(count == changes.count)
            }
        }
    }
}
