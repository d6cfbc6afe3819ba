/// A day of the year, `MM-DD` (a birthday without its year).
public struct MonthDay: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1…12.
    public let month: Int
    /// 1…31 (29 for February: a leap-day birthday is a day of the year too).
    public let day: Int

    /// A valid month and day, or nil.
    public init?(month: Int, day: Int) {
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day) else { return nil }
        self.month = month
        self.day = day
    }

    /// `11-26`, or nil.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 5, parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let m = Int(parts[0]), let d = Int(parts[1])
        else { return nil }
        self.init(month: m, day: d)
    }

    /// `MM-DD`, as a birthday (`YYYY-MM-DD` or `MM-DD`) ends.
    public var description: String { (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)" }
}
