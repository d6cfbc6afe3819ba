import Commerce
import Foundation
import Replication
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("12", Int64(1200)), ("12.5", 1250), ("12.50", 1250), ("-3.05", -305), ("0.05", 5), ("0", 0), ("-0.5", -50),
        (" 7.1 ", 710), ("0012.00", 1200), ("999999999.99", 99_999_999_999),
    ])
    func parsesYuanAmounts(text: String, cents: Int64) throws {
        let money = try #require(Money(parsing: text))
        #expect(money.cents == cents)
    }

    @Test(arguments: [
        "12.505", "1e3", "", "abc", "12.", ".5", "-", "+5", "1,000", "12.5.0", "１２", "--3", "- 3", "12 .5", "12.-5",
        "¥12", "12元", "0x10", "10000000000000", "1.2e1", "NaN", " ",
    ])
    func refusesAnythingElse(text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test(arguments: [
        (Int64(1250), "12.50"), (-305, "-3.05"), (5, "0.05"), (-5, "-0.05"), (0, "0.00"), (100, "1.00"),
        (1999, "19.99"),
        (Int64.min, "-92233720368547758.08"),
    ])
    func formatsWithTwoDecimals(cents: Int64, yuan: String) {
        let money = Money(cents: cents)
        #expect(money.yuan == yuan)
        #expect(money.description == "¥" + yuan)
    }

    @Test func formattingParsesBack() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let cents = rng.int64(-10_000_000...10_000_000)
            #expect(Money(parsing: Money(cents: cents).yuan)?.cents == cents, "\(cents)")
        }
    }

    @Test func arithmeticAndOrdering() {
        let a = Money(cents: 1250)
        let b = Money(cents: 305)
        #expect((a + b).cents == 1555)
        #expect((a - b).cents == 945)
        #expect((b * 3).cents == 915)
        #expect(b < a)
        #expect(Money.zero.cents == 0)
    }

    @Test func codableRoundTrip() throws {
        let money = Money(cents: -305)
        #expect(try JSONDecoder().decode(Money.self, from: JSONEncoder().encode(money)) == money)
    }
}
