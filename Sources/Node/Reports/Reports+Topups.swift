import Replication
import Storage

/// One top-up of stored value, as the store that took the money recorded it.
public struct TopupEntry: Sendable, Equatable, Codable {
    /// The ledger entry id.
    public var id: String
    public var member: String
    public var amount_cents: Int64
    /// How the money came in: `cash`, or `card:`/`wallet:`/`qrpay:<transaction reference>`;
    /// nil for a top-up that names no payment (written before payments were required).
    public var payment: String?
    /// When (ms since 1970, the store's clock).
    public var at: Int64
}

/// The top-ups one store took: what head office reconciles against the store's cash and
/// card settlements (`fenxiao report topups`).
public struct TopupStoreReport: Sendable, Equatable, Codable {
    public var store: String
    public var count: Int
    /// Stored value issued against money taken.
    public var total_cents: Int64
    /// That total per payment method (`cash`, `card`, `wallet`, `qrpay`, `none`).
    public var by_method: [String: Int64]
    /// Bonus stored value head office's tiers added on top (no money behind it).
    public var bonus_cents: Int64
    /// Top-ups that name no payment: nothing to reconcile them against (flagged).
    public var without_payment: Int
    public var topups: [TopupEntry]
}

extension Reports {
    /// Per store, the stored-value top-ups it took with their payment references and totals,
    /// from the ledger this node holds (every store's at central). There is no till count in
    /// the data, so cash is reconciled by comparing `by_method["cash"]` with the till.
    public func topups(store: String? = nil) throws(NodeError) -> [TopupStoreReport] {
        try read { r in
            var reports: [String: TopupStoreReport] = [:]
            let rows = try r.topupEntries()
            for row in rows {
                let origin = row.origin
                if let store, store != origin { continue }
                var report =
                    reports[origin]
                    ?? TopupStoreReport(
                        store: origin, count: 0, total_cents: 0, by_method: [:], bonus_cents: 0, without_payment: 0,
                        topups: [])
                let delta = row.delta
                if row.reason == "topup_bonus" {
                    report.bonus_cents = try Checked.add(report.bonus_cents, delta, "top-up bonuses of \(origin)")
                } else {
                    let payment = row.ref
                    let method = payment.map { String($0.split(separator: ":", maxSplits: 1).first ?? "") } ?? "none"
                    report.count += 1
                    report.total_cents = try Checked.add(report.total_cents, delta, "top-ups of \(origin)")
                    report.by_method[method] = try Checked.add(
                        report.by_method[method] ?? 0, delta, "top-ups of \(origin)")
                    if payment == nil { report.without_payment += 1 }
                    report.topups.append(
                        TopupEntry(
                            id: row.id, member: row.member, amount_cents: delta, payment: payment, at: row.atMillis))
                }
                reports[origin] = report
            }
            return reports.values.sorted { $0.store < $1.store }
        }
    }
}
