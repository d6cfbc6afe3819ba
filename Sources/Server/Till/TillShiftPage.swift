import Foundation
import Node

/// The shift screen (open with a float; the running totals and the close with a count) and
/// the Z report: per method what was taken, given back and expected, what was counted and the
/// difference; orders, refunds, discounts and points.
struct TillShiftPage {
    var layout: TillLayout

    func t(_ key: TillText) -> String { layout.t(key) }

    func main(current: (ShiftView, ZReportView)?, error: NodeError?, limitCents: Int64 = 5_000) -> String {
        let message =
            error.map {
                #"<p class="message error" id="message">\#(HTML.escape($0.tillSentence(layout.language)))</p>"#
            }
            ?? #"<p class="message" id="message"></p>"#
        let bad = { (field: String) in error?.field?.rawValue == field ? #" invalid"# : "" }
        guard let (shift, report) = current else {
            return """
                <section class="panel shift" id="shift"><h2>\(t(.noShift))</h2>
                <form method="post" action="/till/shift/open" autocomplete="off" class="row">
                <input id="float" name="float" class="\(bad("float"))" inputmode="decimal" placeholder="\(t(.float)) 200.00" autofocus>
                <button id="open-shift" class="primary">\(t(.openShift))</button></form>\(message)</section>
                """
        }
        let others = ["card", "wechat", "alipay"].map { m in
            #"<label>\#(t(TillText(rawValue: m) ?? .card))<input id="counted-\#(m)" name="counted_\#(m)" inputmode="decimal"></label>"#
        }.joined()
        return """
            <section class="panel shift" id="shift" data-shift="\(HTML.escape(shift.id))"><h2>\(t(.shiftOpen)) · \(HTML.escape(shift.till))</h2>
            <p class="muted">\(t(.openedBy)): \(HTML.escape(shift.opened_by ?? "")) \(shift.opened_at.map(TillReceiptPage.dateTime) ?? "") · \(t(.float)) \(HTML.yuan(shift.float_cents))</p>
            \(methodsTable(report))
            <form method="post" action="/till/shift/close" autocomplete="off">
            <label>\(t(.counted))<input id="counted" name="counted" class="\(bad("counted"))" inputmode="decimal" placeholder="0.00" autofocus></label>
            <details><summary>\(t(.countedOther))</summary>\(others)</details>
            <details id="close-approval"\(error?.field == .managerPin ? " open" : "")><summary>\(t(.managerNeeded))</summary>\
            <p class="muted">\(HTML.escape(t(.differenceApproval).replacingOccurrences(of: "%@", with: HTML.yuan(limitCents))))</p>\
            <label>\(t(.managerId))<input id="close-manager" name="manager" autocomplete="off"></label>\
            <label>\(t(.pin))<input id="close-manager-pin" name="manager_pin" type="password" inputmode="numeric" autocomplete="off"></label></details>
            <button id="close-shift" class="primary">\(t(.closeShift))</button></form>
            <form method="post" action="/till/shift/cash" autocomplete="off" class="row cash-move" id="cash-move-form">
            <select id="cash-direction" name="direction"><option value="in">\(t(.cashIn))</option><option value="out">\(t(.cashOut))</option></select>
            <input id="cash-amount" name="amount" class="\(bad("amount"))" inputmode="decimal" placeholder="\(t(.amount)) 100.00">
            <input id="cash-reason" name="reason" class="\(bad("reason"))" maxlength="200" placeholder="\(HTML.escape(t(.cashMoveReason)))">
            <button id="cash-move">\(t(.cashMove))</button></form>
            \(cashMovesTable(report))\(message)</section>
            """
    }

    /// The shift's cash in / cash out, oldest first (nothing when there is none).
    func cashMovesTable(_ report: ZReportView) -> String {
        guard !report.cash_moves.isEmpty else { return "" }
        let rows = report.cash_moves.map { m in
            """
            <tr data-cash-move="\(HTML.escape(m.id))"><td>\(TillReceiptPage.dateTime(m.at))</td>\
            <td>\(t(m.direction == "in" ? .cashIn : .cashOut))</td><td class="num">\(m.direction == "in" ? "" : "-")\(HTML.yuan(m.amount_cents))</td>\
            <td>\(HTML.escape(m.reason))</td><td>\(HTML.escape(m.by ?? ""))</td></tr>
            """
        }.joined()
        return """
            <h3>\(t(.cashMoves))</h3><table class="cart cash-moves" id="cash-moves"><tbody>\(rows)</tbody></table>
            """
    }

    func methodsTable(_ report: ZReportView) -> String {
        let rows = report.methods.map { m in
            """
            <tr data-method="\(HTML.escape(m.method))"><td>\(TillReceiptPage(layout: layout, receipt: nil).methodName(m.method))</td>\
            <td class="num">\(HTML.yuan(m.taken_cents))</td><td class="num">\(HTML.yuan(m.refunded_cents))</td>\
            <td class="num">\(HTML.yuan(m.expected_cents))</td><td class="num">\(m.counted_cents.map(HTML.yuan) ?? "")</td>\
            <td class="num difference">\(m.difference_cents.map(HTML.yuan) ?? "")</td></tr>
            """
        }.joined()
        return """
            <table class="cart z-methods"><thead><tr><th>\(t(.method))</th><th class="num">\(t(.taken))</th><th class="num">\(t(.refunded))</th>\
            <th class="num">\(t(.expected))</th><th class="num">\(t(.counted))</th><th class="num">\(t(.difference))</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
    }

    func zReport(_ report: ZReportView) -> String {
        let s = report.shift
        return """
            <div class="no-print receipt-actions"><button id="print" onclick="window.print()">\(t(.printZ))</button>
            <a href="/till/shift">\(t(.shift))</a></div>
            <article class="receipt z-report" id="z-report">
              <h1>\(HTML.escape(layout.store)) · \(t(.zReport))</h1>
              <p>\(t(.till)): \(HTML.escape(s.till))<br>\(t(.openedBy)): \(HTML.escape(s.opened_by ?? "")) \(s.opened_at.map(TillReceiptPage.dateTime) ?? "")\
            \(s.closed_at.map { "<br>\(t(.closedBy)): \(HTML.escape(s.closed_by ?? "")) \(TillReceiptPage.dateTime($0))" } ?? "")<br>\(t(.float)): \(HTML.yuan(s.float_cents))</p>
              \(methodsTable(report))
              \(cashMovesTable(report))
              <table class="sums">
                <tr><td>\(t(.orders))</td><td class="num" id="z-orders">\(report.orders)</td></tr>
                <tr><td>\(t(.sales))</td><td class="num">\(HTML.yuan(report.sales_cents))</td></tr>
                <tr><td>\(t(.refundsTotal)) (\(report.refunds))</td><td class="num">-\(HTML.yuan(report.refunds_cents))</td></tr>
                <tr><td>\(t(.discount))</td><td class="num">\(HTML.yuan(report.discounts_cents))</td></tr>
                <tr><td>\(t(.pointsRedeemed))</td><td class="num">\(report.points_redeemed)</td></tr>
                <tr><td>\(t(.pointsEarned))</td><td class="num">\(report.points_earned)</td></tr>
                <tr class="big"><td>\(t(.cashDifference))</td><td class="num" id="z-cash-difference">\(report.cash_difference_cents.map(HTML.yuan) ?? "")</td></tr>
              </table>
            </article>
            """
    }
}
