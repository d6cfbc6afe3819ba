import ArgumentParser
import Commerce
import Foundation
import Node

struct CommissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commission", abstract: "Commission rules (versioned) and statements.",
        subcommands: [Define.self, Rules.self, List.self, Statement.self, Report.self, Top.self])

    struct Report: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract:
                "Commission earned, reversed, pending, frozen, available and paid out, per level, distributor or month."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "level, distributor or month.") var by = CommissionReportDimension.distributor
        @Option(help: "Orders paid from (2026-11-01, ISO 8601 or ms), inclusive.") var from: Instant?
        @Option(help: "Orders paid before (2026-11-01, ISO 8601 or ms), exclusive.") var to: Instant?
        func run(on node: FenxiaoNode) throws -> Listing<CommissionReportRow> {
            Listing(
                key: "rows", items: try node.distribution.commissionReport(by: by, from: from?.millis, to: to?.millis))
        }
        func human(_ rows: Listing<CommissionReportRow>) -> String {
            rows.items.map {
                "\($0.key)  \($0.orders) orders  earned \(yuan($0.earned_cents))  reversed \(yuan($0.reversed_cents))  pending \(yuan($0.pending_cents))  frozen \(yuan($0.frozen_cents))  available \(yuan($0.available_cents))\($0.paid_out_cents.map { "  paid out \(yuan($0))" } ?? "")"
            }.joined(separator: "\n")
        }
    }

    struct Top: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "top", abstract: "Top distributors by net commission.")
        @OptionGroup var common: CommonOptions
        @Option var limit = 10
        @Option(help: "Orders paid from (2026-11-01, ISO 8601 or ms), inclusive.") var from: Instant?
        @Option(help: "Orders paid before (2026-11-01, ISO 8601 or ms), exclusive.") var to: Instant?
        func run(on node: FenxiaoNode) throws -> Listing<TopDistributor> {
            Listing(
                key: "distributors",
                items: try node.distribution.topDistributors(limit: limit, from: from?.millis, to: to?.millis))
        }
        func human(_ rows: Listing<TopDistributor>) -> String {
            rows.items.enumerated().map {
                "\($0.offset + 1). \($0.element.distributor)  net \(yuan($0.element.net_cents))  \($0.element.orders) orders  sales \(yuan($0.element.sales_cents))"
            }
            .joined(separator: "\n")
        }
    }

    struct Define: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "define", abstract: "Central: publish a commission rule version.")
        @OptionGroup var common: CommonOptions
        @Option var id: String
        @Option(help: "Percent per level, e.g. 10,5 (default 2 levels; above 3 warns).") var levels:
            ListArgument<Percent>
        @Option(name: .customLong("window-days"), help: "After-sale window before commission is available.")
        var windowDays: Int64 = 7
        @Option(name: .customLong("effective-from"), help: "Milliseconds since the epoch (default: now).")
        var effectiveFrom: Int64?
        @Flag(name: .customLong("self-purchase")) var selfPurchase = false
        @Option(
            name: .customLong("override"),
            help: "KEY=RATES, e.g. sku:TEA-01=15,5 or category:Drinks=8 or group:gold=12,6.") var overrides: [String] =
                []
        @Option(name: .customLong("fixed-per-order"), help: "Yuan per order per level, added to the rate, e.g. 2,1.")
        var fixedPerOrder: ListArgument<Money>?
        @Option(name: .customLong("fixed-per-item"), help: "Yuan per item sold per level, e.g. 0.5,0.2.")
        var fixedPerItem: ListArgument<Money>?
        struct Out: Encodable {
            let id: String; let levels_bps: [Int64]; let fixed_per_order_cents: [Int64];
            let fixed_per_item_cents: [Int64]
            let effective_from: Int64; let window_days: Int64; let warnings: [String]
        }
        /// `--override KEY=RATES`, each parsed: `sku:TEA-01=15,5` → ["sku:TEA-01": [15 %, 5 %]].
        func overrideRates() throws -> [String: [Percent]] {
            var map: [String: [Percent]] = [:]
            for o in overrides {
                let parts = o.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let rates = ListArgument<Percent>(argument: String(parts[1])) else {
                    throw ValidationError("--override must be KEY=RATES, e.g. sku:TEA-01=15,5 (got \(o))")
                }
                map[String(parts[0])] = rates.values
            }
            return map
        }
        func validate() throws { _ = try overrideRates() }
        func run(on node: FenxiaoNode) throws -> Out {
            let (rule, warnings) = try node.distribution.defineCommissionRule(
                id: id, levels: levels.values, effectiveFrom: effectiveFrom, windowDays: windowDays,
                selfPurchase: selfPurchase,
                overrides: try overrideRates(), fixedPerOrder: fixedPerOrder?.values ?? [],
                fixedPerItem: fixedPerItem?.values ?? [])
            for w in warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            return Out(
                id: rule.id, levels_bps: rule.levels, fixed_per_order_cents: rule.fixedPerOrder,
                fixed_per_item_cents: rule.fixedPerItem,
                effective_from: rule.effectiveFrom, window_days: rule.windowDays, warnings: warnings)
        }
        func human(_ rule: Out) -> String {
            "rule \(rule.id): \(rule.levels_bps.map { "\(Double($0) / 100)%" }.joined(separator: " / ")), window \(rule.window_days) days"
        }
    }

    struct Rules: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules", abstract: "List commission rule versions.")
        @OptionGroup var common: CommonOptions
        struct Row: Encodable {
            let id: String; let levels_bps: [Int64]; let effective_from: Int64; let window_days: Int64
        }
        func run(on node: FenxiaoNode) throws -> Listing<Row> {
            Listing(
                key: "rules",
                items: try node.distribution.commissionRules().map {
                    Row(id: $0.id, levels_bps: $0.levels, effective_from: $0.effectiveFrom, window_days: $0.windowDays)
                })
        }
        func human(_ rules: Listing<Row>) -> String {
            rules.items.map {
                "\($0.id)  from \($0.effective_from)  \($0.levels_bps.map { "\(Double($0) / 100)%" }.joined(separator: " / "))"
            }
            .joined(separator: "\n")
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "A distributor's commission entries with their state.")
        @OptionGroup var common: CommonOptions
        @Argument var distributor: String
        func run(on node: FenxiaoNode) throws -> Listing<CommissionView> {
            Listing(key: "commissions", items: try node.distribution.commissionAccount(distributor).entries)
        }
        func human(_ entries: Listing<CommissionView>) -> String {
            entries.items.map {
                "\($0.order)  L\($0.level)  \(yuan($0.earn_cents))\($0.reversed_cents > 0 ? " - \(yuan($0.reversed_cents))" : "")  \($0.status)"
            }
            .joined(separator: "\n")
        }
    }

    struct Statement: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "statement",
            abstract: "A distributor's account: pending, frozen, available, withdrawn, balance.")
        @OptionGroup var common: CommonOptions
        @Argument var distributor: String
        struct Out: Encodable {
            let account: CommissionAccount; let withdrawals: [WithdrawalView]; let months: [StatementMonth]
        }
        func run(on node: FenxiaoNode) throws -> Out {
            Out(
                account: try node.distribution.commissionAccount(distributor),
                withdrawals: try node.distribution.withdrawals(distributor: distributor),
                months: try node.distribution.monthlyStatement(of: distributor))
        }
        func human(_ out: Out) -> String {
            let a = out.account
            return
                "pending \(yuan(a.pending_cents))  frozen \(yuan(a.frozen_cents))  available \(yuan(a.available_cents))  withdrawn \(yuan(a.withdrawn_cents))  balance \(yuan(a.balance_cents))"
        }
    }
}

struct WithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdrawals of commission: request, approve, reject, pay, fail, list.",
        subcommands: [Request.self, Approve.self, Reject.self, Pay.self, Fail.self, List.self, Rules.self])

    struct Rules: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Show or (central) change the minimum withdrawal and the fees per method.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Minimum amount in yuan (default 10).") var min: Money?
        @Option(name: .customLong("bank-fee-percent"), help: "Bank transfer fee (default 1).") var bankFeePercent:
            Percent?
        @Option(name: .customLong("bank-fee-min"), help: "Smallest bank fee in yuan (default 1).") var bankFeeMin:
            Money?
        @Option(name: .customLong("thirdparty-fee-percent"), help: "Third-party payment fee (default 0.6).")
        var thirdpartyFeePercent: Percent?
        @Option(
            name: .customLong("fee-mode"),
            help: "deducted: the fee comes out of the amount (default); on-top: it is added to it.")
        var feeMode: WithdrawalFeeMode?
        func run(on node: FenxiaoNode) throws -> WithdrawalRules {
            let change =
                min != nil || bankFeePercent != nil || bankFeeMin != nil || thirdpartyFeePercent != nil
                || feeMode != nil
            guard change else { return try node.distribution.withdrawalRules() }
            return try node.distribution.setWithdrawalRules(
                minimum: min, bankFeePercent: bankFeePercent, bankFeeMinimum: bankFeeMin,
                thirdpartyFeePercent: thirdpartyFeePercent,
                feeMode: feeMode)
        }
        func human(_ r: WithdrawalRules) -> String {
            let mode = r.fee_mode == .deducted ? "fees come out of the amount" : "fees are added on top of the amount"
            return
                "at least \(yuan(r.min_cents)); bank \(Double(r.bank_fee_bps) / 100)% (≥ \(yuan(r.bank_fee_min_cents))), third-party \(Double(r.thirdparty_fee_bps) / 100)%, stored value and cash free; \(mode)"
        }
    }

    struct Request: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Request a withdrawal (bank, thirdparty, stored_value, cash).")
        @OptionGroup var common: CommonOptions
        @Option var distributor: String
        @Option(help: "Amount in yuan (at least 10).") var amount: Money
        @Option var method: WithdrawalMethod
        func run(on node: FenxiaoNode) throws -> WithdrawalView {
            try node.distribution.requestWithdrawal(distributor: distributor, amount: amount, method: method)
        }
        func human(_ w: WithdrawalView) -> String {
            "withdrawal \(w.id): \(yuan(w.amount_cents)) by \(w.method), fee \(yuan(w.fee_cents)), "
                + "\(yuan(w.received_cents)) to receive, \(yuan(w.debited_cents)) off the balance, \(w.status)"
        }
    }

    struct Step: ParsableArguments {
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "External reference (bank or payment transaction id).") var reference: String?
        @Option var reason: String?
    }

    /// One step of a withdrawal's settlement: prints its new status.
    protocol StepCommand: NodeCommand where Output == WithdrawalView {
        var step: Step { get }
        static var status: WithdrawalStep { get }
    }

    struct Approve: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Head office approves a withdrawal.")
        static let status = WithdrawalStep.approved
        @OptionGroup var step: Step
    }
    struct Reject: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject", abstract: "Head office rejects a withdrawal.")
        static let status = WithdrawalStep.rejected
        @OptionGroup var step: Step
    }
    struct Pay: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "pay",
            abstract: "Record the payout (stored_value credits the distributor's wallet).")
        static let status = WithdrawalStep.paid
        @OptionGroup var step: Step
    }
    struct Fail: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "fail",
            abstract: "Record a failed payout (the amount returns to the balance).")
        static let status = WithdrawalStep.failed
        @OptionGroup var step: Step
    }
    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List withdrawals.")
        @OptionGroup var common: CommonOptions
        @Option var distributor: String?
        func run(on node: FenxiaoNode) throws -> Listing<WithdrawalView> {
            Listing(key: "withdrawals", items: try node.distribution.withdrawals(distributor: distributor))
        }
        func human(_ ws: Listing<WithdrawalView>) -> String {
            ws.items.map { "\($0.id)  \($0.distributor)  \(yuan($0.amount_cents))  \($0.method)  \($0.status)" }.joined(
                separator: "\n")
        }
    }
}

extension WithdrawCommand.StepCommand {
    var common: CommonOptions { step.common }
    func run(on node: FenxiaoNode) throws -> WithdrawalView {
        try node.distribution.settleWithdrawal(
            id: step.id, to: Self.status, reference: step.reference, reason: step.reason)
    }
    func human(_ w: WithdrawalView) -> String { "withdrawal \(w.id) is \(w.status)" }
}
