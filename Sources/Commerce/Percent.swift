/// A percentage with at most two decimals (`0.6`, `12.5`), held as basis points (0.6 % = 60).
public struct Percent: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Hundredths of a percent.
    public var basisPoints: Int64

    /// `basisPoints` hundredths of a percent.
    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    /// Parses a percentage typed by a person (`1`, `0.6`, `2.50`); more than two decimals or
    /// anything else is refused (nil).
    public init?(parsing text: String) {
        guard let m = Money(parsing: text) else { return nil }
        basisPoints = m.cents  // percent with two decimals = basis points
    }

    /// `0.60%`
    public var description: String { "\(Money(cents: basisPoints).yuan)%" }

    public static func < (a: Percent, b: Percent) -> Bool { a.basisPoints < b.basisPoints }
}

extension Percent: ExpressibleByIntegerLiteral {
    /// A whole percentage: `10` is 10 %.
    public init(integerLiteral percent: Int64) { basisPoints = percent * 100 }
}
