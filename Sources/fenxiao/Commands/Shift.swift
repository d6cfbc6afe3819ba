import ArgumentParser
import Commerce
import Node
import Replication

/// `fenxiao shift open|cash-in|cash-out|close|report|list`: a till's shift, opened with a float, closed with a count.
struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift",
        abstract: "Till shifts: open with a float, cash in / out, close with a cash count (Z report), list.",
        subcommands: [Open.self, CashIn.self, CashOut.self, Close.self, Report.self, List.self])

    struct CashIn: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "cash-in", abstract: "Put cash into an open shift's drawer (a float top-up), with a reason.")
        @OptionGroup var common: CommonOptions
        @Argument var shift: String
        @Option(help: "Cash put in, in yuan.") var amount: Money
        @Option(help: "Why (one line, at most 200 characters).") var reason: String
        func run(on node: FenxiaoNode) throws -> CashMoveView {
            try node.till.moveCash(shift: shift, .cashIn, amount: amount, reason: reason)
        }
        func human(_ m: CashMoveView) -> String { describeCashMove(m, shift: shift) }
    }

    struct CashOut: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "cash-out",
            abstract: "Take cash out of an open shift's drawer (a supplier paid, cash to the safe), with a reason.")
        @OptionGroup var common: CommonOptions
        @Argument var shift: String
        @Option(help: "Cash taken out, in yuan.") var amount: Money
        @Option(help: "Why (one line, at most 200 characters).") var reason: String
        func run(on node: FenxiaoNode) throws -> CashMoveView {
            try node.till.moveCash(shift: shift, .cashOut, amount: amount, reason: reason)
        }
        func human(_ m: CashMoveView) -> String { describeCashMove(m, shift: shift) }
    }

    struct Open: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open a shift at a till with the cash float in the drawer.")
        @OptionGroup var common: CommonOptions
        @Option var till: String
        @Option(help: "Cash in the drawer, in yuan.") var float: Money
        func run(on node: FenxiaoNode) throws -> ShiftView { try node.till.openShift(till: till, float: float) }
        func human(_ s: ShiftView) -> String {
            OutputLanguage.text(
                "shift \(s.id) open at \(s.till) with a float of \(yuan(s.float_cents))",
                "班次 \(s.id) 已在 \(s.till) 开班，备用金 \(yuan(s.float_cents))")
        }
    }

    struct Close: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close a shift with the cash counted; prints the Z report.")
        @OptionGroup var common: CommonOptions
        @Argument var shift: String
        @Option(help: "Cash counted in the drawer, in yuan.") var cash: Money
        @Option(
            name: .customLong("counted"), help: "Another method's total, METHOD:AMOUNT (card:450, wechat:120…; repeat)."
        )
        var counted: [String] = []
        @Option(help: "A store manager who approves a cash difference above the threshold (with --manager-pin).")
        var manager: String?
        @Option(name: .customLong("manager-pin")) var managerPin: String?
        func run(on node: FenxiaoNode) throws -> ZReportView {
            let node = try node.approved(manager: manager, pin: managerPin)
            var amounts: [PaymentMethod: Money] = [.cash: cash]
            for text in counted {
                let part: PaymentPart
                do { part = try PaymentPart(parsing: text) } catch { throw NodeError.wrap(error) }
                guard let amount = part.amount else {
                    throw NodeError(
                        .invalidInput, "\(Field.counted) must be METHOD:AMOUNT, e.g. card:450 (got \(text))")
                }
                amounts[part.method] = amount
            }
            return try node.till.closeShift(shift, counted: amounts)
        }
        func human(_ z: ZReportView) -> String { describeZReport(z) }
    }

    struct Report: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "The Z report of a shift (running totals while open).")
        @OptionGroup var common: CommonOptions
        @Argument var shift: String
        func run(on node: FenxiaoNode) throws -> ZReportView { try node.till.zReport(shift) }
        func human(_ z: ZReportView) -> String { describeZReport(z) }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Shifts, newest first (at central: every store's, with differences).")
        @OptionGroup var common: CommonOptions
        func run(on node: FenxiaoNode) throws -> Listing<ShiftView> {
            Listing(key: "shifts", items: try node.till.shifts())
        }
        func human(_ list: Listing<ShiftView>) -> String {
            list.items.map {
                "\($0.id)  \($0.store ?? "")  \($0.till)  \($0.status)\($0.difference_cents.map { "  difference \(yuan($0))" } ?? "")"
            }.joined(separator: "\n")
        }
    }
}

/// A Z report as a person reads it, in the output language.
func describeZReport(_ z: ZReportView) -> String {
    let t = OutputLanguage.text
    let status = z.shift.status == "open" ? t("open", "营业中") : t("closed", "已交班")
    var lines = [
        t("shift ", "班次 ") + "\(z.shift.id)  \(z.shift.till)  \(status)  " + t("float ", "备用金 ")
            + yuan(z.shift.float_cents),
        "  \(z.orders)" + t(" orders  sales ", " 单  销售 ") + yuan(z.sales_cents) + "  \(z.refunds)"
            + t(" refunds ", " 笔退款 ")
            + yuan(z.refunds_cents) + t("  discounts ", "  优惠 ") + yuan(z.discounts_cents),
        t("  points redeemed ", "  积分抵扣 ") + "\(z.points_redeemed)" + t("  earned ", "  积分发放 ") + "\(z.points_earned)",
        t(
            "  method        taken      refunded   expected   counted    difference",
            "  方式          收款       退款       应有       实点       差额"),
    ]
    for m in z.methods {
        let cells = [
            yuan(m.taken_cents), yuan(m.refunded_cents), yuan(m.expected_cents), m.counted_cents.map(yuan) ?? "-",
            m.difference_cents.map(yuan) ?? "-",
        ]
        lines.append(
            "  " + methodLabel(m.method).padding(toLength: 12, withPad: " ", startingAt: 0)
                + cells.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
    }
    if !z.cash_moves.isEmpty {
        lines.append(
            t("  cash in ", "  存入 ") + yuan(z.cash_in_cents) + t("  cash out ", "  取出 ") + yuan(z.cash_out_cents))
        for m in z.cash_moves {
            lines.append("    " + describeCashMove(m, shift: nil))
        }
    }
    if let d = z.cash_difference_cents {
        lines.append(
            t("  cash difference ", "  现金差额 ") + yuan(d)
                + (d < 0 ? t(" (short)", "（短款）") : d > 0 ? t(" (over)", "（长款）") : ""))
    }
    return lines.joined(separator: "\n")
}

/// One cash move as a person reads it.
func describeCashMove(_ m: CashMoveView, shift: String?) -> String {
    let t = OutputLanguage.text
    let what = m.direction == "in" ? t("cash in ", "存入 ") : t("cash out ", "取出 ")
    return (shift.map { "\($0)  " } ?? "") + "\(m.id)  " + what + yuan(m.amount_cents) + "  \(m.reason)"
        + (m.by.map { "  (\($0))" } ?? "")
}
