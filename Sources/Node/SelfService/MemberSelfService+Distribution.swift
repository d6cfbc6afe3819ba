import Commerce
import Replication
import Storage
import Synchronization

/// A distributor's own figures in the mall, the same numbers `fenxiao distributor account`,
/// `statement` and the console show: their distributor record is always the signed-in member's.
public struct MyDistributorOverview: Sendable, Equatable {
    public var distributor: DistributorView
    public var account: CommissionAccount
    /// Commission (net of reversals) on orders paid today and this month (reporting time zone).
    public var today_cents: Int64
    public var month_cents: Int64
    /// Earned over all time, reversals deducted.
    public var lifetime_cents: Int64
}

/// One row of a distributor's commission ledger in the mall.
public struct MyCommission: Sendable, Equatable {
    public var entry: CommissionView
    /// pending, frozen, available, or reversed (the whole commission was taken back).
    public var state: String
    /// The reasons of the order's refunds when some commission was reversed.
    public var reasons: [String]
    /// The order was sold at a store and its completion has not reached head office yet.
    public var awaitingStoreSync: Bool
}

/// A customer or team member in a distributor's list.
public struct MyTeamRow: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Orders (not pending, not cancelled) where the distributor was level 1, and their paid −
    /// refunded amount: for a customer, the customer's orders; for a team member, their sales.
    public var orders: Int64
    public var amount_cents: Int64
    /// When they were bound (customers) or applied (team).
    public var joined_at: Int64?
}

/// How a team list is sorted: only these keys, anything else is the default (joined, newest first).
public enum MyTeamSort: String, Sendable, CaseIterable {
    case joined, orders, amount

    /// The key asked for, or `.joined` for anything else (never passed to SQL).
    public init(query: String?) { self = query.flatMap(MyTeamSort.init(rawValue:)) ?? .joined }
}

/// A distributor's customers (bound to them) and team (level 1: invited by them; level 2:
/// invited by their level 1).
public struct MyTeam: Sendable, Equatable {
    public var customers: [MyTeamRow]
    public var level1: [MyTeamRow]
    public var level2: [MyTeamRow]
}

/// One month of the statement, with the number of orders that earned commission in it.
public struct MyStatement: Sendable, Equatable {
    public var month: StatementMonth
    public var orders: Int64
    /// Months that have entries, newest first (for the month picker).
    public var months: [String]
}

/// What a withdrawal would be, before it is confirmed.
public struct WithdrawalPreview: Sendable {
    public var amount_cents: Int64
    public var method: WithdrawalMethod
    public var fee_cents: Int64
    public var fee_mode: WithdrawalFeeMode
    /// What leaves the balance and what the distributor receives.
    public var debited_cents: Int64
    public var received_cents: Int64
    public var minimum_cents: Int64
    public var balance_cents: Int64
    /// Why it would be refused (nil: it can be confirmed).
    public var refusal: NodeError?
    /// A fingerprint of the balance's history: a confirm made on an older preview is refused,
    /// so submitting the same confirm twice withdraws once.
    public var state: String
}

extension MemberSelfService {
    /// The member's own distributor record, or nil before they apply.
    public func myDistributor() throws(NodeError) -> DistributorView? {
        do {
            let d = try node.distribution.find(member)
            try requireOwn(d.member, "distributor \(d.id)")
            return d
        } catch  where error.code == .notFound {
            return nil
        }
    }

    /// The member applies to become a distributor (channels 1–100 characters, experience at
    /// most 500, an inviter's referral code optional).
    public func applyAsDistributor(channels: String, experience: String?, inviterCode: String?) throws(NodeError)
        -> DistributorView
    {
        let channels = channels.trimmed
        guard (1...100).contains(channels.count) else {
            throw NodeError(.invalidInput, "\(Field.channels) must be 1–100 characters")
        }
        let experience = experience?.trimmed
        guard (experience?.count ?? 0) <= 500 else {
            throw NodeError(.invalidInput, "\(Field.experience) must be at most 500 characters")
        }
        let inviter = inviterCode?.trimmed
        if let inviter, !inviter.isEmpty, inviter.utf8.count > 64 || SKUCode(inviter) == nil {
            throw NodeError(.invalidInput, "\(Field.inviter) must be a referral code such as RC-M1")
        }
        return try node.distribution.apply(
            member: member, channels: channels, experience: experience?.isEmpty == false ? experience : nil,
            inviterCode: inviter?.isEmpty == false ? inviter : nil)
    }

    /// The member's own active distributor record (refused before approval).
    func myActiveDistributor() throws(NodeError) -> DistributorView {
        guard let d = try myDistributor() else {
            throw NodeError(.notFound, "you are not a distributor; apply first")
        }
        guard d.status == DistributorRegister.Status.active.rawValue || d.status == "frozen" else {
            throw NodeError(.conflict, "your application is \(d.status); the distributor pages open once approved")
        }
        return d
    }

    /// The promotion centre's figures as of `now` (default: the node's clock).
    public func distributorOverview(now: Int64? = nil) throws(NodeError) -> MyDistributorOverview {
        let d = try myActiveDistributor()
        let now = now ?? node.store.wallNow()
        let account = try node.distribution.commissionAccount(d.id, now: now)
        let offset = try node.dayOffsetMillis()
        let entries = try node.read { r in try r.commissionEntries(distributor: d.id) }
        let today = NodeCalendar.shanghaiDay(now - NodeCalendar.shanghaiOffsetMillis + offset)
        let month = NodeCalendar.reportMonth(now, offset: offset)
        var todayCents: Int64 = 0
        var monthCents: Int64 = 0
        var lifetime: Int64 = 0
        for e in entries {
            let net = e.earnCents - e.reversedCents
            lifetime += net
            let paid = e.paidAt ?? 0
            if NodeCalendar.reportMonth(paid, offset: offset) == month { monthCents += net }
            if NodeCalendar.shanghaiDay(paid - NodeCalendar.shanghaiOffsetMillis + offset) == today {
                todayCents += net
            }
        }
        return MyDistributorOverview(
            distributor: d, account: account, today_cents: todayCents, month_cents: monthCents,
            lifetime_cents: lifetime)
    }

    /// The commission ledger as of `now`: the account's entries with a state each (the whole
    /// commission taken back is `reversed`), the refund reasons of reversed orders, and whether a
    /// pending store sale waits for that store's sync.
    public func myCommissions(now: Int64? = nil) throws(NodeError) -> (CommissionAccount, [MyCommission]) {
        let d = try myActiveDistributor()
        let account = try node.distribution.commissionAccount(d.id, now: now)
        let here = node.identity.node.rawValue
        let rows = try node.read { r in
            try account.entries.map { e -> MyCommission in
                let order = try r.order(e.order)
                let reasons =
                    e.reversed_cents > 0 ? (order?.refunds ?? []).compactMap { $0.reason }.filter { !$0.isEmpty } : []
                let fully = e.reversed_cents > 0 && e.net_cents <= 0
                let store = order?.store
                return MyCommission(
                    entry: e, state: fully ? "reversed" : e.status, reasons: reasons,
                    awaitingStoreSync: e.status == "pending" && store != nil && store != here)
            }
        }
        return (account, rows.reversed())
    }

    /// The member's customers and team, sorted by `sort` (largest first; joined: newest first).
    public func myTeam(sort: MyTeamSort) throws(NodeError) -> MyTeam {
        let d = try myActiveDistributor()
        return try node.read { r in
            func name(_ id: String) throws -> String {
                (try r.register(MemberRegister.self, id)?.name).flatMap { $0 } ?? id
            }
            var customers: [MyTeamRow] = []
            let spent = try r.customerSpend(ofDistributor: d.id)
            for register in try r.registers(.binding) {
                let b = try BindingRegister(fields: register.fields)
                guard b.distributor == d.id else { continue }
                let s = spent[register.id] ?? (0, 0)
                customers.append(
                    MyTeamRow(
                        id: register.id, name: try name(register.id), orders: s.0, amount_cents: s.1,
                        joined_at: b.boundAtMillis))
            }
            let all = try r.registers(.distributor).map { ($0.id, try DistributorRegister(fields: $0.fields)) }
            func invited(by ids: Set<String>) throws -> [MyTeamRow] {
                try all.filter { $0.1.inviter.map(ids.contains) ?? false }.map { id, reg in
                    let sales = try r.distributorSales(id)
                    return MyTeamRow(
                        id: id, name: try name(reg.member ?? id), orders: sales.orders, amount_cents: sales.cents,
                        joined_at: reg.appliedAtMillis)
                }
            }
            let level1 = try invited(by: [d.id])
            let level2 = try invited(by: Set(level1.map(\.id)))
            func sorted(_ rows: [MyTeamRow]) -> [MyTeamRow] {
                rows.sorted { a, b in
                    switch sort {
                    case .orders: return (a.orders, b.id) > (b.orders, a.id)
                    case .amount: return (a.amount_cents, b.id) > (b.amount_cents, a.id)
                    case .joined: return (a.joined_at ?? 0, b.id) > (b.joined_at ?? 0, a.id)
                    }
                }
            }
            return MyTeam(customers: sorted(customers), level1: sorted(level1), level2: sorted(level2))
        }
    }

    /// One month (`YYYY-MM`, default this month) of the monthly statement
    /// (``Distribution/monthlyStatement(of:)``) with its order count.
    public func myStatement(month wanted: String?) throws(NodeError) -> MyStatement {
        let d = try myActiveDistributor()
        let offset = try node.dayOffsetMillis()
        let month = wanted ?? NodeCalendar.reportMonth(node.store.wallNow(), offset: offset)
        guard Self.isMonth(month) else {
            throw NodeError(.invalidInput, "\(Field.month) must be a month such as 2026-05")
        }
        let months = try node.distribution.monthlyStatement(of: d.id)
        let entries = try node.read { r in try r.commissionEntries(distributor: d.id) }
        let orders = Set(
            entries.filter { NodeCalendar.reportMonth($0.paidAt ?? 0, offset: offset) == month }.map(\.order))
        let row =
            months.first { $0.month == month }
            ?? StatementMonth(month: month, earned_cents: 0, reversed_cents: 0, withdrawn_cents: 0)
        return MyStatement(month: row, orders: Int64(orders.count), months: months.map(\.month).reversed())
    }

    static func isMonth(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 7, u[4] == UInt8(ascii: "-"),
            u.enumerated().allSatisfy({ $0.offset == 4 || (48...57).contains($0.element) })
        else { return false }
        let m = Int(s.suffix(2)) ?? 0
        return (1...12).contains(m)
    }

    /// The member's own withdrawals, newest first.
    public func myWithdrawals() throws(NodeError) -> [WithdrawalView] {
        let d = try myActiveDistributor()
        return try node.distribution.withdrawals(distributor: d.id).reversed()
    }

    /// What withdrawing `amount` by `method` would cost and pay, and whether it would be refused
    /// (below the minimum, a fee taking it all, more than the balance, a frozen distributor).
    public func previewWithdrawal(amount: Money, method: WithdrawalMethod) throws(NodeError) -> WithdrawalPreview {
        let d = try myActiveDistributor()
        let rules = try node.distribution.withdrawalRules()
        let account = try node.distribution.commissionAccount(d.id)
        let split = rules.split(amount: amount.cents, method: method)
        var refusal: NodeError?
        if amount.cents < rules.min_cents {
            refusal = NodeError(
                .invalidInput,
                "the withdrawal \(Field.amount) \(amount) must be at least \(Money(cents: rules.min_cents))")
        } else if split.received <= 0 {
            refusal = NodeError(
                .invalidInput,
                "the \(method.rawValue) fee \(Money(cents: split.fee)) takes all of \(amount); withdraw a larger \(Field.amount) or choose another \(Field.method)"
            )
        } else if d.status != "active" {
            refusal = NodeError(.conflict, "distributor \(d.id) is \(d.status); only active distributors withdraw")
        } else if account.balance_cents < split.debited {
            refusal = NodeError(
                .conflict, "available balance is \(Money(cents: account.balance_cents)); \(amount) is more")
        }
        let history = try node.distribution.withdrawals(distributor: d.id).map(\.id).joined(separator: ",")
        return WithdrawalPreview(
            amount_cents: amount.cents, method: method, fee_cents: split.fee, fee_mode: split.mode,
            debited_cents: split.debited, received_cents: split.received, minimum_cents: rules.min_cents,
            balance_cents: account.balance_cents, refusal: refusal,
            state: Tokens.hash("\(member)|\(amount.cents)|\(method.rawValue)|\(history)"))
    }

    /// Requests the withdrawal previewed with `state`: refused (nothing withdrawn) when a
    /// withdrawal was made since that preview, so a repeated confirm withdraws once.
    public func requestWithdrawal(amount: Money, method: WithdrawalMethod, state: String) throws(NodeError)
        -> WithdrawalView
    {
        let d = try myActiveDistributor()
        return try Self.withdrawalLock.withLock { _ throws(NodeError) -> WithdrawalView in
            let preview = try previewWithdrawal(amount: amount, method: method)
            guard preview.state == state else {
                throw NodeError(.conflict, "this withdrawal was already submitted; see your withdrawals below")
            }
            if let refusal = preview.refusal { throw refusal }
            return try node.distribution.requestWithdrawal(distributor: d.id, amount: amount, method: method)
        }
    }

    /// Serializes a confirm's check and its withdrawal, so two confirms of one preview arriving
    /// together still withdraw once.
    static let withdrawalLock = Mutex(())

    /// Binds the member to the distributor of `code` when head office binds by referral code;
    /// false when the rule, the lock or the code does not allow it (nothing changes).
    @discardableResult
    public func bindByReferral(code: String) throws(NodeError) -> Bool {
        guard try node.distribution.distributionSettings().bindsByCode,
            let d = try node.distribution.activeReferral(code: code), d.member != member
        else { return false }
        do {
            _ = try node.distribution.bindCustomer(member: member, referralCode: code)
            return true
        } catch  where error.code == .conflict || error.code == .invalidInput {
            return false
        }
    }
}

extension Distribution {
    /// The active distributor whose referral code is `code`, or nil (unknown, malformed or not
    /// active): a link landing checks this before remembering the code.
    public func activeReferral(code: String) throws(NodeError) -> DistributorView? {
        guard !code.isEmpty, code.utf8.count <= 64, SKUCode(code) != nil else { return nil }
        return try read { r in
            guard
                let found = try r.registers(.distributor).first(where: {
                    try DistributorRegister(fields: $0.fields).referralCode == code
                })
            else { return nil }
            let d = try Self.distributorView(found.id, found.fields)
            return d.status == DistributorRegister.Status.active.rawValue ? d : nil
        }
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension Field {
    /// `channels`: where a distributor applicant promotes (the mall's apply form).
    static let channels: Field = "channels"
    /// `experience`: an applicant's selling experience.
    static let experience: Field = "experience"
    /// `inviter`: the referral code of the distributor who invited an applicant.
    static let inviter: Field = "inviter"
    /// `month`: a statement month, `YYYY-MM`.
    static let month: Field = "month"
}

extension MemberSelfService {
    /// Head office's withdrawal rules (minimum, fees, fee mode), as the withdraw page states them.
    public func withdrawalRules() throws(NodeError) -> WithdrawalRules { try node.distribution.withdrawalRules() }
}
