import Commerce
import Replication
import Storage

/// Commission per level, distributor or month: earned, reversed, and where the net stands
/// (pending, frozen in the after-sale window, available), plus what was paid out.
public struct CommissionReportRow: Sendable, Equatable, Codable {
    public var key: String
    public var orders: Int64
    public var earned_cents: Int64
    public var reversed_cents: Int64
    public var net_cents: Int64
    public var pending_cents: Int64
    public var frozen_cents: Int64
    public var available_cents: Int64
    /// Withdrawals paid out (per distributor and per month of payout; nil per level, since a
    /// payout is not made per level).
    public var paid_out_cents: Int64?
}

/// A distributor ranked by net commission, with their level-1 sales (orders created in the
/// same window).
public struct TopDistributor: Sendable, Equatable, Codable {
    public var distributor: String
    public var net_cents: Int64
    public var orders: Int64
    public var sales_cents: Int64
}

extension Distribution {
    public static let commissionReportDimensions = CommissionReportDimension.allCases.map(\.rawValue)

    /// Commission grouped by `level`, `distributor` or `month` (month the order was paid, in
    /// the node's reporting time zone), for orders paid in [from, to). Needs `see_reports`.
    public func commissionReport(
        by dimension: CommissionReportDimension, from: Int64? = nil, to: Int64? = nil, now: Int64? = nil
    )
        throws(NodeError) -> [CommissionReportRow]
    {
        let dimension = dimension.rawValue
        if let from, let to, from >= to {
            throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)")
        }
        let now = now ?? store.wallNow()
        let offset = try dayOffsetMillis()
        func month(_ millis: Int64) -> String { NodeCalendar.reportMonth(millis, offset: offset) }
        return try read(.seeReports) { r in
            var rows: [String: CommissionReportRow] = [:]
            var orders: [String: Set<String>] = [:]
            let disputed = try Self.ordersWithOpenRefundRequests(r)
            for e in try r.commissionEntries() {
                let paidAt = e.paidAt ?? 0
                if let from, paidAt < from { continue }
                if let to, paidAt >= to { continue }
                let key: String
                switch dimension {
                case "level": key = "L\(e.level)"
                case "distributor": key = e.distributor
                default: key = month(paidAt)
                }
                var row = rows[key] ?? Self.emptyReportRow(key, paidOut: dimension == "level" ? nil : 0)
                let earn = e.earnCents, reversed = e.reversedCents
                row.earned_cents += earn
                row.reversed_cents += reversed
                row.net_cents += earn - reversed
                let state = Self.commissionState(
                    completedAt: e.completedAt, windowDays: e.windowDays, disputed: disputed.contains(e.order),
                    now: now)
                switch state.status {
                case "available": row.available_cents += earn - reversed
                case "frozen": row.frozen_cents += earn - reversed
                default: row.pending_cents += earn - reversed
                }
                orders[key, default: []].insert(e.order)
                rows[key] = row
            }
            if dimension != "level" {
                for w in try Self.withdrawals(of: nil, r) where w.status == "paid" {
                    let paidAt = try r.register(WithdrawalRegister.self, w.id)?.at[.paid] ?? 0
                    if let from, paidAt < from { continue }
                    if let to, paidAt >= to { continue }
                    let key = dimension == "distributor" ? w.distributor : month(paidAt)
                    var row = rows[key] ?? Self.emptyReportRow(key, paidOut: 0)
                    row.paid_out_cents = (row.paid_out_cents ?? 0) + w.amount_cents
                    rows[key] = row
                }
            }
            return rows.values.map { row in
                var row = row
                row.orders = Int64(orders[row.key]?.count ?? 0)
                return row
            }.sorted { $0.key < $1.key }
        }
    }

    static func emptyReportRow(_ key: String, paidOut: Int64?) -> CommissionReportRow {
        CommissionReportRow(
            key: key, orders: 0, earned_cents: 0, reversed_cents: 0, net_cents: 0, pending_cents: 0, frozen_cents: 0,
            available_cents: 0, paid_out_cents: paidOut)
    }

    /// The distributors with the most net commission on orders paid in [from, to); ties by id.
    public func topDistributors(limit: Int = 10, from: Int64? = nil, to: Int64? = nil) throws(NodeError)
        -> [TopDistributor]
    {
        guard (1...1000).contains(limit) else { throw NodeError(.invalidInput, "\(Field.limit) must be 1…1000") }
        let byDistributor = try commissionReport(by: .distributor, from: from, to: to)
        return try read { r in
            var top: [TopDistributor] = []
            for row in byDistributor where row.orders > 0 {
                let sales = try r.distributorSales(row.key, in: OrderWindow(from: from, to: to)).cents
                top.append(
                    TopDistributor(
                        distributor: row.key, net_cents: row.net_cents, orders: row.orders, sales_cents: sales))
            }
            return Array(top.sorted { ($1.net_cents, $0.distributor) < ($0.net_cents, $1.distributor) }.prefix(limit))
        }
    }
}
