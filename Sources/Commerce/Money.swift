/// An amount of money in integer minor units (fen, 分). Never a floating-point number.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }
    public static let zero = Money(cents: 0)

    /// Parses a yuan amount typed by a person: `12`, `12.5`, `12.50`, `-3.05`.
    /// More than two decimals, exponents, more than 999,999,999 yuan, or anything else is
    /// refused (returns nil), so prices × quantities can never overflow.
    public init?(parsing text: String) {
        var s = Substring(text.trimmingWhitespace())
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let whole = parts.first, !whole.isEmpty,
            whole.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), whole.utf8.count <= 9
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.utf8.count <= 2, f.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let v = Int64(f)
            else { return nil }
            fraction = f.utf8.count == 1 ? v * 10 : v
        }
        guard let w = Int64(whole) else { return nil }
        let cents = w * 100 + fraction
        self.cents = negative ? -cents : cents
    }

    /// `¥12.50`
    public var description: String { "¥" + yuan }

    /// `12.50` (no currency sign).
    public var yuan: String {
        let sign = cents < 0 ? "-" : ""
        let a = cents.magnitude
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    public static func - (a: Money, b: Money) -> Money { Money(cents: a.cents - b.cents) }
    public static func * (a: Money, n: Int64) -> Money { Money(cents: a.cents * n) }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
