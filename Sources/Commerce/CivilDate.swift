/// A date of the proleptic Gregorian calendar, converted to and from days since 1970-01-01 with
/// Howard Hinnant's algorithms (exact for every `Int64` day a node can meet, no `Calendar`, no
/// time zone database): report days, scheduled prices, log timestamps and the console's dates
/// all count days the same way.
public struct CivilDate: Sendable, Hashable {
    public let year: Int64
    public let month: Int64
    public let day: Int64

    /// The date `days` after 1970-01-01 (before it when negative).
    public init(days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The date, or nil when it does not exist (month 13, 30 February, day 0).
    public init?(year: Int64, month: Int64, day: Int64) {
        guard (1...12).contains(month), (-1_000_000...1_000_000).contains(year) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[Int(month - 1)]).contains(day) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// `YYYY-MM-DD` (four digits or more for the year), or nil when the text is anything else.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var days: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2026-12-02`.
    public var text: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// `n` with leading zeros to `width` digits.
    public static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The day (since 1970-01-01) holding the instant `millis` at a UTC offset, and the
    /// milliseconds into that day.
    public static func split(_ millis: Int64, offsetMillis: Int64 = 0) -> (days: Int64, millisOfDay: Int64) {
        let local = millis + offsetMillis
        var days = local / 86_400_000
        var rest = local % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        return (days, rest)
    }
}
