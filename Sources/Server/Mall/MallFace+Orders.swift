import Commerce
import Foundation
import Hummingbird
import Node
import Storage

/// My orders: the list by status tab (`/mall/orders?status=`), one order (`/mall/orders/<id>`)
/// with its lines, sums, payments, shipment and refund requests, and the member's actions on
/// it: cancel before payment, confirm receipt, ask for a refund. Someone else's order is 404.
extension MallFace {
    func addOrderRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/mall/assets/mall_order_countdown.js") { _, _ in
            asset(
                PackageResources.mall_order_countdown_js, type: "text/javascript; charset=utf-8",
                cacheControl: "max-age=3600")
        }
        router.get("/mall/orders") { request, _ in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let t = MallText.catalog(signed.language)
            let wanted = request.uri.queryParameters.get("status")
            let tab = wanted.flatMap(MallOrderTab.init(rawValue:))
            if let wanted, !wanted.isEmpty, tab == nil {
                return message(request, signed, t["bad_status_tab"] ?? "", back: "/mall/orders", status: .badRequest)
            }
            let orders = try await blocking { try me.myOrders(tab) }
            let tabs: [[String: Any]] =
                [["key": "all", "href": "/mall/orders", "label": t["tab_all"] ?? "", "current": tab == nil]]
                + MallOrderTab.allCases.map {
                    [
                        "key": $0.rawValue, "href": "/mall/orders?status=\($0.rawValue)",
                        "label": t["tab_\($0.rawValue)"] ?? "", "current": tab == $0,
                    ]
                }
            return page(request, signed, title: t["orders_title"] ?? "") {
                MallTemplates.render(
                    "mall_order_list", ["t": t, "tabs": tabs, "orders": orders.map { Self.orderRow($0, t) }])
            }
        }
        router.get("/mall/orders/:id") { request, context in
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let id = context.parameters.get("id") ?? ""
            let t = MallText.catalog(signed.language)
            let now = node.store.wallNow()
            do {
                let (order, payments, requests) = try await blocking {
                    (try me.order(id), try me.orderPayments(id), try me.refundRequests(order: id))
                }
                var context = Self.orderContext(order, t, language: signed.language, now: now)
                context["csrf"] = signed.session.csrf
                context["payments"] = payments.map { Self.paymentRow($0, t) }
                context["hasPayments"] = !payments.isEmpty
                context["requests"] = requests.map {
                    [
                        "id": $0.id, "reason": $0.reason ?? "", "statusKey": $0.status,
                        "status": t["refund_\($0.status)"] ?? $0.status,
                    ]
                }
                context["hasRequests"] = !requests.isEmpty
                let closed = order.closes_at.map { now > $0 } ?? false
                context["refundable"] =
                    ["paid", "shipped", "completed"].contains(order.status) && order.paid_cents > order.refunded_cents
                    && !requests.contains { $0.status == "requested" } && !closed
                context.merge(Self.afterSaleContext(order, t, closed: closed)) { _, new in new }
                return page(request, signed, title: t["order_title"] ?? "") {
                    MallTemplates.render("mall_order", context)
                }
            } catch let error as NodeError {
                return refusal(request, signed, error, back: "/mall/orders")
            }
        }
        orderAction("cancel", router) { me, id, _ in _ = try me.cancelOrder(id) }
        orderAction("receive", router) { me, id, _ in _ = try me.confirmReceipt(id) }
        orderAction("refund", router) { me, id, form in
            _ = try me.requestRefund(order: id, reason: String((form["reason"] ?? "").prefix(1000)))
        }
    }

    /// A POST on one of the member's orders (`/mall/orders/<id>/<action>`): CSRF-checked, then
    /// `work` through the member's self-service; back to the order page, or the refusal.
    func orderAction(
        _ action: String, _ router: Router<BasicRequestContext>,
        _ work: @escaping @Sendable (MemberSelfService, String, Form) throws -> Void
    ) {
        router.post("/mall/orders/:id/\(action)") { request, context in
            let form = try await Form.read(request)
            guard let (signed, me) = try await member(request) else { return toLogin(request) }
            let id = context.parameters.get("id") ?? ""
            let back = "/mall/orders/\(Self.pathSafe(id))"
            guard Self.csrfMatches(form, signed) else { return csrfRefusal(request, signed, back: back) }
            do {
                try await blocking { try work(me, id, form) }
                return redirect(back)
            } catch let error as NodeError {
                return refusal(request, signed, error, back: back)
            }
        }
    }

    /// An id as it may appear in a redirect (anything else makes the link go to the list).
    static func pathSafe(_ id: String) -> String {
        SKUCode(id) == nil ? "" : id
    }

    /// A row of the order list.
    static func orderRow(_ o: OrderView, _ t: [String: String]) -> [String: Any] {
        let first = o.lines.first.map { "\($0.name) × \($0.qty)" } ?? ""
        return [
            "id": o.id, "status": t["status_\(o.status)"] ?? o.status, "total": Money(cents: o.total_cents).yuan,
            "items": o.lines.count > 1 ? "\(first) \(t["order_items_more"] ?? "")" : first,
        ]
    }

    /// An order page's figures: the lines, the sums (goods + shipping fee − discounts = total; the
    /// discounts include a free-shipping one), points used (the order's points payment),
    /// shipment and the deadline.
    static func orderContext(_ o: OrderView, _ t: [String: String], language: TillLanguage, now: Int64)
        -> [String: Any]
    {
        let points = o.payments.filter { $0.method == "points" }.reduce(Int64(0)) { $0 + $1.amount_cents }
        let shipping = max(0, o.total_cents - (o.subtotal_cents - o.discount_cents))
        var context: [String: Any] = [
            "t": t, "id": o.id, "statusKey": o.status, "status": t["status_\(o.status)"] ?? o.status,
            "lines": o.lines.map {
                ["name": $0.name, "qty": String($0.qty), "amount": Money(cents: $0.amount_cents).yuan]
            },
            "subtotal": Money(cents: o.subtotal_cents).yuan,
            "discount": Money(cents: o.discount_cents).yuan,
            "shipping": Money(cents: shipping).yuan, "points": points > 0 ? String(points) : false,
            "total": Money(cents: o.total_cents).yuan, "paid": Money(cents: o.paid_cents).yuan,
            "refunded": o.refunded_cents > 0 ? Money(cents: o.refunded_cents).yuan : false,
            "pending": o.status == OrderStatus.pending.rawValue, "shipped": o.status == OrderStatus.shipped.rawValue,
        ]
        if o.carrier != nil || o.tracking != nil {
            context["shipping_info"] = ["carrier": o.carrier ?? "", "tracking": o.tracking ?? ""]
        }
        context.merge(deadlineContext(o, t, now: now)) { _, new in new }
        return context
    }

    /// The unpaid order's deadline: its time (Asia/Shanghai) in a sentence, and the numbers the
    /// countdown script ticks from.
    static func deadlineContext(_ o: OrderView, _ t: [String: String], now: Int64) -> [String: Any] {
        guard let deadline = Orders.expiresAt(o) else { return [:] }
        let minutes = (deadline / 60_000 + 8 * 60) % (24 * 60)
        let clock = String(format: "%02d:%02d", Int(minutes / 60), Int(minutes % 60))
        let text =
            deadline > now
            ? (t["expires_at"] ?? "%@").replacingOccurrences(of: "%@", with: clock) : (t["expired"] ?? "")
        return ["deadline": String(deadline), "now": String(now), "expiresText": text]
    }

    /// The after-sale line: until when the member may ask for a refund (China time, like the
    /// payment deadline), or that it is over.
    static func afterSaleContext(_ o: OrderView, _ t: [String: String], closed: Bool) -> [String: Any] {
        guard let closes = o.closes_at else { return [:] }
        if closed { return ["afterSaleText": t["after_sale_over"] ?? ""] }
        let date = Date(timeIntervalSince1970: TimeInterval(closes + 8 * 3_600_000) / 1000)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        let d = utc.dateComponents([.year, .month, .day], from: date)
        let text = String(format: "%04d-%02d-%02d", d.year ?? 0, d.month ?? 0, d.day ?? 0)
        return ["afterSaleText": (t["after_sale_until"] ?? "%@").replacingOccurrences(of: "%@", with: text)]
    }

    /// A row of an order's payment list.
    static func paymentRow(_ p: MallPaymentRow, _ t: [String: String]) -> [String: Any] {
        [
            "id": p.id, "method": t["method_\(p.method)"] ?? p.method, "amount": Money(cents: p.amount_cents).yuan,
            "stateKey": p.state, "state": t["payment_\(p.state)"] ?? p.state,
        ]
    }
}
