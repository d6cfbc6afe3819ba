/// Points expiry as a pure function of the points ledger: every credit is a lot that expires
/// `expiryDays` after it was earned; every debit (redemption, exchange, claw-back) consumes the
/// oldest lots still valid at the debit's time, first in, first out. A debit larger than the
/// valid lots leaves a debt that later credits pay off first. Because it depends only on the
/// merged ledger and the time asked about, every node computes the same balance.
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

    /// The status at `now`. With `expiryDays` nil points never expire.
    public static func status(of entries: [Entry], expiryDays: Int64?, now: Int64) -> Status {
        guard let expiryDays else {
            return Status(
                available: entries.filter { $0.at <= now }.reduce(0) { $0 + $1.delta }, expired: 0, expiring_soon: 0)
        }
        let life = expiryDays * 86_400_000
        var lots: [(expires: Int64, left: Int64)] = []
        var debt: Int64 = 0
        var expired: Int64 = 0
        /// Lots that expired by `time` go to `expired`, in order (they are sorted by expiry).
        func expire(upTo time: Int64) {
            while let first = lots.first, first.expires <= time {
                expired += first.left
                lots.removeFirst()
            }
        }
        for e in entries.filter({ $0.at <= now }).sorted(by: { ($0.at, $0.id) < ($1.at, $1.id) }) {
            expire(upTo: e.at)
            if e.delta >= 0 {
                let paid = min(debt, e.delta)
                debt -= paid
                if e.delta > paid { lots.append((e.at + life, e.delta - paid)) }
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
        expire(upTo: now)
        let valid = lots.reduce(0) { $0 + $1.left }
        let soon = lots.filter { $0.expires <= now + 30 * 86_400_000 }.reduce(0) { $0 + $1.left }
        return Status(available: valid - debt, expired: expired, expiring_soon: soon)
    }
}
