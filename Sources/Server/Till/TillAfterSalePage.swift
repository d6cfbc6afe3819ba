/// The after-sale screen: find an order by scanning its receipt or typing the end of its id,
/// choose lines and quantities to refund (restocked or not); above the cashier's limit a
/// manager approves with their PIN on the same screen.
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
          </div>
          <div id="message" class="message" role="alert"></div>
        </section>
        """
    }
}
