import Foundation
import Node

/// The 80 mm receipt, from the till's typed ``Receipt``: store, order id with its Code 128
/// barcode (the after-sale screen scans it back) and its short id, lines with their
/// discounts, payments with the change, points earned and redeemed. Printed by the browser's
/// print dialog; the print style sheet hides everything but the slip.
struct TillReceiptPage {
    var layout: TillLayout
    var receipt: Receipt?

    func t(_ key: TillText) -> String { layout.t(key) }

    func methodName(_ method: String) -> String {
        TillText(rawValue: method == "points" ? "points_method" : method).map(t) ?? HTML.escape(method)
    }

    var main: String {
        guard let r = receipt else { return "" }
        let lines = r.lines.map { l in
            """
            <tr><td colspan="3">\(HTML.escape(l.name))</td></tr>
            <tr class="sub"><td>\(HTML.escape(l.sku))</td><td class="num">\(l.qty) × \(HTML.yuan(l.unit_cents))</td><td class="num">\(HTML.yuan(l.qty * l.unit_cents))</td></tr>
            \(l.discount_cents > 0 ? #"<tr class="sub"><td></td><td class="num">\#(t(.discount))</td><td class="num">-\#(HTML.yuan(l.discount_cents))</td></tr>"# : "")
            """
        }.joined()
        let payments = r.payments.map { p in
            let cash =
                p.tendered_cents.map { tendered in
                    #"<tr class="sub"><td>\#(t(.tendered)) \#(HTML.yuan(tendered))</td><td class="num" colspan="2">\#(t(.change)) \#(HTML.yuan(p.change_cents ?? 0))</td></tr>"#
                } ?? ""
            // Points pay part of the total: their value in yuan, and how many points that took.
            let amount =
                p.method == "points" && r.points_redeemed > 0
                ? "\(HTML.yuan(p.amount_cents)) (\(r.points_redeemed) \(t(.points)))" : HTML.yuan(p.amount_cents)
            return #"<tr><td>\#(methodName(p.method))</td><td class="num" colspan="2">\#(amount)</td></tr>"# + cash
        }.joined()
        let refunded =
            r.refunded_cents > 0
            ? #"<tr><td>\#(t(.refunded))</td><td class="num" colspan="2">-\#(HTML.yuan(r.refunded_cents))</td></tr>"#
            : ""
        let who = [
            r.till.map { "\(t(.till)): \(HTML.escape($0))" }, r.cashier.map { "\(t(.cashier)): \(HTML.escape($0))" },
            r.member.map { "\(t(.member)): \(HTML.escape($0))\(r.member_phone.map { " \(HTML.escape($0))" } ?? "")" },
        ].compactMap { $0 }.map { "<br>\($0)" }.joined()
        return """
            <div class="no-print receipt-actions"><button id="print" onclick="window.print()">\(t(.print))</button>
            <a href="/till/sale">\(t(.newSale))</a></div>
            <article class="receipt" id="receipt">
              <h1>\(HTML.escape(r.store_name))</h1><p class="center">\(t(.receipt))</p>
              <p>\(t(.order)): <span id="receipt-order">\(HTML.escape(r.order_id))</span><br>\(t(.time)): \(r.created_at.map(Self.dateTime) ?? "")\(who)</p>
              <table>\(lines)</table>
              <table class="sums">
                <tr><td>\(t(.subtotal))</td><td class="num" colspan="2">\(HTML.yuan(r.subtotal_cents))</td></tr>
                <tr><td>\(t(.discount))</td><td class="num" colspan="2">-\(HTML.yuan(r.discount_cents))</td></tr>
                <tr class="big"><td>\(t(.total))</td><td class="num" colspan="2" id="receipt-total">\(HTML.yuan(r.total_cents))</td></tr>
                \(payments)\(refunded)
                <tr><td>\(t(.pointsEarned))</td><td class="num" colspan="2" id="receipt-points">\(r.points_earned)</td></tr>
              </table>
              <div class="barcode-box">\(Code128.svg(r.order_id) ?? "")<div class="center mono">\(HTML.escape(r.order_id))</div>
              <div class="center">\(t(.shortId)) <strong>\(HTML.escape(r.short_id))</strong></div></div>
              <p class="center">\(t(.thanks))</p>
            </article>
            """
    }

    /// `2026-12-02 14:05` in this machine's time zone.
    static func dateTime(_ millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min)
    }
}
