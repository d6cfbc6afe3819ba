import Commerce
import Foundation
import Testing

/// `CivilDate` against Foundation's Gregorian calendar in UTC over random days (from 1583 on:
/// Foundation switches to the Julian calendar before the 1582 reform, we stay proleptic), and
/// its refusals.
@Suite struct CivilDateTests {
    @Test func daysRoundTripAndAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var rng = SystemRandomNumberGenerator()
        for days in [-719_468, -1, 0, 1, 10_957, 11_016, 20_789, 2_932_896]
            + (0..<2_000).map({ _ in
                Int64.random(in: -800_000...2_900_000, using: &rng)
            })
        {
            let date = CivilDate(days: Int64(days))
            #expect(date.days == Int64(days))
            guard date.year >= 1583 else { continue }
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect([date.year, date.month, date.day] == [parts.year, parts.month, parts.day].map { Int64($0 ?? 0) })
            if date.year <= 9999 { #expect(CivilDate(text: date.text) == date) }
        }
    }

    @Test func impossibleDatesAndMalformedTextAreRefused() {
        for text in [
            "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-01", "2026-04-1", "２０２６-01-01",
            "+026-01-01", "2026-01-01T", "", "2026/01/01",
        ] {
            #expect(CivilDate(text: text) == nil, "\(text)")
        }
        #expect(CivilDate(text: "2024-02-29")?.days == 19_782)
        #expect(CivilDate(text: "1970-01-01")?.days == 0)
    }

    @Test func anInstantSplitsIntoItsLocalDayAndTime() {
        // 2026-12-02 23:30 UTC is 2026-12-03 07:30 in Shanghai.
        let millis = (CivilDate(text: "2026-12-02")!.days * 86_400 + 23 * 3600 + 30 * 60) * 1000
        let (days, rest) = CivilDate.split(millis, offsetMillis: 8 * 3_600_000)
        #expect(CivilDate(days: days).text == "2026-12-03" && rest == (7 * 3600 + 30 * 60) * 1000)
        let (before, into) = CivilDate.split(-1)
        #expect(CivilDate(days: before).text == "1969-12-31" && into == 86_399_999)
    }
}
