/// The bounds on clocks and stamps (sync/PROTOCOL.md §3.1).
///
/// - `maxOffsetMillis` (default 5 minutes): how far past its wall clock a node lets a
///   received stamp move its hybrid clock, and how far ahead of central's wall clock a
///   register write may be stamped before central dates it by its arrival instead
///   (a `clock_clamp`, §3.2).
/// - `refuseAheadMillis` (default 7 days): a pushed stamp further ahead of central's wall
///   clock than this is refused (400): no sale happens a week in the future, and such a stamp
///   would delay every time-based rule computed from it. Between the two bounds a change is
///   accepted (the sale happened) but cannot win a register by its clock.
/// - `floorMillis` (2020-01-01T00:00:00Z): a pushed stamp before it is refused (negative,
///   zero or a dead-battery 1970 clock).
public struct ClockBound: Sendable, Equatable, Codable {
    public var maxOffsetMillis: Int64
    public var refuseAheadMillis: Int64
    public var floorMillis: Int64

    public static let defaultMaxOffsetMillis: Int64 = 5 * 60 * 1000
    public static let defaultRefuseAheadMillis: Int64 = 7 * 24 * 3600 * 1000
    /// 2020-01-01T00:00:00Z.
    public static let defaultFloorMillis: Int64 = 1_577_836_800_000

    public init(
        maxOffsetMillis: Int64 = ClockBound.defaultMaxOffsetMillis,
        refuseAheadMillis: Int64 = ClockBound.defaultRefuseAheadMillis,
        floorMillis: Int64 = ClockBound.defaultFloorMillis
    ) {
        self.maxOffsetMillis = min(max(0, maxOffsetMillis), 365 * 24 * 3600 * 1000)
        self.refuseAheadMillis = max(self.maxOffsetMillis, min(refuseAheadMillis, 100 * 365 * 24 * 3600 * 1000))
        self.floorMillis = floorMillis
    }

    public static let standard = ClockBound()

    /// The highest stamp a node whose (trusted) wall clock reads `wallMillis` may adopt.
    public func ceiling(wallMillis: Int64) -> HLC {
        let (sum, overflow) = wallMillis.addingReportingOverflow(maxOffsetMillis)
        return HLC(wallMillis: overflow ? HLC.maxWallMillis : sum, counter: 0xFFFF)
    }

    /// Whether a write stamped `hlc` arriving when central's wall clock reads `wallMillis` is
    /// ahead of the bound, so central dates it by its arrival (§3.2).
    public func isAhead(_ hlc: HLC, wallMillis: Int64) -> Bool { hlc > ceiling(wallMillis: wallMillis) }

    /// Why central refuses a pushed stamp, or nil when it is within
    /// `[floor, central's wall clock + refuseAhead]`.
    public func refusal(_ hlc: HLC, wallMillis: Int64) -> String? {
        if hlc.rawValue < 0 || hlc.wallMillis < floorMillis {
            return
                "its clock stamp \(hlc.rawValue) is before 2020-01-01 (the sending computer's clock is wrong or the value is forged)"
        }
        let (limit, overflow) = wallMillis.addingReportingOverflow(refuseAheadMillis)
        if !overflow, hlc.wallMillis > limit {
            let days = (hlc.wallMillis - wallMillis) / 86_400_000
            return
                "its clock stamp is \(days) days ahead of central's clock (at most \(refuseAheadMillis / 86_400_000) days are accepted); set the store's clock right"
        }
        return nil
    }
}
