import Testing

@testable import Storage

/// Minted ids keep the text they always had (`PREFIX-NODE-<hlc base 36><4 digits>`).
@Suite struct MintedIDTests {
    /// How the id was written before `MintedID`: five strings.
    static func reference(_ prefix: String, _ node: String, _ stamp: Int64, _ tail: UInt32) -> String {
        let digits = String(tail, radix: 36, uppercase: true)
        return "\(prefix)-\(node)-\(String(stamp, radix: 36, uppercase: true))"
            + String(repeating: "0", count: 4 - digits.count) + digits
    }

    @Test func theTextIsTheOneTheFiveStringsGave() {
        var rng = SystemRandomNumberGenerator()
        let edges: [(Int64, UInt32)] = [(0, 0), (1, 1), (35, 35), (36, 36), (Int64.max, UInt32(MintedID.tails - 1))]
        for (stamp, tail) in edges {
            #expect(
                MintedID.text(prefix: "O", node: "s01", stamp: stamp, tail: tail)
                    == Self.reference("O", "s01", stamp, tail))
        }
        for _ in 0..<2_000 {
            let stamp = Int64.random(in: 0...Int64.max, using: &rng)
            let tail = UInt32.random(in: 0..<UInt32(MintedID.tails), using: &rng)
            #expect(
                MintedID.text(prefix: "PAY", node: "store-7", stamp: stamp, tail: tail)
                    == Self.reference("PAY", "store-7", stamp, tail))
        }
    }

    @Test func tailsStayBelowFourDigitsAndVary() {
        let tails = (0..<10_000).map { _ in MintedID.nextTail() }
        #expect(tails.allSatisfy { UInt64($0) < MintedID.tails })
        #expect(Set(tails).count > 9_900, "a random stream repeats a few of 1.68 M values in 10,000 draws")
    }
}
