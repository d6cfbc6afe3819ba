import Commerce
import FenxiaoTesting
import Replication
import Testing

/// Points expiry: first in, first out, deterministic in the entries' order of arrival.
@Suite struct PointsExpiryTests {
    static let day: Int64 = 86_400_000

    static func entry(_ day: Int64, _ delta: Int64, _ id: String = "") -> PointsExpiry.Entry {
        PointsExpiry.Entry(at: day * Self.day, id: id.isEmpty ? "e\(day)\(delta)" : id, delta: delta)
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var entries: [PointsExpiry.Entry]
        var expiryDays: Int64?
        var nowDay: Int64
        var available: Int64
        var expired: Int64
    }

    static let cases: [Case] = [
        Case(
            description: "no expiry: the plain sum", entries: [entry(0, 100), entry(400, -30)], expiryDays: nil,
            nowDay: 900, available: 70, expired: 0),
        Case(
            description: "a lot expires unused", entries: [entry(0, 100)], expiryDays: 365, nowDay: 365, available: 0,
            expired: 100),
        Case(
            description: "the day before expiry it is still there", entries: [entry(0, 100)], expiryDays: 365,
            nowDay: 364, available: 100, expired: 0),
        Case(
            description: "spending takes the oldest lot first",
            entries: [entry(0, 100), entry(200, 50), entry(300, -120)],
            expiryDays: 365, nowDay: 400, available: 30, expired: 0),
        Case(
            description: "what the spend left of the old lot expires, the new lot stays",
            entries: [entry(0, 100), entry(200, 50), entry(300, -60)], expiryDays: 365, nowDay: 370, available: 50,
            expired: 40),
        Case(
            description: "a spend after expiry cannot use expired points: a debt",
            entries: [entry(0, 100), entry(400, -30)], expiryDays: 365, nowDay: 400, available: -30, expired: 100),
        Case(
            description: "a later credit pays the debt first",
            entries: [entry(0, 100), entry(400, -30), entry(410, 50)], expiryDays: 365, nowDay: 420, available: 20,
            expired: 100),
        Case(
            description: "entries after now do not count", entries: [entry(0, 100), entry(10, 50)], expiryDays: nil,
            nowDay: 5, available: 100, expired: 0),
    ]

    @Test(arguments: cases)
    func status(_ c: Case) {
        let s = PointsExpiry.status(of: c.entries, expiryDays: c.expiryDays, now: c.nowDay * Self.day)
        #expect(s.available == c.available)
        #expect(s.expired == c.expired)
    }

    @Test func expiringSoonCountsLotsEndingWithinThirtyDays() {
        let s = PointsExpiry.status(
            of: [Self.entry(0, 100), Self.entry(100, 40)], expiryDays: 365, now: 350 * Self.day)
        #expect(s.available == 140)
        #expect(s.expiring_soon == 100)
    }

    @Test(arguments: propertySeeds.prefix(50))
    func arrivalOrderNeverChangesTheResult(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let entries = (0..<20).map { i in
            PointsExpiry.Entry(at: Int64(rng.int(0...800)) * Self.day, id: "e\(i)", delta: Int64(rng.int(-80...120)))
        }
        let expected = PointsExpiry.status(of: entries, expiryDays: 180, now: 900 * Self.day)
        for _ in 0..<5 {
            #expect(
                PointsExpiry.status(of: entries.shuffled(using: &rng), expiryDays: 180, now: 900 * Self.day) == expected
            )
        }
    }

    @Test func eachLotKeepsTheRuleItWasEarnedUnder() {
        let schedule = PointsExpiry.Schedule([
            .init(from: 100 * Self.day, days: nil), .init(from: 0, days: 30), .init(from: 200 * Self.day, days: 10),
        ])
        #expect(schedule.steps.map(\.from) == [0, 100 * Self.day, 200 * Self.day], "sorted by when they apply")
        let entries = [Self.entry(50, 100), Self.entry(150, 40), Self.entry(250, 7)]
        let s = PointsExpiry.status(of: entries, schedule: schedule, now: 1000 * Self.day)
        #expect(s.expired == 107, "30 days for the first lot, 10 for the last")
        #expect(s.available == 40, "earned while expiry was off: never expires")
        #expect(!schedule.neverExpires)
        #expect(PointsExpiry.Schedule([.init(from: 5, days: nil)]).neverExpires)
        #expect(PointsExpiry.Schedule([]).days(earnedAt: 0) == nil, "before the first step: never")
    }

    /// A folded ledger continues exactly: the state after any prefix, advanced over the rest,
    /// gives the status of the whole ledger, at every moment asked about.
    @Test(arguments: propertySeeds.prefix(40))
    func aPrefixFoldedIntoItsStateContinuesExactly(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let entries = (0..<30).map { i in
            PointsExpiry.Entry(at: Int64(rng.int(0...900)) * Self.day, id: "e\(i)", delta: Int64(rng.int(-90...120)))
        }
        let schedule = PointsExpiry.Schedule(
            (0..<rng.int(0...3)).map { _ in
                PointsExpiry.Schedule.Step(
                    from: Int64(rng.int(0...900)) * Self.day, days: rng.int(0...2) == 0 ? nil : Int64(rng.int(5...400)))
            })
        let now = Int64(rng.int(0...1200)) * Self.day
        let ordered = PointsExpiry.ordered(entries, upTo: now)
        let cut = rng.int(0...ordered.count)
        var state = PointsExpiry.State()
        state.advance(over: Array(ordered.prefix(cut)), schedule: schedule)
        #expect(
            PointsExpiry.status(of: Array(ordered.dropFirst(cut)), schedule: schedule, now: now, from: state)
                == PointsExpiry.status(of: entries, schedule: schedule, now: now))
    }

    @Test(arguments: [
        (Int64(0), Int64(0)), (49_999, 0), (50_000, 5_000), (99_999, 5_000), (100_000, 12_000), (500_000, 12_000),
    ])
    func topupBonusTakesTheHighestTierReached(amount: Int64, bonus: Int64) {
        let tiers = [
            TopupBonus(threshold_cents: 100_000, bonus_cents: 12_000),
            TopupBonus(threshold_cents: 50_000, bonus_cents: 5_000),
        ]
        #expect(TopupBonus.bonus(for: amount, tiers: tiers) == bonus)
    }
}
