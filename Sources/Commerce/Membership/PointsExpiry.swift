/// Points expiry as a pure function of the points ledger: every credit is a lot that expires
/// a number of days after it was earned — the days the expiry rule gave when it was earned
/// (``Schedule``): changing the rule later never shortens, lengthens or revives a lot already
/// earned. Every debit (redemption, exchange, claw-back) consumes the oldest lots still valid
/// at the debit's time, first in, first out. A debit larger than the valid lots leaves a debt
/// that later credits pay off first. Because it depends only on the merged ledger, the rule's
/// history and the time asked about, every node computes the same balance.
///
/// The walk is a ``State`` advanced entry by entry, so a prefix of the ledger can be replaced
/// by the state it leaves (a folded ledger continues exactly where the entries stopped).
public enum PointsExpiry {
    public struct Entry: Sendable, Equatable {
        /// When the entry was written (milliseconds since the epoch).
        public var at: Int64
        /// A tie-breaker for entries written in the same millisecond (the entry id).
        public var id: String
        public var delta: Int64

        public init(at: Int64, id: String, delta: Int64) {
            self.at = at
            self.id = id
            self.delta = delta
        }
    }

    /// The expiry rule over time: from each step's moment on, points earned expire after its
    /// `days` (nil: never). Before the first step points never expire.
    public struct Schedule: Sendable, Equatable {
        public struct Step: Sendable, Equatable {
            /// From when (ms since the epoch) the step applies to points earned.
            public var from: Int64
            /// Days until points earned from `from` on expire; nil = never.
            public var days: Int64?

            public init(from: Int64, days: Int64?) {
                self.from = from
                self.days = days
            }
        }

        /// Steps, ordered by `from` (the initialiser sorts them).
        public private(set) var steps: [Step]

        public init(_ steps: [Step]) { self.steps = steps.sorted { $0.from < $1.from } }

        /// One rule for every point ever earned (nil: points never expire).
        public static func always(_ days: Int64?) -> Schedule {
            Schedule(days.map { [Step(from: .min, days: $0)] } ?? [])
        }

        /// Days until a lot earned at `at` expires (nil: never).
        public func days(earnedAt at: Int64) -> Int64? { steps.last { $0.from <= at }?.days }

        /// Whether no point, earned whenever, can ever expire under this schedule.
        public var neverExpires: Bool { steps.allSatisfy { $0.days == nil } }
    }

    /// Where the walk over the ledger stands after some entries.
    public struct State: Sendable, Equatable {
        /// Unspent lots, oldest first: what is left of each and when it expires (nil: never).
        public var lots: [(left: Int64, expires: Int64?)]
        /// Points spent beyond the valid lots, paid off by the next credits.
        public var debt: Int64
        /// Points that expired unused.
        public var expired: Int64

        public init(lots: [(left: Int64, expires: Int64?)] = [], debt: Int64 = 0, expired: Int64 = 0) {
            self.lots = lots
            self.debt = debt
            self.expired = expired
        }

        public static func == (a: State, b: State) -> Bool {
            a.debt == b.debt && a.expired == b.expired && a.lots.count == b.lots.count
                && zip(a.lots, b.lots).allSatisfy { $0.left == $1.left && $0.expires == $1.expires }
        }

        /// Lots that expired by `time` go to `expired`, oldest first.
        mutating func expire(upTo time: Int64) {
            var kept: [(left: Int64, expires: Int64?)] = []
            for lot in lots {
                if let expires = lot.expires, expires <= time { expired += lot.left } else { kept.append(lot) }
            }
            lots = kept
        }

        /// Applies the entries (sorted by time, then id, the ledger's order) to the state.
        public mutating func advance(over entries: [Entry], schedule: Schedule) {
            for e in entries {
                expire(upTo: e.at)
                if e.delta >= 0 {
                    let paid = min(debt, e.delta)
                    debt -= paid
                    if e.delta > paid {
                        let life = schedule.days(earnedAt: e.at).map { e.at + $0 * 86_400_000 }
                        lots.append((e.delta - paid, life))
                    }
                } else {
                    var need = -e.delta
                    while need > 0, !lots.isEmpty {
                        let take = min(need, lots[0].left)
                        lots[0].left -= take
                        need -= take
                        if lots[0].left == 0 { lots.removeFirst() }
                    }
                    debt += need
                }
            }
        }

        /// The status at `now`, with nothing more than this state.
        public func status(now: Int64) -> Status {
            var s = self
            s.expire(upTo: now)
            let valid = s.lots.reduce(0) { $0 + $1.left }
            let soon = s.lots.filter { ($0.expires ?? .max) <= now + 30 * 86_400_000 }.reduce(0) { $0 + $1.left }
            return Status(available: valid - s.debt, expired: s.expired, expiring_soon: soon)
        }
    }

    public struct Status: Sendable, Equatable, Codable {
        /// Points that can be spent now (negative: a recorded debt).
        public var available: Int64
        /// Points that expired unused.
        public var expired: Int64
        /// Of `available`, how many expire within the next 30 days.
        public var expiring_soon: Int64

        public init(available: Int64, expired: Int64, expiring_soon: Int64) {
            self.available = available
            self.expired = expired
            self.expiring_soon = expiring_soon
        }
    }

    /// The entries in the ledger's order (time, then id), those after `now` left out.
    public static func ordered(_ entries: [Entry], upTo now: Int64) -> [Entry] {
        entries.filter { $0.at <= now }.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }

    /// The status at `now` under `schedule`, starting from `state` (a folded prefix, or nothing).
    public static func status(of entries: [Entry], schedule: Schedule, now: Int64, from state: State = State())
        -> Status
    {
        var s = state
        s.advance(over: ordered(entries, upTo: now), schedule: schedule)
        return s.status(now: now)
    }

    /// The status at `now` when one rule applies to every point ever earned (nil: never expire).
    public static func status(of entries: [Entry], expiryDays: Int64?, now: Int64) -> Status {
        status(of: entries, schedule: .always(expiryDays), now: now)
    }
}
