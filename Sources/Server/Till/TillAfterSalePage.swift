/// The after-sale screen: find an order by scanning its receipt or typing the end of its id,
/// choose lines and quantities to refund (restocked or not); above the cashier's limit a
/// manager approves with their PIN on the same screen. An exchange returns the chosen lines
/// and sells the newly scanned items in one step.
struct TillAfterSalePage {
    var layout: TillLayout

    func t(_ key: TillText) -> String { layout.t(key) }

    var main: String {
        """
        <section class="after-sale" id="after-sale">
          <form id="find-form" class="row" autocomplete="off"><input id="find-order" name="order" autofocus placeholder="\(t(.findOrder))" aria-label="\(t(.findOrder))">
          <button id="find">\(t(.find))</button></form>
          <div id="order-view" class="hidden">
            <h3><span>\(t(.order))</span> <span id="order-id"></span> <span id="order-total" class="muted"></span></h3>
            <table class="cart"><thead><tr><th>\(t(.item))</th><th class="num">\(t(.qty))</th><th class="num">\(t(.amount))</th>
            <th class="num">\(t(.refunded))</th><th class="num">\(t(.refundQty))</th></tr></thead><tbody id="order-lines"></tbody></table>
            <form id="refund-form" autocomplete="off">
              <label><input type="checkbox" id="restock" checked> \(t(.restock))</label>
              <input id="refund-reason" placeholder="\(t(.reason))">
              <fieldset id="manager" class="hidden"><legend>\(t(.managerNeeded))</legend>
                <input id="manager-user" placeholder="\(t(.managerId))"><input id="manager-pin" type="password" inputmode="numeric" placeholder="\(t(.pin))">
              </fieldset>
              <button id="refund" class="primary">\(t(.refund))</button>
            </form>
            <section class="panel exchange" id="exchange-panel"><h3>\(t(.exchange))</h3>
              <form id="exchange-scan-form" class="row" autocomplete="off"><input id="exchange-scan" placeholder="\(t(.newItems))">
              <button id="exchange-add">\(t(.add))</button></form>
              <ul id="exchange-items"></ul>
              <div class="row"><span>\(t(.due))</span> <strong id="exchange-due">¥0.00</strong>
              <select id="exchange-method">\(["cash", "card", "wechat", "alipay"].map { #"<option value="\#($0)">\#(t(TillText(rawValue: $0) ?? .cash))</option>"# }.joined())</select></div>
              <button id="exchange" class="primary" disabled>\(t(.exchange))</button>
            </section>
          </div>
          <div id="message" class="message" role="alert"></div>
        </section>
        """
    }
}
