import Foundation
import Storage

/// The 80 mm receipt: store, order id with its Code 128 barcode (the after-sale screen scans
/// it back), lines with their discounts, payments, refunds. Printed by the browser's print
/// dialog; the print style sheet hides everything but the slip.
struct TillReceiptPage {
    var layout: TillLayout
    var order: OrderView?

    func t(_ key: TillText) -> String { layout.t(key) }

    func methodName(_ method: String) -> String {
        TillText(rawValue: method == "points" ? "points_method" : method).map(t) ?? HTML.escape(method)
    }

    var main: String {
        guard let order else { return "" }
        let lines = order.lines.map { l in
            """
            <tr><td colspan="3">\(HTML.escape(l.name))</td></tr>
            <tr class="sub"><td>\(HTML.escape(l.sku))</td><td class="num">\(l.qty) × \(HTML.yuan(l.unit_cents))</td><td class="num">\(HTML.yuan(l.qty * l.unit_cents))</td></tr>
            \(l.discount_cents > 0 ? #"<tr class="sub"><td></td><td class="num">\#(t(.discount))</td><td class="num">-\#(HTML.yuan(l.discount_cents))</td></tr>"# : "")
            """
        }.joined()
        let payments = order.payments.map { p in
            #"<tr><td>\#(methodName(p.method))</td><td class="num" colspan="2">\#(HTML.yuan(p.amount_cents))</td></tr>"#
        }.joined()
        let refunds = order.refunds.map { r in
            #"<tr><td>\#(t(.refund))</td><td class="num" colspan="2">-\#(HTML.yuan(r.amount_cents))</td></tr>"#
        }.joined()
        let barcode = Code128.svg(order.id) ?? ""
        let time = order.created_at.map { Self.dateTime($0) } ?? ""
        return """
            <div class="no-print receipt-actions"><button id="print" onclick="window.print()">\(t(.print))</button></div>
            <article class="receipt" id="receipt">
              <h1>\(HTML.escape(layout.store))</h1><p class="center">\(t(.receipt))</p>
              <p>\(t(.order)): <span id="receipt-order">\(HTML.escape(order.id))</span><br>\(t(.time)): \(time)\
            \(layout.cashier.map { "<br>\(t(.cashier)): \(HTML.escape($0))" } ?? "")\
            \(order.member.map { "<br>\(t(.member)): \(HTML.escape($0))" } ?? "")</p>
              <table>\(lines)</table>
              <table class="sums">
                <tr><td>\(t(.subtotal))</td><td class="num" colspan="2">\(HTML.yuan(order.subtotal_cents))</td></tr>
                <tr><td>\(t(.discount))</td><td class="num" colspan="2">-\(HTML.yuan(order.discount_cents))</td></tr>
                <tr class="big"><td>\(t(.total))</td><td class="num" colspan="2" id="receipt-total">\(HTML.yuan(order.total_cents))</td></tr>
                \(payments)\(refunds)
              </table>
              <div class="barcode-box">\(barcode)<div class="center mono">\(HTML.escape(order.id))</div></div>
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
            format: "%04d-%02d-%02d %02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min)
    }
}
