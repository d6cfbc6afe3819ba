import Commerce
import Replication
import Storage

/// A distributor's performance from the merged data.
public struct DistributorPerformance: Sendable, Equatable, Codable {
    public var distributor: String
    /// Paid minus refunded on orders where they were level 1.
    public var sales_cents: Int64
    public var orders: Int64
    /// Customers bound to them.
    public var customers: Int64
    /// Distributors they invited.
    public var team: Int64
}

/// One month of a distributor's statement.
public struct StatementMonth: Sendable, Equatable, Codable {
    public var month: String
    public var earned_cents: Int64
    public var reversed_cents: Int64
    public var withdrawn_cents: Int64
}

extension Distribution {
    public func performance(of id: String) throws(NodeError) -> DistributorPerformance {
        try read { r in
            _ = try Self.requireDistributor(id, r)
            let sales = try r.distributorSales(id)
            let customers = try r.registers(.binding).filter {
                try BindingRegister(fields: $0.fields).distributor == id
            }.count
            let team = try r.registers(.distributor).filter { try DistributorRegister(fields: $0.fields).inviter == id }
                .count
            return DistributorPerformance(
                distributor: id, sales_cents: sales.cents, orders: sales.orders,
                customers: Int64(customers), team: Int64(team))
        }
    }

    /// Commission earned, reversed and withdrawn per month (months of payment, Asia/Shanghai).
    public func monthlyStatement(of id: String) throws(NodeError) -> [StatementMonth] {
        let offset = try dayOffsetMillis()
        return try read { r in
            _ = try Self.requireDistributor(id, r)
            var months: [String: StatementMonth] = [:]
            func month(_ millis: Int64) -> String { NodeCalendar.reportMonth(millis, offset: offset) }
            for row in try r.commissionEntries(distributor: id) {
                let m = month(row.paidAt ?? 0)
                var s = months[m] ?? StatementMonth(month: m, earned_cents: 0, reversed_cents: 0, withdrawn_cents: 0)
                s.earned_cents += row.earnCents
                s.reversed_cents += row.reversedCents
                months[m] = s
            }
            for register in try r.registers(.withdrawal) {
                let w = try WithdrawalRegister(fields: register.fields)
                guard w.distributor == id, let status = w.status, status != .rejected, status != .failed else {
                    continue
                }
                let m = month(w.at[.requested] ?? 0)
                var s = months[m] ?? StatementMonth(month: m, earned_cents: 0, reversed_cents: 0, withdrawn_cents: 0)
                s.withdrawn_cents += w.split.debited
                months[m] = s
            }
            return months.values.sorted { $0.month < $1.month }
        }
    }
}
