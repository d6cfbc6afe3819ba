/// The sale screen: the scan field (a keyboard-wedge scanner types the code and Enter into it),
/// product search, the cart with the pricing engine's explanation, member, coupon, points and
/// the payment panel. The script (`till.js`) fills it through the JSON API.
struct TillSalePage {
    var layout: TillLayout

    func t(_ key: TillText) -> String { layout.t(key) }

    var methods: [(String, TillText)] {
        [("cash", .cash), ("card", .card), ("wechat", .wechat), ("alipay", .alipay), ("stored", .stored)]
    }

    var main: String {
        let buttons = methods.map { method, key in
            #"<button type="button" class="method" data-method="\#(method)" id="pay-\#(method)">\#(t(key))</button>"#
        }.joined()
        return """
            <section class="sale" id="sale">
            <div class="left">
              <form id="scan-form" class="row" autocomplete="off">
                <input id="scan" name="scan" autofocus placeholder="\(t(.scan))" aria-label="\(t(.scan))">
                <button id="scan-add">\(t(.add))</button>
              </form>
              <div class="search"><input id="search" placeholder="\(t(.search))" aria-label="\(t(.search))" autocomplete="off">
              <ul id="search-results" class="results"></ul></div>
              <table id="cart" class="cart"><thead><tr><th>\(t(.item))</th><th class="num">\(t(.price))</th>
              <th class="num">\(t(.qty))</th><th class="num">\(t(.discount))</th><th class="num">\(t(.amount))</th><th></th></tr></thead>
              <tbody id="cart-lines"><tr class="empty"><td colspan="6">\(t(.emptyCart))</td></tr></tbody></table>
              <div class="row park-row"><button type="button" id="park">\(t(.park))</button></div>
              <section class="panel parked" id="parked-panel"><h3>\(t(.parked))</h3>
                <ul id="parked-list" class="results"><li class="muted">\(t(.parkedEmpty))</li></ul></section>
              <section id="explain" class="explain"><h3>\(t(.discounts))</h3><ul id="discounts"></ul><ul id="skipped" class="muted"></ul></section>
            </div>
            <div class="right">
              <section class="panel" id="member-panel"><h3>\(t(.member))</h3>
                <form id="member-form" class="row" autocomplete="off"><input id="member-phone" name="phone" inputmode="tel" placeholder="\(t(.phone))">
                <button id="member-find">\(t(.find))</button></form>
                <div id="member-info" class="muted">\(t(.noMember))</div>
                <form id="register-form" class="row hidden" autocomplete="off"><input id="register-name" name="name" placeholder="\(t(.name))">
                <button id="register">\(t(.register))</button></form>
              </section>
              <section class="panel"><h3>\(t(.coupon)) / \(t(.redeem))</h3>
                <form id="coupon-form" class="row" autocomplete="off"><input id="coupon" name="coupon" placeholder="\(t(.coupon))">
                <button id="coupon-apply">\(t(.apply))</button></form>
                <form id="points-form" class="row" autocomplete="off"><input id="points" name="points" inputmode="numeric" placeholder="\(t(.redeem))" disabled>
                <button id="points-apply" disabled>\(t(.apply))</button></form>
                <div id="points-cap" class="muted"></div>
              </section>
              <section class="panel totals" id="totals">
                <div><span>\(t(.subtotal))</span><span id="subtotal">¥0.00</span></div>
                <div><span>\(t(.discount))</span><span id="discount-total">¥0.00</span></div>
                <div><span>\(t(.points))</span><span id="points-total">¥0.00</span></div>
                <div class="big"><span>\(t(.due))</span><span id="due">¥0.00</span></div>
              </section>
              <section class="panel" id="pay-panel"><h3>\(t(.pay))</h3>
                <div class="methods">\(buttons)</div>
                <table class="payments"><tbody id="payments"></tbody></table>
                <div class="totals"><div><span>\(t(.remaining))</span><span id="remaining">¥0.00</span></div>
                <div><span>\(t(.change))</span><span id="change">¥0.00</span></div></div>
                <button id="finish" class="primary" disabled>\(t(.finish))</button>
              </section>
              <div id="message" class="message" role="alert"></div>
            </div>
            </section>
            <dialog id="done"><h2>\(t(.saleDone))</h2><p><span>\(t(.order))</span> <strong id="done-order"></strong></p>
            <p class="big"><span>\(t(.change))</span> <strong id="done-change"></strong></p>
            <p><a id="receipt-link" target="_blank" href="#">\(t(.printReceipt))</a></p>
            <button id="next-sale" class="primary">\(t(.newSale))</button></dialog>
            """
    }
}
