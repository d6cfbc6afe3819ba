import Commerce
import Replication
import Storage

/// A withdrawal as listed.
public struct WithdrawalView: Sendable, Equatable, Codable {
    public var id: String
    public var distributor: String
    /// The amount asked for.
    public var amount_cents: Int64
    public var fee_cents: Int64
    /// `deducted` (the fee comes out of the amount) or `on_top` (records made before fee modes).
    public var fee_mode: WithdrawalFeeMode
    /// What left the balance: the amount, plus the fee when it was on top.
    public var debited_cents: Int64
    /// What the distributor is paid: the amount, minus the fee when it was deducted.
    public var received_cents: Int64
    public var method: String
    public var status: String
    public var reference: String?
    public var reason: String?
}

extension Distribution {
    static func withdrawals(of distributor: String?, _ r: StoreReader) throws -> [WithdrawalView] {
        try r.registers(.withdrawal).map { try Self.withdrawalView($0.id, $0.fields) }.filter {
            distributor == nil || $0.distributor == distributor
        }
    }

    /// A withdrawal register as shown. A record without `fee_mode` predates fee modes: its fee
    /// was on top of the amount.
    static func withdrawalView(_ id: String, _ f: Fields) throws -> WithdrawalView {
        let w = try WithdrawalRegister(fields: f)
        let split = w.split
        return WithdrawalView(
            id: id, distributor: w.distributor ?? "?", amount_cents: split.amount,
            fee_cents: split.fee, fee_mode: split.mode, debited_cents: split.debited, received_cents: split.received,
            method: w.method?.rawValue ?? "?", status: w.status?.rawValue ?? "?", reference: w.reference,
            reason: w.reason)
    }

    /// Requests a withdrawal under head office's rules (`withdraw rules`; by default at least
    /// ¥10, bank transfer 1 % but at least ¥1, third-party payment 0.6 %, stored value and
    /// cash at a store free). By default the fee comes out of the amount, so the whole available
    /// balance can be withdrawn; with `withdraw rules --fee-mode on-top` it is added to it.
    public func requestWithdrawal(distributor: String, amount m: Money, method: WithdrawalMethod) throws(NodeError)
        -> WithdrawalView
    {
        let rules = try withdrawalRules()
        guard m.cents >= rules.min_cents else {
            throw NodeError(
                .invalidInput, "the withdrawal \(Field.amount) \(m) must be at least \(Money(cents: rules.min_cents))")
        }
        let split = rules.split(amount: m.cents, method: method)
        guard split.received > 0 else {
            throw NodeError(
                .invalidInput,
                "the \(method.rawValue) fee \(Money(cents: split.fee)) takes all of \(Money(cents: m.cents)); withdraw a larger \(Field.amount) or choose another \(Field.method)"
            )
        }
        let d = try find(distributor)
        guard d.status == "active" else {
            throw NodeError(.conflict, "distributor \(distributor) is \(d.status); only active distributors withdraw")
        }
        let account = try commissionAccount(distributor)
        guard account.balance_cents >= split.debited else {
            let asked =
                split.mode == .onTop
                ? "\(Money(cents: m.cents)) + fee \(Money(cents: split.fee)) is more"
                : "\(Money(cents: m.cents)) is more"
            throw NodeError(.conflict, "available balance is \(Money(cents: account.balance_cents)); \(asked)")
        }
        return try write(.manageMembers, "withdrawal.request") { tx in
            let id = tx.newID("WD")
            let request = WithdrawalRegister(
                distributor: distributor, amount: m, fee: Money(cents: split.fee), feeMode: split.mode, method: method,
                status: .requested, at: [.requested: tx.nowMillis])
            try tx.emit(request, entity: id, scope: .global)
            return try Self.withdrawalView(id, try tx.flushed().register(.withdrawal, id) ?? [:])
        }
    }

    /// Moves a withdrawal: approve/reject (head office), then paid/failed. Paying to stored
    /// value credits the distributor's own wallet in the same transaction; a store may record
    /// only cash payouts.
    public func settleWithdrawal(id: String, to next: WithdrawalStep, reference: String?, reason: String?)
        throws(NodeError)
        -> WithdrawalView
    {
        let status = next.rawValue
        let allowed: [String: [String]] = ["requested": ["approved", "rejected"], "approved": ["paid", "failed"]]
        return try write { tx in
            guard let f = try tx.reader.register(.withdrawal, id) else {
                throw NodeError(.notFound, "no withdrawal \(id)")
            }
            let method = try WithdrawalRegister(fields: f).method
            let cashAtStore = identity.role == .store && status == "paid" && method == .cash
            if let user = try check(cashAtStore ? .sell : .approveWithdrawals, tx.reader) {
                try audit(&tx, user: user, action: "withdrawal.\(status)", subject: id)
            }
            let w = try Self.withdrawalView(id, f)
            guard allowed[w.status]?.contains(status) == true,
                let nextStatus = WithdrawalRegister.Status(rawValue: status)
            else {
                throw NodeError(.conflict, "withdrawal \(id) is \(w.status); it cannot become \(status)")
            }
            if identity.role == .store && !(status == "paid" && w.method == "cash") {
                throw NodeError(.wrongRole, "head office approves withdrawals; a store records only cash payouts")
            }
            try tx.emit(
                WithdrawalRegister.step(nextStatus, atMillis: tx.nowMillis, reference: reference, reason: reason),
                entity: id, scope: .global)
            if status == "paid" && w.method == "stored_value" {
                let member = try Self.requireDistributor(w.distributor, tx.reader).member
                try tx.emit(
                    MemberLedgerChange(
                        member: member, account: .wallet, delta: w.received_cents, reason: "commission withdrawal",
                        ref: id),
                    entity: "WL-\(id)", scope: .global)
            }
            return try Self.withdrawalView(id, try tx.flushed().register(.withdrawal, id) ?? [:])
        }
    }

    public func withdrawals(distributor: String? = nil) throws(NodeError) -> [WithdrawalView] {
        try read { r in try Self.withdrawals(of: distributor, r) }
    }
}
