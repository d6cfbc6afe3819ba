/// A sum or product of money, quantities or points that does not fit in 64 bits. Every such
/// computation on replicated values goes through ``Checked``, so a hostile or corrupted
/// value is refused with this error (the batch or use case writes nothing) instead of
/// trapping and taking the node down.
public struct ArithmeticOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being computed, e.g. "points balance of member M1".
    public var what: String

    public init(_ what: String) { self.what = what }

    public var message: String {
        "\(what) does not fit in 64 bits (a value far beyond any business bound); nothing applied"
    }
    public var description: String { message }
}

/// Overflow-checked arithmetic for money (fen), quantities and points.
public enum Checked {
    /// `a + b`, or ``ArithmeticOverflow`` naming `what`.
    @inlinable
    public static func add(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ArithmeticOverflow)
        -> Int64
    {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// `a - b`, or ``ArithmeticOverflow`` naming `what`.
    @inlinable
    public static func subtract(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ArithmeticOverflow)
        -> Int64
    {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// `a × b`, or ``ArithmeticOverflow`` naming `what`.
    @inlinable
    public static func multiply(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ArithmeticOverflow)
        -> Int64
    {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// The sum of `values`, or ``ArithmeticOverflow`` naming `what`.
    @inlinable
    public static func sum<S: Sequence>(_ values: S, _ what: @autoclosure () -> String) throws(ArithmeticOverflow)
        -> Int64
    where S.Element == Int64 {
        var total: Int64 = 0
        for v in values {
            let (r, o) = total.addingReportingOverflow(v)
            if o { throw ArithmeticOverflow(what()) }
            total = r
        }
        return total
    }

    /// `-a`, or ``ArithmeticOverflow`` for `Int64.min`.
    @inlinable
    public static func negate(_ a: Int64, _ what: @autoclosure () -> String) throws(ArithmeticOverflow) -> Int64 {
        guard a != .min else { throw ArithmeticOverflow(what()) }
        return -a
    }
}
