import Commerce
import Replication
import Storage

/// One row of the payments report: a period's money by one payment method at one store.
public struct PaymentMethodRow: Sendable, Equatable, Codable {
    public var period: String
    /// The store, or `*` for all stores together (when several appear).
    public var store: String
    /// `cash`, `card`, `wechat`, `alipay`, `stored`, `wallet` or `qrpay`.
    public var method: String
    /// Payments taken by this method (each part of a split payment counts once).
    public var payments: Int64
    public var paid_cents: Int64
    /// Refunds that gave money back by this method (a refund goes back by the original
    /// payments, so a refund of a split-paid order may count under two methods).
    public var refunds: Int64
    public var refunded_cents: Int64
    /// `paid_cents - refunded_cents`.
    public var net_cents: Int64
}

extension Reports {
    /// The sales report split by payment method: per period, store and method, what was paid
    /// and what refunds gave back (shown separately, and netted). Orders count in the period
    /// they were sold in, as in ``sales(by:store:from:to:)``, so for every period and store the
    /// methods' `paid_cents` add up to its `revenue_cents` and their `refunded_cents` to its
    /// `refunds_cents` (a refund beyond what was paid, made twice offline, is capped there and
    /// shown in full here: its conflict record says who recovers it).
    public func payments(by period: ReportPeriod = .day, store: String? = nil, from: Int64? = nil, to: Int64? = nil)
        throws(NodeError) -> [PaymentMethodRow]
    {
        if let from, let to, from >= to {
            throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)")
        }
        let offset = try dayOffsetMillis()
        let bucket: SalesBucket
        switch period {
        case .day, .week: bucket = .day
        case .month: bucket = .month
        case .year: bucket = .year
        case .all: bucket = .all
        }
        let window = OrderWindow(store: store, from: from, to: to)
        var rows = try read(.seeReports) { r in
            try r.paymentMethodTotals(by: bucket, offsetMillis: offset, in: window).map { t in
                PaymentMethodRow(
                    period: period == .week ? NodeCalendar.isoWeek(t.firstAt, offset: offset) : t.period,
                    store: t.store, method: t.method, payments: t.payments, paid_cents: t.paid, refunds: t.refunds,
                    refunded_cents: t.refunded, net_cents: t.paid - t.refunded)
            }
        }
        if period == .week { rows = Self.merged(rows) }
        // All stores together per period and method ("*"), when several stores appear.
        guard Set(rows.map(\.store)).count > 1 else { return rows }
        return rows
            + Self.merged(
                rows.map {
                    var r = $0; r.store = "*"; return r
                })
    }

    /// Rows with the same period, store and method added together, sorted.
    static func merged(_ rows: [PaymentMethodRow]) -> [PaymentMethodRow] {
        var sums: [String: PaymentMethodRow] = [:]
        for r in rows {
            let key = "\(r.period)|\(r.store)|\(r.method)"
            guard var s = sums[key] else {
                sums[key] = r
                continue
            }
            s.payments += r.payments
            s.paid_cents += r.paid_cents
            s.refunds += r.refunds
            s.refunded_cents += r.refunded_cents
            s.net_cents += r.net_cents
            sums[key] = s
        }
        return sums.values.sorted { ($0.period, $0.store, $0.method) < ($1.period, $1.store, $1.method) }
    }
}
