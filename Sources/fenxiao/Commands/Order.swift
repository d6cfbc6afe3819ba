import ArgumentParser
import Commerce
import Node
import Replication
import Storage

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Orders: create, quote, show, list, pay, ship, complete, cancel, refund.",
        subcommands: [
            Create.self, Quote.self, Show.self, List.self, Pay.self, Ship.self, Complete.self, Cancel.self, Refund.self,
            Events.self, Expire.self, RefundRequest.self, RefundDecide.self, RefundRequests.self, ShippingFee.self,
            AfterSale.self,
            Find.self, ReceiptCommand.self, Exchange.self, MallPayments.self,
        ])

    struct ShippingFee: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "shipping-fee", abstract: "Show or (central, --set Y) set the shipping fee of online orders.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Fee in yuan.") var set: Money?
        struct Out: Encodable { let fee_cents: Int64 }
        func run(on node: FenxiaoNode) throws -> Out {
            Out(fee_cents: try set.map { try node.orders.setShippingFee($0) } ?? node.orders.shippingFee())
        }
        func human(_ out: Out) -> String {
            "online orders ship for \(yuan(out.fee_cents)) (free for levels with free shipping)"
        }
    }

    struct AfterSale: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "after-sale",
            abstract: "Show or (central) set the after-sale period of new orders (售后期).",
            discussion: """
                An order sold while a period is set closes that many days after its sale: no refund, \
                payment or status change is accepted after that, and once every store has synced past \
                it, stores drop it from their files (head office keeps every order).
                """)
        @OptionGroup var common: CommonOptions
        @Option(help: "Days (1…3650) new orders stay open after their sale.") var setDays: Int64?
        @Flag(help: "New orders never close (the default).") var never = false
        struct Out: Encodable { let close_days: Int64? }
        func run(on node: FenxiaoNode) throws -> Out {
            if never && setDays != nil {
                throw ValidationError("give --set-days or --never, not both")
            }
            if never { return Out(close_days: try node.orders.setAfterSaleDays(nil)) }
            return Out(
                close_days: try setDays.map { try node.orders.setAfterSaleDays($0) } ?? node.orders.afterSaleDays())
        }
        func human(_ out: Out) -> String {
            out.close_days.map { "new orders close \($0) day(s) after their sale" } ?? "orders never close"
        }
    }

    struct Cart: ParsableArguments {
        @Option(name: .customLong("line"), help: "SKU:QTY (repeat for more lines).") var lines: [String] = []
        @Option var member: String?
        @Option var coupon: String?
    }

    struct Create: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Sell: create an order (a counter sale by default).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var cart: Cart
        @Option(help: "cash, card, wechat, alipay, wallet, qrpay or stored (required at the counter, unless --split).")
        var pay: PaymentMethod?
        @Option(
            name: .customLong("split"),
            help:
                "Split payment: METHOD:AMOUNT (repeat; one METHOD alone takes the rest), e.g. --split wechat:20 --split cash."
        )
        var split: [String] = []
        @Option(help: "Cash handed over (cash payments); the change due is shown.") var tendered: Money?
        @Option(help: "The open till shift the sale is taken in (see `fenxiao shift`).") var shift: String?
        @Option(
            name: .customLong("barcode"),
            help: "BARCODE:QTY (or a SKU code; quantity 1 when omitted), as scanned (repeat).")
        var barcodes: [String] = []
        @Option(help: "pos (counter, default) or online (pending, stock reserved).") var channel: SalesChannel = .pos
        @Option(help: "Warehouse to sell from (default: this node's own).") var warehouse: String?
        @Option(
            parsing: .unconditional,
            help:
                "Points the member redeems (100 points = ¥1, capped by `member points-rules`, default half the total).")
        var points: Int64 = 0
        @Option(help: "Referral code of the distributor link the order came through (binds an unbound member).")
        var via: String?
        @Option(
            name: .customLong("pay-ref"),
            help: "Card or wallet transaction reference (masked for roles without view_contacts).") var payReference:
            String?

        func validate() throws {
            guard points >= 0 else { throw ValidationError("--points must not be negative") }
        }
        func run(on node: FenxiaoNode) throws -> OrderView {
            var scanned: [LineRequest] = []
            for text in barcodes {
                let line = try ScannedLine(parsing: text)
                scanned.append(try node.till.resolveLine(code: line.code, quantity: line.quantity))
            }
            var request = OrderRequest(
                lines: try orderLines(cart.lines) + scanned, member: cart.member, coupon: cart.coupon, pay: pay,
                channel: channel,
                warehouse: warehouse)
            request.points = points
            request.via = via
            request.payReference = payReference
            request.shift = shift
            do {
                request.payments = try split.map { try PaymentPart(parsing: $0) }
            } catch {
                throw NodeError.wrap(error)
            }
            if let tendered {
                if let i = request.payments.firstIndex(where: { $0.method == .cash }) {
                    request.payments[i].tendered = tendered
                } else {
                    request.tendered = tendered
                }
            }
            return try node.orders.create(request)
        }
        func human(_ order: OrderView) -> String { describeOrder(order) }
    }

    struct Quote: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "quote",
            abstract: "Price a cart with every discount explained, without selling.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var cart: Cart
        struct Out: Encodable {
            let subtotal_cents: Int64, total_cents: Int64, discounts: [PricingEngine.Discount], lines: [OrderLine]
            let skipped: [PricingEngine.Skipped]
        }
        func run(on node: FenxiaoNode) throws -> Out {
            let q = try node.orders.quote(
                OrderRequest(lines: try orderLines(cart.lines), member: cart.member, coupon: cart.coupon, pay: .cash))
            return Out(
                subtotal_cents: q.subtotal.cents, total_cents: q.total.cents, discounts: q.discounts, lines: q.lines,
                skipped: q.skipped)
        }
        /// The engine's explanations in the output language (`--json` keeps the English sentences).
        func human(_ q: Out) -> String {
            let say = { (note: PricingNote) in PricingText.sentence(note, in: OutputLanguage.current) }
            return
                ([OutputLanguage.text("subtotal ", "小计 ") + yuan(q.subtotal_cents)]
                + q.discounts.map { "  - \(yuan($0.amountCents))  \(say($0.note))" }
                + [OutputLanguage.text("total    ", "合计 ") + yuan(q.total_cents)]
                + q.skipped.map {
                    OutputLanguage.text("not applied: ", "未参加：")
                        + "\(PricingText.source($0.source, in: OutputLanguage.current)) — \(say($0.note))"
                })
                .joined(separator: "\n")
        }
    }

    struct Exchange: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "exchange",
            abstract: "Exchange at the counter: return lines of an order (restocked) and sell new ones, in one step.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(name: .customLong("return"), help: "LINE:QTY of the order coming back (repeat).") var returns:
            [String] = []
        @Option(name: .customLong("line"), help: "SKU:QTY of the new sale (repeat).") var lines: [String] = []
        @Option(help: "How the new sale is paid (the return goes back by the original payments).") var pay:
            PaymentMethod = .cash
        @Option var member: String?
        @Option var reason: String?
        @Flag(name: .customLong("no-restock"), help: "The returned goods do not go back on the shelf.") var noRestock =
            false
        @Option var shift: String?
        @Option(help: "A manager who approves a refund above your limit (with --manager-pin).") var manager: String?
        @Option(name: .customLong("manager-pin")) var managerPin: String?
        func run(on node: FenxiaoNode) throws -> ExchangeView {
            let node = try node.approved(manager: manager, pin: managerPin)
            var sale = OrderRequest(lines: try orderLines(lines), member: member, pay: pay)
            sale.shift = shift
            return try node.till.exchange(
                order: id, returning: try refundLines(returns), restock: !noRestock, reason: reason, sale: sale)
        }
        func human(_ x: ExchangeView) -> String {
            "returned \(yuan(x.refunded_cents)) on \(x.returned.id); sold \(x.sold.id) for \(yuan(x.sold.total_cents)); "
                + (x.difference_cents >= 0
                    ? "customer pays \(yuan(x.difference_cents)) more"
                    : "customer gets \(yuan(-x.difference_cents)) back")
        }
    }

    struct Find: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "find",
            abstract: "Find an order by the last 4–6 characters of its id (as on the receipt).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The last 4–6 characters of the order id.") var suffix: String
        func run(on node: FenxiaoNode) throws -> Listing<OrderView> {
            Listing(key: "orders", items: [try node.till.findOrder(endingWith: suffix)])
        }
        func human(_ found: Listing<OrderView>) -> String { found.items.map(describeOrder).joined(separator: "\n") }
    }

    struct ReceiptCommand: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "receipt",
            abstract: "An order's receipt: store, lines, discounts, payments with change, points.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run(on node: FenxiaoNode) throws -> Receipt { try node.till.receipt(id) }
        func human(_ r: Receipt) -> String { describeReceipt(r) }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one order.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run(on node: FenxiaoNode) throws -> ShownOrder {
            ShownOrder(order: try node.orders.find(id), shipTo: try node.members.shipTo(order: id))
        }
        func human(_ shown: ShownOrder) -> String {
            describeOrder(shown.order)
                + (shown.order.closes_at.map {
                    "\n  " + (OutputLanguage.current == .chinese ? "售后期至" : "after-sale period ends")
                        + " \(Status.time($0 << 16))"
                } ?? "")
                + (shown.shipTo.map {
                    "\n  " + (OutputLanguage.current == .chinese ? "收货地址" : "ship to")
                        + " \($0.name) \($0.phone) \($0.address)"
                } ?? "")
        }
    }

    /// `order show`: the order, and where a mall order ships to (JSON: the order's fields and
    /// `ship_to` when there is one).
    struct ShownOrder: Encodable {
        var order: OrderView
        var shipTo: MallShipToRow?

        enum Keys: String, CodingKey { case ship_to }

        func encode(to encoder: any Encoder) throws {
            try order.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encodeIfPresent(shipTo, forKey: .ship_to)
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List orders, newest first.")
        @OptionGroup var common: CommonOptions
        @Option var status: OrderStatus?
        @Option var member: String?
        @Option var store: String?
        @Option var sku: String?
        @Option(help: "Created at or after (2026-11-01, ISO 8601 or ms).") var from: Instant?
        @Option(help: "Created before (2026-11-01, ISO 8601 or ms).") var to: Instant?
        @Option var limit: Int = 50
        @Option var offset: Int = 0
        func validate() throws {
            guard (1...1000).contains(limit), offset >= 0 else {
                throw ValidationError("--limit must be 1…1000 and --offset ≥ 0")
            }
        }
        func run(on node: FenxiaoNode) throws -> Listing<OrderView> {
            let filter = StoreReader.OrderFilter(
                status: status, member: member, store: store, sku: sku, from: from?.millis, to: to?.millis)
            return Listing(key: "orders", items: try node.orders.list(matching: filter, limit: limit, offset: offset))
        }
        func human(_ orders: Listing<OrderView>) -> String {
            orders.items.map { "\($0.id)  \($0.status)  \(yuan($0.total_cents))  \($0.member ?? "")" }.joined(
                separator: "\n")
        }
    }

    struct Step: ParsableArguments {
        @OptionGroup var common: CommonOptions
        @Argument var id: String
    }

    /// A status change of one order: prints its new status.
    protocol StepCommand: NodeCommand where Output == OrderView {
        var step: Step { get }
    }

    struct Pay: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "pay", abstract: "Record payment of a pending order.")
        @OptionGroup var step: Step
        @Option var pay: PaymentMethod
        @Option(name: .customLong("pay-ref"), help: "Card or wallet transaction reference.") var payReference: String?
        func run(on node: FenxiaoNode) throws -> OrderView {
            try node.orders.transition(order: step.id, to: .paid, pay: pay, payReference: payReference)
        }
    }

    struct Ship: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "ship",
            abstract: "Ship a paid order (its reserved stock leaves the warehouse).")
        @OptionGroup var step: Step
        @Option(help: "Carrier, e.g. SF Express.") var carrier: String?
        @Option(help: "Tracking number.") var tracking: String?
        @Option(name: .customLong("line"), help: "Ship only LINE:QTY (repeat) — a partial shipment.") var lines:
            [String] = []
        func run(on node: FenxiaoNode) throws -> OrderView {
            if lines.isEmpty {
                return try node.orders.transition(order: step.id, to: .shipped, carrier: carrier, tracking: tracking)
            }
            return try node.orders.shipLines(
                order: step.id, lines: lines.map { try ShipmentLine(parsing: $0) }, carrier: carrier, tracking: tracking
            )
        }
    }

    struct Complete: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "complete", abstract: "Complete a paid or shipped order.")
        @OptionGroup var step: Step
        func run(on node: FenxiaoNode) throws -> OrderView {
            try node.orders.transition(order: step.id, to: .completed)
        }
    }

    struct Cancel: StepCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel an unpaid order (its reservations are released).")
        @OptionGroup var step: Step
        func run(on node: FenxiaoNode) throws -> OrderView {
            try node.orders.transition(order: step.id, to: .cancelled)
        }
    }

    struct Refund: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund",
            abstract: "Refund an order (default: all that is still refundable).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "Amount in yuan (default: everything not yet refunded).") var amount: Money?
        @Option var reason: String?
        @Flag(help: "Return the goods (to the order's warehouse, or --to-warehouse).") var restock = false
        @Option(name: .customLong("line"), help: "LINE:QTY refunds those units at what was paid for them (repeat).")
        var lines: [String] = []
        @Option(name: .customLong("to-warehouse")) var toWarehouse: String?
        @Option(help: "A manager who approves a refund above your limit (with --manager-pin).") var manager: String?
        @Option(help: "The open till shift the refund is given in.") var shift: String?
        @Option(name: .customLong("manager-pin"), help: "That manager's PIN.") var managerPin: String?
        func run(on node: FenxiaoNode) throws -> OrderView {
            let node = try node.approved(manager: manager, pin: managerPin)
            return try node.orders.refund(
                order: id, amount: amount, reason: reason, restock: restock, lines: try refundLines(lines),
                toWarehouse: toWarehouse,
                shift: shift)
        }
        func human(_ order: OrderView) -> String {
            "order \(order.id): refunded \(yuan(order.refunded_cents)) of \(yuan(order.paid_cents)), \(order.status)"
        }
    }
}

extension OrderCommand.StepCommand {
    var common: CommonOptions { step.common }
    func human(_ order: OrderView) -> String { "order \(order.id) is \(order.status)" }
}

extension OrderCommand {
    struct RefundRequest: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund-request",
            abstract: "Record a refund/return request for approval (whole order by default).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var amount: Money?
        @Option var reason: String?
        @Flag(help: "The goods come back (full refunds).") var restock = false
        func run(on node: FenxiaoNode) throws -> RefundRequestView {
            try node.orders.requestRefund(order: id, amount: amount, reason: reason, restock: restock)
        }
        func human(_ r: RefundRequestView) -> String { "refund request \(r.id) for order \(r.order): \(r.status)" }
    }

    struct RefundDecide: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund-decide", abstract: "Approve (--approve) or reject (--reject) a refund request.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Flag var decision: Decision
        @Option var note: String?
        enum Decision: EnumerableFlag { case approve, reject }
        func run(on node: FenxiaoNode) throws -> RefundRequestView {
            try node.orders.decideRefund(request: id, approve: decision == .approve, note: note)
        }
        func human(_ r: RefundRequestView) -> String { "refund request \(r.id): \(r.status)" }
    }

    struct RefundRequests: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund-requests", abstract: "List refund requests.")
        @OptionGroup var common: CommonOptions
        @Option(help: "requested, approved or rejected.") var status: RefundRequestRegister.Status?
        func run(on node: FenxiaoNode) throws -> Listing<RefundRequestView> {
            Listing(key: "requests", items: try node.orders.refundRequests(status: status))
        }
        func human(_ rs: Listing<RefundRequestView>) -> String {
            rs.items.map { "\($0.id)  \($0.order)  \($0.amount_cents.map(yuan) ?? "all")  \($0.status)" }.joined(
                separator: "\n")
        }
    }

    struct Expire: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "expire",
            abstract: "Cancel unpaid orders older than N minutes (their stock is released).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("older-than"), parsing: .unconditional, help: "Minutes.")
        var olderThan: Int64 = Orders.unpaidLifeMinutes
        func run(on node: FenxiaoNode) throws -> Listing<String> {
            Listing(key: "expired", items: try node.orders.expireUnpaid(olderThan: olderThan))
        }
        func human(_ ids: Listing<String>) -> String {
            ids.items.isEmpty ? "no unpaid order is that old" : "expired \(ids.items.joined(separator: ", "))"
        }
    }

    struct Events: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "The notification outbox: one event per order status change (delivered by `serve --webhook`).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only events after this id.") var after: Int64 = 0
        @Option(help: "Only this order's events.") var order: String?
        @Flag(help: "Only events not yet delivered.") var pending = false
        @Option var limit = 100
        func run(on node: FenxiaoNode) throws -> Listing<OutboxEvent> {
            guard node.identity.role == .central else {
                throw NodeError(
                    .wrongRole,
                    "order status events are recorded at central, which delivers them (`serve --webhook`): run this with central's --data"
                )
            }
            return Listing(
                key: "events",
                items: try node.read {
                    try $0.outbox(
                        after: after, limit: limit, pendingOnly: pending, subject: order, topic: "order.status")
                }
            )
        }
        func human(_ events: Listing<OutboxEvent>) -> String {
            events.items.map {
                "#\($0.id) \($0.topic) \($0.subject) \($0.payload)\($0.delivered_at == nil ? "  (pending)" : "")"
            }
            .joined(separator: "\n")
        }
    }
}

func describeOrder(_ o: OrderView) -> String {
    if OutputLanguage.current == .chinese { return describeOrderInChinese(o) }
    var lines = ["order \(o.id)  \(o.status)  \(o.channel ?? "")  \(o.store ?? "")"]
    for l in o.lines {
        let back = l.refunded_qty > 0 ? "  (refunded \(l.refunded_qty) × for \(yuan(l.refunded_cents)))" : ""
        lines.append(
            "  \(l.line). \(l.sku) \(l.name) × \(l.qty) @ \(yuan(l.unit_cents))\(l.discount_cents > 0 ? " - \(yuan(l.discount_cents))" : "")\(back)"
        )
    }
    if o.discount_cents > 0 { lines.append("  discounts \(yuan(o.discount_cents))") }
    lines.append(
        "  total \(yuan(o.total_cents))  paid \(yuan(o.paid_cents))\(o.refunded_cents > 0 ? "  refunded \(yuan(o.refunded_cents))" : "")  \(o.pay_method ?? "")"
    )
    if o.payments.count > 1 || o.payments.contains(where: { $0.tendered_cents != nil }) {
        for p in o.payments {
            let change = p.tendered_cents.map { "  tendered \(yuan($0))  change \(yuan($0 - p.amount_cents))" } ?? ""
            lines.append("  paid \(yuan(p.amount_cents)) \(methodLabel(p.method))\(change)")
        }
    }
    for r in o.refunds {
        // Each refund names its method and how it went back: cash / card / wallet / QR,
        // stored value (credited to the member), points.
        let split = r.parts.map {
            "\($0.method == "points" ? "\($0.amount_cents) points" : yuan($0.amount_cents)) \(methodLabel($0.method))"
        }
        lines.append(
            "  refund \(r.id)  \(yuan(r.amount_cents))  by \(r.method.map(methodLabel) ?? "?")\(split.count > 1 ? " (\(split.joined(separator: " + ")))" : "")"
                + "\(r.reason.map { "  \"\($0)\"" } ?? "")")
    }
    return lines.joined(separator: "\n")
}

/// How a payment or refund method reads in `order show` (in Chinese with a Chinese locale).
func methodLabel(_ method: String) -> String {
    if OutputLanguage.current == .chinese {
        let zh = [
            "cash": "现金", "card": "银行卡", "wechat": "微信支付", "alipay": "支付宝", "wallet": "电子钱包", "qrpay": "扫码支付",
            "stored": "储值", "points": "积分", "mixed": "多种方式",
        ]
        if let label = zh[method] { return label }
    }
    switch method {
    case "stored": return "stored value"
    case "qrpay": return "QR pay"
    case "wechat": return "WeChat Pay"
    case "alipay": return "Alipay"
    default: return method
    }
}

/// A receipt as a person reads it (the till prints the same on 80 mm paper), in the output language.
func describeReceipt(_ r: Receipt) -> String {
    let t = OutputLanguage.text
    var lines = [r.store_name, t("order ", "订单 ") + "\(r.order_id)  (…\(r.short_id))"]
    if let till = r.till {
        lines.append(t("till ", "收银台 ") + till + (r.cashier.map { t("  cashier ", "  收银员 ") + $0 } ?? ""))
    }
    if let member = r.member { lines.append(t("member ", "会员 ") + member + (r.member_phone.map { "  \($0)" } ?? "")) }
    for l in r.lines {
        lines.append(
            "  \(l.name) × \(l.qty) @ \(yuan(l.unit_cents))\(l.discount_cents > 0 ? " - \(yuan(l.discount_cents))" : "")  \(yuan(l.amount_cents))"
        )
    }
    lines.append(t("subtotal ", "小计 ") + yuan(r.subtotal_cents))
    if r.discount_cents > 0 { lines.append(t("discounts -", "优惠 -") + yuan(r.discount_cents)) }
    lines.append(t("total ", "合计 ") + yuan(r.total_cents))
    for p in r.payments {
        let cash =
            p.tendered_cents.map {
                t("  tendered ", "  实收 ") + yuan($0) + t("  change ", "  找零 ") + yuan($0 - p.amount_cents)
            } ?? ""
        lines.append(
            "  \(p.method == "points" ? "\(p.amount_cents)" + t(" points", " 积分") : yuan(p.amount_cents)) \(methodLabel(p.method))\(cash)"
        )
    }
    if r.points_earned > 0 { lines.append(t("points earned ", "本单积分 ") + "\(r.points_earned)") }
    if r.refunded_cents > 0 { lines.append(t("refunded ", "已退款 ") + yuan(r.refunded_cents)) }
    return lines.joined(separator: "\n")
}

/// `order create`/`show` with a Chinese locale.
func describeOrderInChinese(_ o: OrderView) -> String {
    let status = [
        "completed": "已完成", "pending": "待付款", "paid": "已付款", "shipped": "已发货", "cancelled": "已取消", "refunded": "已退款",
    ]
    var lines = ["订单 \(o.id)  \(status[o.status] ?? o.status)  \(o.store ?? "")"]
    for l in o.lines {
        let back = l.refunded_qty > 0 ? "  （已退 \(l.refunded_qty) 件，\(yuan(l.refunded_cents))）" : ""
        lines.append(
            "  \(l.line). \(l.sku) \(l.name) × \(l.qty) @ \(yuan(l.unit_cents))\(l.discount_cents > 0 ? " 优惠 \(yuan(l.discount_cents))" : "")\(back)"
        )
    }
    if o.discount_cents > 0 { lines.append("  优惠合计 \(yuan(o.discount_cents))") }
    lines.append(
        "  合计 \(yuan(o.total_cents))  已付 \(yuan(o.paid_cents))\(o.refunded_cents > 0 ? "  已退 \(yuan(o.refunded_cents))" : "")"
    )
    for p in o.payments {
        let change = p.tendered_cents.map { "  实收 \(yuan($0))  找零 \(yuan($0 - p.amount_cents))" } ?? ""
        lines.append(
            "  \(methodLabel(p.method)) \(p.method == "points" ? "\(p.amount_cents) 积分" : yuan(p.amount_cents))\(change)"
        )
    }
    for r in o.refunds {
        lines.append(
            "  退款 \(r.id)  \(yuan(r.amount_cents))  \(r.method.map(methodLabel) ?? "")\(r.reason.map { "  “\($0)”" } ?? "")"
        )
    }
    return lines.joined(separator: "\n")
}
