import Commerce
import Foundation
import Node
import Storage

/// The dashboard's figures, read through the use cases as the signed-in user; a panel the
/// user's role may not see is nil (and not shown).
struct ConsoleDashboard: Sendable {
    /// Sales per store for one window (today, this week, this month).
    struct Window: Sendable {
        var key: String
        var from: Int64
        var rows: [SalesRow]
    }

    /// One store's sync state as head office sees it.
    struct StoreSync: Sendable, Equatable {
        var store: String
        var lastSync: Int64?
        var waiting: Int64
        var clockOffsetMillis: Int64?
        var blocked: Bool
        var silent: Bool
    }

    var windows: [Window]?
    var daily: [(day: String, cents: Int64)]?
    var stores: [StoreSync]?
    var conflictsByRule: [(rule: String, count: Int)]?
    var applications: Int?
    var withdrawals: Int?
    var refundRequests: Int?
    /// SKUs below their low-stock threshold (for roles that manage stock).
    var lowStock: [StockAlert]?

    /// Reads the dashboard at `now` (ms) for `node` acting as the console user.
    static func read(_ signed: ConsoleRequest, now: Int64, silentAfterMillis: Int64) throws(NodeError)
        -> ConsoleDashboard
    {
        let node = signed.node
        var d = ConsoleDashboard()
        if signed.may(.seeReports) {
            let bounds = try ConsoleCalendar(offsetMillis: node.dayOffsetMillis(), now: now)
            d.windows = try [("today", bounds.today), ("week", bounds.week), ("month", bounds.month)].map {
                (key, from) throws(NodeError) in
                Window(key: key, from: from, rows: try node.reports.sales(by: .all, from: from))
            }
            let days = try node.reports.sales(by: .day, from: bounds.today - 13 * 86_400_000)
            let stores = Set(days.map(\.store))
            d.daily = bounds.lastDays(14).map { day in
                (
                    day,
                    days.filter { $0.period == day && (stores.count > 1 ? $0.store == "*" : true) }.reduce(0) {
                        $0 + $1.net_cents
                    }
                )
            }
            d.stores = try node.sync.peers().filter { $0.role == "store" && !$0.revoked }.map { p in
                let last = [p.last_push, p.last_pull].compactMap { $0 }.max()
                return StoreSync(
                    store: p.node, lastSync: last, waiting: p.lag, clockOffsetMillis: p.clock_offset_ms,
                    blocked: p.blocked != nil, silent: last.map { now - $0 > silentAfterMillis } ?? true)
            }
        }
        if signed.may(.resolveConflicts) {
            let open = try node.sync.conflicts(status: .open)
            d.conflictsByRule = Dictionary(grouping: open, by: \.rule).map { ($0.key, $0.value.count) }.sorted {
                $0.rule < $1.rule
            }
        }
        if signed.may(.approveDistributors) { d.applications = try node.distribution.list(status: .applied).count }
        if signed.may(.approveWithdrawals) {
            d.withdrawals = try node.distribution.withdrawals().filter {
                $0.status == "requested" || $0.status == "approved"
            }.count
        }
        if signed.may(.refund) { d.refundRequests = try node.orders.refundRequests(status: .requested).count }
        if signed.may(.manageStock) { d.lowStock = try node.inventory.alerts() }
        return d
    }
}

/// Day, ISO week and month boundaries at the node's UTC offset (Asia/Shanghai unless set).
struct ConsoleCalendar: Sendable {
    static let dayMillis: Int64 = 86_400_000
    let offset: Int64
    let today: Int64
    let week: Int64
    let month: Int64

    init(offsetMillis: Int64, now: Int64) {
        offset = offsetMillis
        let localDay = (now + offsetMillis).floorDiv(Self.dayMillis)
        today = localDay * Self.dayMillis - offsetMillis
        // 1970-01-01 was a Thursday: Monday is 3 days before a day whose (d + 3) % 7 == 0.
        let weekday = ((localDay + 3) % 7 + 7) % 7
        week = (localDay - weekday) * Self.dayMillis - offsetMillis
        let date = CivilDate(days: localDay)
        month = (localDay - (date.day - 1)) * Self.dayMillis - offsetMillis
    }

    /// The last `n` days, oldest first, as the report's `YYYY-MM-DD` periods.
    func lastDays(_ n: Int) -> [String] {
        (0..<n).reversed().map { back in
            let start = today - Int64(back) * Self.dayMillis
            return CivilDate(days: (start + offset).floorDiv(Self.dayMillis)).text
        }
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
