/// Calendar helpers shared by the features: China Standard Time days, ISO weeks and report months.
enum NodeCalendar {
    /// `YYYY-MM-DD` in China Standard Time.
    static func shanghaiDay(_ millis: Int64) -> String {
        let days = Int((millis + shanghaiOffsetMillis) / 86_400_000)
        let (year, startOfYear) = civilYear(days)
        var dayOfYear = startOfYear
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var month = 1
        for l in lengths where dayOfYear >= l {
            dayOfYear -= l
            month += 1
        }
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(dayOfYear + 1 < 10 ? "0" : "")\(dayOfYear + 1)"
    }

    /// The month (`YYYY-MM`) of an instant in the node's reporting time zone.
    static func reportMonth(_ millis: Int64, offset: Int64) -> String {
        String(shanghaiDay(millis - shanghaiOffsetMillis + offset).prefix(7))
    }

    /// China Standard Time has no daylight saving: a fixed +8 h decides day boundaries by default.
    static let shanghaiOffsetMillis: Int64 = 8 * 3_600_000

    /// ISO 8601 week (`2026-W48`) of an instant, in China Standard Time.
    static func isoWeek(_ millis: Int64, offset: Int64 = shanghaiOffsetMillis) -> String {
        let days = Int((millis + offset) / 86_400_000)  // days since 1970-01-01 (a Thursday)
        let weekday = ((days + 3) % 7 + 7) % 7  // 0 = Monday
        let thursday = days - weekday + 3  // the Thursday of this ISO week decides its year
        let (year, dayOfYear) = civilYear(thursday)
        return "\(year)-W\(dayOfYear / 7 + 1 < 10 ? "0" : "")\(dayOfYear / 7 + 1)"
    }

    /// (year, 0-based day of year) of a day count since the epoch (proleptic Gregorian).
    static func civilYear(_ days: Int) -> (Int, Int) {
        var year = 1970
        var d = days
        func length(_ y: Int) -> Int { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365 }
        while d < 0 { year -= 1; d += length(year) }
        while d >= length(year) { d -= length(year); year += 1 }
        return (year, d)
    }
}
