import ArgumentParser
import Commerce
import Node
import Storage

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Orders: create, quote, show, list, pay, ship, complete, cancel, refund.",
        subcommands: [
            Create.self, Quote.self, Show.self, List.self, Pay.self, Ship.self, Complete.self, Cancel.self, Refund.self,
            Events.self, Expire.self, RefundRequest.self, RefundDecide.self, RefundRequests.self, ShippingFee.self,
        ])

    struct ShippingFee: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shipping-fee", abstract: "Show or (central, --set Y) set the shipping fee of online orders.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Fee in yuan.") var set: String?
        func run() throws {
            let node = try common.openNode()
            let fee = try attempt { try set.map { try node.setShippingFee($0) } ?? node.shippingFee() }
            struct Out: Encodable { let fee_cents: Int64 }
            common.emit(Out(fee_cents: fee), human: "online orders ship for \(yuan(fee)) (free for levels with free shipping)")
        }
    }

    struct Cart: ParsableArguments {
        @Option(name: .customLong("line"), help: "SKU:QTY (repeat for more lines).") var lines: [String] = []
        @Option var member: String?
        @Option var coupon: String?
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sell: create an order (a counter sale by default).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var cart: Cart
        @Option(help: "cash, card, wallet or qrpay (required at the counter).") var pay: String?
        @Option(help: "pos (counter, default) or online (pending, stock reserved).") var channel: String = "pos"
        @Option(help: "Warehouse to sell from (default: this node's own).") var warehouse: String?
        @Option(help: "Points the member redeems (100 points = ¥1, capped by `member points-rules`, default half the total).") var points: Int64 = 0
        @Option(help: "Referral code of the distributor link the order came through (binds an unbound member).") var via: String?
        @Option(name: .customLong("pay-ref"), help: "Card or wallet transaction reference (masked for roles without view_contacts).") var payReference: String?

        func run() throws {
            guard let ch = SalesChannel(rawValue: channel) else { throw ValidationError("--channel must be pos or online") }
            guard points >= 0 else { throw ValidationError("--points must not be negative") }
            let node = try common.openNode()
            var request = OrderRequest(lines: cart.lines, member: cart.member, coupon: cart.coupon, pay: pay, channel: ch, warehouse: warehouse)
            request.points = points
            request.via = via
            request.payReference = payReference
            let order = try attempt { try node.createOrder(request) }
            common.emit(order, human: describeOrder(order))
        }
    }

    struct Quote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Price a cart with every discount explained, without selling.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var cart: Cart
        func run() throws {
            let node = try common.openNode()
            let q = try attempt { try node.quote(OrderRequest(lines: cart.lines, member: cart.member, coupon: cart.coupon, pay: "cash")) }
            struct Out: Encodable {
                let subtotal_cents: Int64, total_cents: Int64, discounts: [PricingEngine.Discount], lines: [OrderLine]
                let skipped: [PricingEngine.Skipped]
            }
            let human = (["subtotal \(yuan(q.subtotal.cents))"] + q.discounts.map { "  - \(yuan($0.amountCents))  \($0.description)" }
                + ["total    \(yuan(q.total.cents))"] + q.skipped.map { "not applied: \($0.source) — \($0.reason)" })
                .joined(separator: "\n")
            common.emit(
                Out(subtotal_cents: q.subtotal.cents, total_cents: q.total.cents, discounts: q.discounts, lines: q.lines, skipped: q.skipped),
                human: human)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one order.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        func run() throws {
            let node = try common.openNode()
            let order = try attempt { try node.order(id) }
            common.emit(order, human: describeOrder(order))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first.")
        @OptionGroup var common: CommonOptions
        @Option var status: String?
        @Option var member: String?
        @Option var store: String?
        @Option var sku: String?
        @Option(help: "Created at or after (2026-11-01, ISO 8601 or ms).") var from: String?
        @Option(help: "Created before (2026-11-01, ISO 8601 or ms).") var to: String?
        @Option var limit: Int = 50
        @Option var offset: Int = 0
        func run() throws {
            guard (1...1000).contains(limit), offset >= 0 else { throw ValidationError("--limit must be 1…1000 and --offset ≥ 0") }
            let node = try common.openNode()
            let filter = StoreReader.OrderFilter(
                status: status, member: member, store: store, sku: sku, from: try from.map(parseInstant), to: try to.map(parseInstant))
            let orders = try attempt { try node.orders(matching: filter, limit: limit, offset: offset) }
            common.emit(
                Listing(key: "orders", items: orders),
                human: orders.map { "\($0.id)  \($0.status)  \(yuan($0.total_cents))  \($0.member ?? "")" }.joined(separator: "\n"))
        }
    }

    struct Step: ParsableArguments {
        @OptionGroup var common: CommonOptions
        @Argument var id: String

        func move(to status: OrderStatus, pay: String? = nil, carrier: String? = nil, tracking: String? = nil, payReference: String? = nil) throws {
            let node = try common.openNode()
            let order = try attempt {
                try node.transition(order: id, to: status, pay: pay, carrier: carrier, tracking: tracking, payReference: payReference)
            }
            common.emit(order, human: "order \(order.id) is \(order.status)")
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record payment of a pending order.")
        @OptionGroup var step: Step
        @Option var pay: String
        @Option(name: .customLong("pay-ref"), help: "Card or wallet transaction reference.") var payReference: String?
        func run() throws { try step.move(to: .paid, pay: pay, payReference: payReference) }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship a paid order (its reserved stock leaves the warehouse).")
        @OptionGroup var step: Step
        @Option(help: "Carrier, e.g. SF Express.") var carrier: String?
        @Option(help: "Tracking number.") var tracking: String?
        @Option(name: .customLong("line"), help: "Ship only LINE:QTY (repeat) — a partial shipment.") var lines: [String] = []
        func run() throws {
            if lines.isEmpty { return try step.move(to: .shipped, carrier: carrier, tracking: tracking) }
            let node = try step.common.openNode()
            let order = try attempt { try node.shipLines(order: step.id, lines: lines, carrier: carrier, tracking: tracking) }
            step.common.emit(order, human: "order \(order.id) is \(order.status)")
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Complete a paid or shipped order.")
        @OptionGroup var step: Step
        func run() throws { try step.move(to: .completed) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an unpaid order (its reservations are released).")
        @OptionGroup var step: Step
        func run() throws { try step.move(to: .cancelled) }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refund an order (default: all that is still refundable).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option(help: "Amount in yuan (default: everything not yet refunded).") var amount: String?
        @Option var reason: String?
        @Flag(help: "Return the goods (to the order's warehouse, or --to-warehouse).") var restock = false
        @Option(name: .customLong("line"), help: "LINE:QTY refunds those units at what was paid for them (repeat).") var lines: [String] = []
        @Option(name: .customLong("to-warehouse")) var toWarehouse: String?
        func run() throws {
            let node = try common.openNode()
            let order = try attempt {
                try node.refund(order: id, amount: amount, reason: reason, restock: restock, lines: lines, toWarehouse: toWarehouse)
            }
            common.emit(order, human: "order \(order.id): refunded \(yuan(order.refunded_cents)) of \(yuan(order.paid_cents)), \(order.status)")
        }
    }
}

extension OrderCommand {
    struct RefundRequest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund-request", abstract: "Record a refund/return request for approval (whole order by default).")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Option var amount: String?
        @Option var reason: String?
        @Flag(help: "The goods come back (full refunds).") var restock = false
        func run() throws {
            let node = try common.openNode()
            let r = try attempt { try node.requestRefund(order: id, amount: amount, reason: reason, restock: restock) }
            common.emit(r, human: "refund request \(r.id) for order \(r.order): \(r.status)")
        }
    }

    struct RefundDecide: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refund-decide", abstract: "Approve (--approve) or reject (--reject) a refund request.")
        @OptionGroup var common: CommonOptions
        @Argument var id: String
        @Flag var decision: Decision
        @Option var note: String?
        enum Decision: EnumerableFlag { case approve, reject }
        func run() throws {
            let node = try common.openNode()
            let r = try attempt { try node.decideRefund(request: id, approve: decision == .approve, note: note) }
            common.emit(r, human: "refund request \(r.id): \(r.status)")
        }
    }

    struct RefundRequests: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "refund-requests", abstract: "List refund requests.")
        @OptionGroup var common: CommonOptions
        @Option var status: String?
        func run() throws {
            let node = try common.openNode()
            let rs = try attempt { try node.refundRequests(status: status) }
            common.emit(Listing(key: "requests", items: rs), human: rs.map { "\($0.id)  \($0.order)  \($0.amount_cents.map(yuan) ?? "all")  \($0.status)" }.joined(separator: "\n"))
        }
    }

    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel unpaid orders older than N minutes (their stock is released).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("older-than"), help: "Minutes.") var olderThan: Int64 = 30
        func run() throws {
            let node = try common.openNode()
            let ids = try attempt { try node.expireUnpaid(olderThan: olderThan) }
            common.emit(Listing(key: "expired", items: ids), human: ids.isEmpty ? "no unpaid order is that old" : "expired \(ids.joined(separator: ", "))")
        }
    }

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The notification outbox: one event per order status change (delivered by `serve --webhook`).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only events after this id.") var after: Int64 = 0
        @Option(help: "Only this order's events.") var order: String?
        @Flag(help: "Only events not yet delivered.") var pending = false
        @Option var limit = 100
        func run() throws {
            let node = try common.openNode()
            let events = try attempt { try node.read { try $0.outbox(after: after, limit: limit, pendingOnly: pending, subject: order) } }
            common.emit(
                Listing(key: "events", items: events),
                human: events.map { "#\($0.id) \($0.topic) \($0.subject) \($0.payload)\($0.delivered_at == nil ? "  (pending)" : "")" }
                    .joined(separator: "\n"))
        }
    }
}

func describeOrder(_ o: OrderView) -> String {
    var lines = ["order \(o.id)  \(o.status)  \(o.channel ?? "")  \(o.store ?? "")"]
    for l in o.lines {
        let back = l.refunded_qty > 0 ? "  (refunded \(l.refunded_qty) × for \(yuan(l.refunded_cents)))" : ""
        lines.append("  \(l.line). \(l.sku) \(l.name) × \(l.qty) @ \(yuan(l.unit_cents))\(l.discount_cents > 0 ? " - \(yuan(l.discount_cents))" : "")\(back)")
    }
    if o.discount_cents > 0 { lines.append("  discounts \(yuan(o.discount_cents))") }
    lines.append("  total \(yuan(o.total_cents))  paid \(yuan(o.paid_cents))\(o.refunded_cents > 0 ? "  refunded \(yuan(o.refunded_cents))" : "")  \(o.pay_method ?? "")")
    for r in o.refunds {
        // Each refund names its method and how it went back: cash / card / wallet / QR,
        // stored value (credited to the member), points.
        let split = r.parts.map { "\($0.method == "points" ? "\($0.amount_cents) points" : yuan($0.amount_cents)) \(methodLabel($0.method))" }
        lines.append(
            "  refund \(r.id)  \(yuan(r.amount_cents))  by \(r.method.map(methodLabel) ?? "?")\(split.count > 1 ? " (\(split.joined(separator: " + ")))" : "")"
                + "\(r.reason.map { "  \"\($0)\"" } ?? "")")
    }
    return lines.joined(separator: "\n")
}

/// How a refund method reads in `order show`.
func methodLabel(_ method: String) -> String {
    switch method {
    case "stored": return "stored value"
    case "qrpay": return "QR pay"
    default: return method
    }
}
