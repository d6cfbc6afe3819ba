/// One entry of a balance ledger (points, stored value, commission).
public struct LedgerEntry: Sendable, Equatable {
    public var id: String
    public var stamp: ChangeStamp
    public var delta: Int64

    public init(id: String, stamp: ChangeStamp, delta: Int64) {
        self.id = id
        self.stamp = stamp
        self.delta = delta
    }
}

/// What replaying a ledger found: the derived balance and every debit that overdrew it.
public struct LedgerOutcome: Sendable, Equatable {
    public var balance: Int64
    /// Debits that took the running balance below zero, with the shortfall each caused.
    public var overdrafts: [(entry: LedgerEntry, shortfall: Int64)]

    public static func == (a: LedgerOutcome, b: LedgerOutcome) -> Bool {
        a.balance == b.balance && a.overdrafts.map(\.entry) == b.overdrafts.map(\.entry)
            && a.overdrafts.map(\.shortfall) == b.overdrafts.map(\.shortfall)
    }
}

/// The ledger rule: entries commute, the balance is their sum. Replaying them in
/// (hlc, origin, seq) order finds every debit that overdrew the account (for example the same
/// points spent at two offline stores): the shortfall is a recorded member debt, never a
/// silent floor at zero.
///
/// The arithmetic is checked: a running balance that would leave 64 bits throws
/// ``ArithmeticOverflow`` (the batch carrying the entry is refused), never traps.
public enum LedgerReplay {
    public static func replay(_ entries: [LedgerEntry], account: String = "ledger") throws(ArithmeticOverflow)
        -> LedgerOutcome
    {
        var balance: Int64 = 0
        var overdrafts: [(LedgerEntry, Int64)] = []
        var seen = Set<ChangeStamp>()
        for e in entries.sorted(by: { $0.stamp < $1.stamp }) where seen.insert(e.stamp).inserted {
            balance = try Checked.add(balance, e.delta, "the \(account) balance after entry \(e.id)")
            if e.delta < 0 && balance < 0 {
                let owed = try Checked.negate(balance, "the \(account) shortfall after entry \(e.id)")
                overdrafts.append((e, min(owed, try Checked.negate(e.delta, "entry \(e.id)"))))
            }
        }
        return LedgerOutcome(balance: balance, overdrafts: overdrafts)
    }
}

/// One claim on a unique key (a single-use coupon, a phone number, a referral code).
public struct UniqueClaim: Sendable, Equatable {
    public var key: String
    /// The claim's own id (unique per key).
    public var id: String
    /// Who claimed: an order, a member.
    public var claimant: String
    public var stamp: ChangeStamp
    /// What the claim is worth (the coupon's discount in fen), to report leakage.
    public var amount: Int64

    public init(key: String, id: String? = nil, claimant: String, stamp: ChangeStamp, amount: Int64) {
        self.key = key
        self.id = id ?? claimant
        self.claimant = claimant
        self.stamp = stamp
        self.amount = amount
    }
}

/// First claim by (hlc, origin, seq) wins; later claims are kept (the sale happened) and
/// flagged with the amount that leaked.
public enum UniqueClaims {
    public static func resolve(_ claims: [UniqueClaim]) -> (winner: UniqueClaim?, losers: [UniqueClaim]) {
        let sorted = claims.sorted { $0.stamp < $1.stamp }
        guard let first = sorted.first else { return (nil, []) }
        return (first, Array(sorted.dropFirst()))
    }
}
