// The till's script: the status light on every page, the sale and after-sale screens.
// It only calls the store node's JSON API (/till/api/…); every sale is kept by the node.
'use strict';
(() => {
  const T = JSON.parse(document.getElementById('till-text').textContent);
  const $ = (id) => document.getElementById(id);
  const yuan = (c) => (c < 0 ? '-' : '') + '¥' + (Math.abs(c) / 100).toFixed(2);
  const fill = (key, value) => T[key].replace('%@', value);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = (ms) => { const d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()); };
  // Full-width digits and punctuation (１２.５０, ：) as a Chinese input method types them.
  const halfWidth = (s) => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0)).replace(/\u3000/g, ' ').trim();
  const cents = (text) => {
    const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(halfWidth(text || ''));
    return m ? Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0')) : null;
  };

  async function api(method, path, body) {
    const res = await fetch('/till/api/' + path, {
      method, credentials: 'same-origin',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = new Error(data.error || res.status + ' ' + res.statusText);
      e.field = data.field; e.code = data.code; e.status = res.status;
      throw e;
    }
    return data;
  }

  function say(text, kind) {
    const box = $('message');
    if (!box) return;
    box.textContent = text || '';
    box.className = 'message' + (kind ? ' ' + kind : '');
  }
  // An error names the field it is about: highlight that input.
  function fail(e, fields) {
    document.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    say(e.message, 'error');
    const el = fields && e.field && fields[e.field];
    if (el) { el.classList.add('invalid'); el.focus(); }
  }

  // ---- the status light -------------------------------------------------------------
  const light = $('light');
  function describe(s) {
    let first;
    if (s.light === 'online') first = T.online;
    else if (s.light === 'offline') first = fill('offlineSince', clock(s.since_ms || s.now_ms));
    else if (s.light === 'unlinked') first = T.unlinked;
    else first = s.since_ms ? fill('lastSync', clock(s.since_ms)) : T.neverSynced;
    return first + ' · ' + (s.pending === 0 ? T.allSynced : fill('waiting', s.pending));
  }
  async function refreshLight() {
    if (!light) return;
    try {
      const s = await api('GET', 'status');
      light.className = 'light light-' + s.light;
      light.dataset.light = s.light;
      light.textContent = describe(s);
    } catch (e) {
      light.className = 'light light-down';
      light.dataset.light = 'down';
      light.textContent = T.nodeDown;
    }
  }
  if (light) setInterval(refreshLight, 5000);

  const methodName = (m) => T[m === 'points' ? 'points_method' : m] || m;

  // ---- the sale screen --------------------------------------------------------------
  function saleScreen() {
    const scan = $('scan');
    const state = { lines: [], member: null, coupon: '', points: 0 };
    let quote = null;
    let payments = [];
    const fields = { code: scan, line: scan, lines: scan, sku: scan, member: $('member-phone'), phone: $('member-phone'),
      name: $('register-name'), coupon: $('coupon'), points: $('points'), payments: $('payments'), payment: $('payments'), tendered: $('payments') };

    const cart = () => ({
      lines: state.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
      member: state.member ? state.member.id : null,
      coupon: state.coupon || null,
      points: state.points || 0,
    });
    const due = () => (quote ? quote.due_cents : 0);
    const paid = () => payments.reduce((sum, p) => sum + p.amount_cents, 0);

    async function requote(undo) {
      if (state.lines.length === 0) { quote = null; render(); return; }
      try {
        quote = await api('POST', 'quote', cart());
        if (payments.length === 1) payments[0].amount_cents = quote.due_cents;
        if (payments.length === 1 && payments[0].method === 'cash') payments[0].tendered_cents = Math.max(payments[0].tendered_cents || 0, quote.due_cents);
        say('');
      } catch (e) {
        if (undo) { undo(); await requote(); }
        fail(e, fields);
      }
      render();
    }

    function render() {
      const body = $('cart-lines');
      body.innerHTML = '';
      if (state.lines.length === 0) {
        body.innerHTML = '<tr class="empty"><td colspan="6"></td></tr>';
        body.querySelector('td').textContent = T.emptyCart;
      }
      state.lines.forEach((l, i) => {
        const priced = quote && quote.lines[i];
        const tr = document.createElement('tr');
        tr.className = 'cart-line';
        tr.dataset.sku = l.sku;
        const discount = priced ? priced.discount.cents : 0;
        tr.innerHTML = '<td class="name"></td><td class="num"></td><td class="num"><input class="qty" inputmode="numeric" size="3"></td>'
          + '<td class="num discount"></td><td class="num amount"></td><td><button type="button" class="link remove"></button></td>';
        tr.cells[0].textContent = l.name + ' (' + l.sku + ')';
        tr.cells[1].textContent = yuan(l.price_cents);
        const qty = tr.querySelector('.qty');
        qty.value = l.qty;
        qty.addEventListener('change', () => {
          const before = l.qty, n = Number(halfWidth(qty.value));
          if (!Number.isInteger(n) || n < 1) { qty.value = before; return; }
          l.qty = n;
          requote(() => { l.qty = before; });
        });
        tr.cells[3].textContent = discount ? '-' + yuan(discount) : '';
        tr.cells[4].textContent = yuan(l.price_cents * l.qty - discount);
        const rm = tr.querySelector('.remove');
        rm.textContent = T.remove;
        rm.addEventListener('click', () => { state.lines.splice(i, 1); requote(); scan.focus(); });
        body.appendChild(tr);
      });
      const list = $('discounts'), skipped = $('skipped');
      list.innerHTML = ''; skipped.innerHTML = '';
      (quote ? quote.discounts : []).forEach((d) => {
        const li = document.createElement('li');
        li.textContent = '-' + yuan(d.amountCents) + '  ' + d.description;
        list.appendChild(li);
      });
      // Gifts with purchase: zero-price lines, explained in the till's language like discounts.
      (quote && quote.gifts ? quote.gifts : []).forEach((g) => {
        const li = document.createElement('li');
        li.textContent = '+ ' + g.description;
        list.appendChild(li);
      });
      (quote ? quote.skipped : []).forEach((s) => {
        const li = document.createElement('li');
        li.textContent = T.notApplied + ': ' + s.reason;
        skipped.appendChild(li);
      });
      if (quote && quote.coupon_rejection) {
        const li = document.createElement('li');
        li.textContent = T.coupon + ': ' + quote.coupon_rejection;
        skipped.appendChild(li);
      }
      $('subtotal').textContent = yuan(quote ? quote.subtotal_cents : 0);
      $('discount-total').textContent = '-' + yuan(quote ? quote.subtotal_cents - quote.total_cents : 0);
      $('points-total').textContent = '-' + yuan(state.points || 0);
      $('due').textContent = yuan(due());
      // Member and points.
      const info = $('member-info');
      if (state.member) {
        const m = state.member;
        info.className = 'member';
        info.textContent = m.id + (m.name ? ' ' + m.name : '') + (m.phone ? ' ' + m.phone : '')
          + ' · ' + T.points + ' ' + m.points + ' · ' + T.storedValue + ' ' + yuan(m.wallet_cents);
        info.dataset.member = m.id;
      } else {
        info.className = 'muted';
        info.textContent = T.noMember;
        delete info.dataset.member;
      }
      const canRedeem = !!(state.member && quote && quote.points_cap > 0);
      $('points').disabled = !canRedeem;
      $('points-apply').disabled = !canRedeem;
      $('points-cap').textContent = state.member && quote && quote.points_cap != null ? fill('pointsCap', quote.points_cap) : '';
      renderPayments();
    }

    function renderPayments() {
      const body = $('payments');
      body.innerHTML = '';
      payments.forEach((p, i) => {
        const tr = document.createElement('tr');
        tr.className = 'payment';
        tr.dataset.method = p.method;
        tr.innerHTML = '<td class="method-name"></td><td><input class="pay-amount" inputmode="decimal" size="7"></td><td class="extra"></td>'
          + '<td><button type="button" class="link remove"></button></td>';
        tr.cells[0].textContent = methodName(p.method);
        const amount = tr.querySelector('.pay-amount');
        amount.value = (p.amount_cents / 100).toFixed(2);
        amount.addEventListener('change', () => {
          const c = cents(amount.value);
          if (c === null || c <= 0) { amount.classList.add('invalid'); return; }
          p.amount_cents = c;
          if (p.method === 'cash' && (p.tendered_cents || 0) < c) p.tendered_cents = c;
          renderPayments();
        });
        const extra = tr.querySelector('.extra');
        if (p.method === 'cash') {
          extra.innerHTML = '<label><span></span> <input class="tendered" inputmode="decimal" size="7"></label>';
          extra.querySelector('span').textContent = T.tendered;
          const tendered = extra.querySelector('.tendered');
          tendered.value = ((p.tendered_cents || p.amount_cents) / 100).toFixed(2);
          tendered.addEventListener('change', () => {
            const c = cents(tendered.value);
            if (c === null) { tendered.classList.add('invalid'); return; }
            p.tendered_cents = c;
            renderPayments();
          });
        } else if (p.method !== 'stored') {
          extra.innerHTML = '<input class="reference" size="12">';
          const ref = extra.querySelector('.reference');
          ref.placeholder = T.reference;
          ref.value = p.reference || '';
          ref.addEventListener('change', () => { p.reference = ref.value.trim() || null; });
        }
        const rm = tr.querySelector('.remove');
        rm.textContent = T.remove;
        rm.addEventListener('click', () => { payments.splice(i, 1); renderPayments(); });
        body.appendChild(tr);
      });
      const remaining = due() - paid();
      const change = payments.reduce((sum, p) => sum + (p.method === 'cash' ? Math.max(0, (p.tendered_cents || 0) - p.amount_cents) : 0), 0);
      $('remaining').textContent = yuan(remaining);
      $('change').textContent = yuan(change);
      const tenderedOK = payments.every((p) => p.method !== 'cash' || (p.tendered_cents || 0) >= p.amount_cents);
      $('finish').disabled = !(quote && state.lines.length && payments.length && remaining === 0 && tenderedOK);
    }

    async function addCode(code) {
      code = halfWidth(code);
      if (!code) return;
      try {
        const p = await api('GET', 'scan?code=' + encodeURIComponent(code));
        addProduct(p);
      } catch (e) { fail(e, fields); }
    }
    function addProduct(p) {
      const line = state.lines.find((l) => l.sku === p.sku);
      if (line) line.qty += 1; else state.lines.push({ sku: p.sku, name: p.name, price_cents: p.price_cents, qty: 1 });
      requote(() => { if (line) line.qty -= 1; else state.lines.pop(); });
    }

    $('scan-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const code = scan.value;
      scan.value = '';
      addCode(code);
      scan.focus();
    });
    let searchTimer = null;
    $('search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(async () => {
        const q = halfWidth($('search').value);
        const list = $('search-results');
        list.innerHTML = '';
        if (!q) return;
        try {
          const hits = await api('GET', 'products?q=' + encodeURIComponent(q));
          if (hits.length === 0) { const li = document.createElement('li'); li.className = 'muted'; li.textContent = T.noMatch; list.appendChild(li); }
          hits.forEach((p) => {
            const li = document.createElement('li');
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'hit';
            b.dataset.sku = p.sku;
            b.textContent = p.name + ' · ' + p.sku + ' · ' + yuan(p.price_cents);
            b.addEventListener('click', () => { addProduct(p); list.innerHTML = ''; $('search').value = ''; scan.focus(); });
            li.appendChild(b);
            list.appendChild(li);
          });
        } catch (e) { fail(e, fields); }
      }, 150);
    });

    $('member-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const phone = halfWidth($('member-phone').value);
      if (!phone) return;
      try {
        state.member = await api('GET', 'members?phone=' + encodeURIComponent(phone));
        $('register-form').classList.add('hidden');
        state.points = 0; $('points').value = '';
        await requote(() => { state.member = null; });
      } catch (e) {
        if (e.status === 404) { $('register-form').classList.remove('hidden'); $('register-name').focus(); say(e.message); }
        else fail(e, fields);
      }
    });
    $('register-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const m = await api('POST', 'members', { phone: halfWidth($('member-phone').value), name: $('register-name').value.trim() || null });
        state.member = m;
        $('register-form').classList.add('hidden');
        say(fill('registered', m.id), 'ok');
        await requote(() => { state.member = null; });
      } catch (e) { fail(e, fields); }
    });
    $('coupon-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const before = state.coupon;
      state.coupon = halfWidth($('coupon').value);
      requote(() => { state.coupon = before; $('coupon').value = before; });
    });
    $('points-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const before = state.points, n = Number(halfWidth($('points').value) || '0');
      if (!Number.isInteger(n) || n < 0) { $('points').classList.add('invalid'); return; }
      state.points = n;
      requote(() => { state.points = before; $('points').value = before || ''; });
    });
    document.querySelectorAll('button.method').forEach((b) => b.addEventListener('click', () => {
      const remaining = due() - paid();
      if (!quote || remaining <= 0) return;
      payments.push({ method: b.dataset.method, amount_cents: remaining, tendered_cents: b.dataset.method === 'cash' ? remaining : null, reference: null });
      renderPayments();
    }));
    $('finish').addEventListener('click', async () => {
      $('finish').disabled = true;
      try {
        const done = await api('POST', 'sales', { cart: cart(), payments });
        $('done-order').textContent = done.order.id;
        $('done-change').textContent = yuan(done.change_cents);
        $('receipt-link').href = done.receipt_url;
        $('done').showModal();
        $('next-sale').focus();
      } catch (e) { fail(e, fields); renderPayments(); }
    });
    // ---- parked sales (挂单/取单): held by the store node, any till resumes them --------
    async function refreshParked() {
      const list = $('parked-list');
      if (!list) return;
      let parked = [];
      try { parked = await api('GET', 'parked'); } catch (e) { return; }
      list.innerHTML = '';
      if (parked.length === 0) {
        const li = document.createElement('li');
        li.className = 'muted';
        li.textContent = T.parkedEmpty;
        list.appendChild(li);
      }
      parked.forEach((p) => {
        const li = document.createElement('li');
        li.className = 'parked-sale' + (p.earlier_shift ? ' earlier' : '');
        li.dataset.parked = p.id;
        const at = new Date(p.parked_at);
        const hhmm = String(at.getHours()).padStart(2, '0') + ':' + String(at.getMinutes()).padStart(2, '0');
        const text = document.createElement('span');
        text.textContent = hhmm + ' · ' + (p.cashier || '') + ' · ' + p.till + ' · ' + p.items + ' ' + T.items + ' · '
          + yuan(p.total_cents) + (p.earlier_shift ? ' · ' + T.parkedEarlier : '');
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.className = 'resume';
        btn.textContent = T.resume;
        btn.addEventListener('click', () => resumeParked(p.id));
        li.appendChild(text);
        li.appendChild(btn);
        list.appendChild(li);
      });
    }
    function clearSale() {
      state.lines = []; state.member = null; state.coupon = ''; state.points = 0;
      quote = null; payments = [];
      ['coupon', 'points', 'member-phone', 'register-name'].forEach((id) => { $(id).value = ''; });
    }
    async function resumeParked(id) {
      if (state.lines.length) { say(T.park + ' …', 'error'); return; }
      try {
        const p = await api('POST', 'parked/' + encodeURIComponent(id) + '/resume', {});
        const c = p.cart || { lines: [] };
        clearSale();
        for (const l of c.lines) {
          let name = l.sku, price = 0;
          try { const found = await api('GET', 'scan?code=' + encodeURIComponent(l.sku)); name = found.name; price = found.price_cents; } catch (e) { /* priced by the quote */ }
          state.lines.push({ sku: l.sku, name, price_cents: price, qty: l.qty });
        }
        if (c.member) { try { state.member = await api('GET', 'members/' + encodeURIComponent(c.member)); } catch (e) { state.member = { id: c.member }; } }
        state.coupon = c.coupon || ''; $('coupon').value = state.coupon;
        await requote();
      } catch (e) { fail(e, fields); }
      refreshParked();
    }
    $('park').addEventListener('click', async () => {
      if (!state.lines.length) return;
      try {
        await api('POST', 'parked', cart());
        clearSale();
        render();
        say('');
        scan.focus();
      } catch (e) { fail(e, fields); }
      refreshParked();
    });
    refreshParked();
    setInterval(refreshParked, 15000);

    $('next-sale').addEventListener('click', () => {
      $('done').close();
      state.lines = []; state.member = null; state.coupon = ''; state.points = 0;
      quote = null; payments = [];
      ['coupon', 'points', 'member-phone', 'register-name'].forEach((id) => { $(id).value = ''; });
      render();
      say('');
      scan.focus();
    });
    // A scanner types wherever the focus is: when it is not in a field (after pressing a
    // button), the first character goes to the scan field, and the rest follow it.
    document.addEventListener('keydown', (ev) => {
      const el = document.activeElement;
      const inField = el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA');
      if (!inField && ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !$('done').open) scan.focus();
    });
    render();
  }

  // ---- the after-sale screen ------------------------------------------------------------
  function afterSaleScreen() {
    let order = null;
    const fields = { order: $('find-order'), line: $('order-lines'), user: $('manager-user'), pin: $('manager-pin'), manager: $('manager-user'), manager_pin: $('manager-pin') };
    function show(o) {
      order = o;
      $('order-view').classList.remove('hidden');
      $('exchange').disabled = !swap.quote;
      $('order-id').textContent = o.id;
      $('order-total').textContent = yuan(o.total_cents) + (o.refunded_cents ? ' · ' + T.refunded + ' ' + yuan(o.refunded_cents) : '');
      const body = $('order-lines');
      body.innerHTML = '';
      o.lines.forEach((l) => {
        const tr = document.createElement('tr');
        tr.className = 'order-line';
        tr.dataset.line = l.line;
        tr.innerHTML = '<td></td><td class="num"></td><td class="num"></td><td class="num"></td><td class="num"><input class="refund-qty" inputmode="numeric" size="3" value="0"></td>';
        tr.cells[0].textContent = l.name + ' (' + l.sku + ')';
        tr.cells[1].textContent = l.qty;
        tr.cells[2].textContent = yuan(l.amount_cents);
        tr.cells[3].textContent = l.refunded_qty;
        const left = l.qty - l.refunded_qty;
        const input = tr.querySelector('.refund-qty');
        input.max = left;
        if (left <= 0) input.disabled = true;
        body.appendChild(tr);
      });
    }
    // Exchange: the chosen lines come back and the scanned items are sold, in one step.
    const swap = { lines: [], quote: null };
    async function requoteSwap() {
      const list = $('exchange-items');
      list.innerHTML = '';
      swap.lines.forEach((l) => { const li = document.createElement('li'); li.textContent = l.name + ' × ' + l.qty; list.appendChild(li); });
      swap.quote = swap.lines.length ? await api('POST', 'quote', { lines: swap.lines.map((l) => ({ sku: l.sku, qty: l.qty })) }) : null;
      $('exchange-due').textContent = yuan(swap.quote ? swap.quote.due_cents : 0);
      $('exchange').disabled = !(order && swap.quote);
    }
    $('exchange-scan-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const code = halfWidth($('exchange-scan').value);
      $('exchange-scan').value = '';
      if (!code) return;
      try {
        const p = await api('GET', 'scan?code=' + encodeURIComponent(code));
        const line = swap.lines.find((l) => l.sku === p.sku);
        if (line) line.qty += 1; else swap.lines.push({ sku: p.sku, name: p.name, qty: 1 });
        await requoteSwap();
      } catch (e) { fail(e, fields); }
    });
    $('exchange').addEventListener('click', async () => {
      if (!order || !swap.quote) return;
      const method = $('exchange-method').value;
      const body = {
        lines: returnedLines(), restock: $('restock').checked, reason: $('refund-reason').value.trim() || null,
        cart: { lines: swap.lines.map((l) => ({ sku: l.sku, qty: l.qty })) },
        payments: [{ method, amount_cents: swap.quote.due_cents, tendered_cents: method === 'cash' ? swap.quote.due_cents : null }],
      };
      if (!$('manager').classList.contains('hidden')) body.manager = { user: $('manager-user').value.trim(), pin: $('manager-pin').value };
      try {
        const done = await api('POST', 'orders/' + encodeURIComponent(order.id) + '/exchange', body);
        show(done.returned);
        swap.lines = []; await requoteSwap();
        say(fill('exchangeDone', yuan(done.refunded_cents)) + ' · ' + T.order + ' ' + done.sold.id, 'ok');
      } catch (e) {
        if (e.code === 'forbidden' && $('manager').classList.contains('hidden')) {
          $('manager').classList.remove('hidden');
          say(T.managerNeeded + ' — ' + e.message, 'error');
          $('manager-user').focus();
        } else fail(e, fields);
      }
    });
    function returnedLines() {
      const lines = [];
      document.querySelectorAll('#order-lines tr').forEach((tr) => {
        const n = Number(halfWidth(tr.querySelector('.refund-qty').value) || '0');
        if (n > 0) lines.push({ line: Number(tr.dataset.line), qty: n });
      });
      return lines;
    }
    $('find-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const q = halfWidth($('find-order').value);
      if (!q) return;
      try {
        show(await api('GET', 'orders/' + encodeURIComponent(q)));
        $('manager').classList.add('hidden');
        say('');
      } catch (e) { fail(e, fields); }
    });
    $('refund-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!order) return;
      const lines = returnedLines();
      const body = { lines, restock: $('restock').checked, reason: $('refund-reason').value.trim() || null };
      if (!$('manager').classList.contains('hidden')) {
        body.manager = { user: $('manager-user').value.trim(), pin: $('manager-pin').value };
      }
      try {
        const before = order.refunded_cents;
        const after = await api('POST', 'orders/' + encodeURIComponent(order.id) + '/refund', body);
        show(after);
        $('manager').classList.add('hidden');
        $('manager-pin').value = '';
        say(fill('refundDone', yuan(after.refunded_cents - before)), 'ok');
      } catch (e) {
        if (e.code === 'forbidden' && $('manager').classList.contains('hidden')) {
          $('manager').classList.remove('hidden');
          say(T.managerNeeded + ' — ' + e.message, 'error');
          $('manager-user').focus();
        } else fail(e, fields);
      }
    });
  }

  const tab = document.body.dataset.tab;
  if (tab === 'sale' && $('sale')) saleScreen();
  if (tab === 'after-sale' && $('after-sale')) afterSaleScreen();
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') say('');
  });
})();
