import Replication

/// The arithmetic of a shift's Z report: per method, what the drawer (or the card terminal, the
/// WeChat Pay and Alipay statements) should hold, from the shift's payments and refunds.
///
/// Cash expected = float + cash taken − cash given back + cash in − cash out. Every other method: taken − given back.
/// The difference is counted cash − expected cash (negative: the drawer is short).
public struct ZTotals: Sendable, Equatable {
    /// Fen per method (`cash`, `card`, `wechat`, …, and `points` in points).
    public var expected: [String: Int64]
    public var taken: [String: Int64]
    public var givenBack: [String: Int64]
    /// Cash put into the drawer during the shift (``CashMove``), fen.
    public var cashIn: Int64
    /// Cash taken out of the drawer during the shift, fen.
    public var cashOut: Int64

    /// Sums `payments` and `refunds` (method, fen) and the `cashMoves` on top of the cash `float`.
    public init(
        float: Money, payments: [(method: String, cents: Int64)], refunds: [(method: String, cents: Int64)],
        cashMoves: [CashMove] = []
    ) {
        var taken: [String: Int64] = [:]
        var back: [String: Int64] = [:]
        for p in payments { taken[p.method, default: 0] += p.cents }
        for r in refunds { back[r.method, default: 0] += r.cents }
        var expected: [String: Int64] = ["cash": float.cents]
        for (m, c) in taken { expected[m, default: 0] += c }
        for (m, c) in back { expected[m, default: 0] -= c }
        let cashIn = cashMoves.filter { $0.direction == .cashIn }.reduce(Int64(0)) { $0 + $1.amount.cents }
        let cashOut = cashMoves.filter { $0.direction == .cashOut }.reduce(Int64(0)) { $0 + $1.amount.cents }
        expected["cash", default: 0] += cashIn - cashOut
        self.cashIn = cashIn
        self.cashOut = cashOut
        self.expected = expected
        self.taken = taken
        self.givenBack = back
    }

    /// Counted cash − expected cash.
    public func cashDifference(counted: Money) -> Money { Money(cents: counted.cents - (expected["cash"] ?? 0)) }
}
