import Commerce
import Replication
import Storage

/// What a cashier (or head office's online shop) asks for when creating an order.
public struct OrderRequest: Sendable, Equatable {
    /// What is bought: SKU codes and quantities (1–9,999 each, at most 200 lines). The faces
    /// parse their input into lines (the CLI's `--line TEA-01:2`, the till's `{sku, qty}`).
    public var lines: [LineRequest]
    public var member: String?
    public var coupon: String?
    /// How the customer pays (required at the counter).
    public var pay: PaymentMethod?
    public var channel: SalesChannel
    public var warehouse: String?
    /// Points the member redeems at the counter (100 points = ¥1), capped per order.
    public var points: Int64 = 0
    /// The referral code of the distributor's link the order came through; binds an unbound
    /// member to that distributor when the binding rule allows first-purchase binding.
    public var via: String?
    /// The card or wallet transaction reference of the payment (kept in the store's scope,
    /// masked for roles without `view_contacts`).
    public var payReference: String?
    /// Split payment at the counter (instead of `pay`): several methods, one amount left open
    /// for the rest, cash with the amount handed over.
    public var payments: [PaymentPart] = []
    /// Cash handed over when `pay` is cash (the receipt shows the change due).
    public var tendered: Money?
    /// The open till shift the sale is taken in (its payments count in that shift's Z report).
    public var shift: String?

    public init(
        lines: [LineRequest], member: String? = nil, coupon: String? = nil, pay: PaymentMethod? = nil,
        channel: SalesChannel = .pos, warehouse: String? = nil
    ) {
        self.lines = lines
        self.member = member
        self.coupon = coupon
        self.pay = pay
        self.channel = channel
        self.warehouse = warehouse
    }
}

extension Orders {
    /// A payment reference is a card or wallet transaction id: 1–64 letters, digits, `-`, `_`.
    static func validatePaymentReference(_ reference: String?) throws(NodeError) {
        guard let reference else { return }
        guard (1...64).contains(reference.utf8.count), SKUCode(reference) != nil else {
            throw NodeError(.invalidInput, "\(Field.payRef) must be 1–64 letters, digits, '-' or '_'")
        }
    }

    /// Validates the request's shape before any database work.
    static func parse(_ req: OrderRequest) throws(NodeError) -> ([LineRequest], PaymentMethod?) {
        try validatePaymentReference(req.payReference)
        guard !req.lines.isEmpty else {
            throw NodeError(.invalidInput, "an order needs at least one \(Field.line) SKU:QTY")
        }
        guard req.lines.count <= 200 else { throw NodeError(.invalidInput, "an order has at most 200 lines") }
        for line in req.lines {
            guard SKUCode(line.sku) != nil else {
                throw NodeError(
                    .invalidInput, "\(Field.sku) '\(line.sku)' is not a SKU code (1–64 letters, digits, '-', '.', '_')")
            }
            guard (1...9_999).contains(line.quantity) else {
                throw NodeError(.invalidInput, "\(Field.quantity) of \(line.sku) must be between 1 and 9999")
            }
        }
        let lines = req.lines
        if !req.payments.isEmpty && req.pay != nil {
            throw NodeError(.invalidInput, "give one \(Field.payment) method, or a split payment, not both")
        }
        let method = req.pay ?? req.payments.first?.method
        if req.channel == .pos && method == nil {
            throw NodeError(
                .invalidInput, "a counter sale needs \(Field.payment) cash|card|wechat|alipay|wallet|qrpay|stored")
        }
        if req.channel != .pos && (!req.payments.isEmpty || req.tendered != nil || req.shift != nil) {
            throw NodeError(.invalidInput, "split payments, \(Field.tendered) and \(Field.shift) are for counter sales")
        }
        for part in req.payments { try validatePaymentReference(part.reference) }
        return (lines, method)
    }

    /// Creates an order. At the counter (`pos`) it is paid and handed over at once: the sale
    /// leaves stock, the payment and the member's points are recorded. Online orders start
    /// pending with their stock reserved (an intention) until paid and shipped.
    public func create(_ req: OrderRequest) throws(NodeError) -> OrderView {
        let (lines, method) = try Self.parse(req)
        return try write { tx in
            let user = try check(.sell, tx.reader)
            let id = try sell(&tx, req, lines: lines, method: method)
            // The audit names the new order, so its receipt can name the cashier.
            if let user { try audit(&tx, user: user, action: "order.create", subject: id) }
            let reader = try tx.flushed()
            guard let view = tx.mintedOrderView(id) else { return try masked(Self.requireOrder(id, reader), reader) }
            // What the sale just wrote, not read back; debug builds (every test) check it equals the read.
            assert((try? Self.requireOrder(id, reader)) == view, "order \(id): the minted view differs from the read")
            return try masked(view, reader)
        }
    }

    /// The sale itself, inside a caller's transaction (a sale, or the new half of an exchange);
    /// returns the new order's id.
    func sell(_ tx: inout LocalTransaction, _ req: OrderRequest, lines: [LineRequest], method: PaymentMethod?) throws
        -> String
    {
        do {
            let r = tx.reader
            let (warehouse, stockScope) = try node.inventory.resolveWarehouse(req.warehouse, r)
            let (quote, level, holdersOnlyCoupon) = try price(
                lines, coupon: req.coupon, member: req.member, channel: req.channel, r, now: tx.nowMillis)
            var wanted: [String: Int64] = [:]
            for l in lines { wanted[l.sku, default: 0] += l.quantity }
            for (sku, qty) in wanted.sorted(by: { $0.key < $1.key }) {
                let level = try r.stockLevel(sku: sku, warehouse: warehouse)
                guard level.available >= qty else {
                    throw NodeError(
                        .conflict,
                        "only \(level.available) × \(sku) available at \(warehouse) (asked \(qty)); receive or count the stock first"
                    )
                }
            }
            let id = tx.newID("O")
            let scope = Scope.node(identity.node)
            let pos = req.channel == .pos
            var boundByLink: String?
            var reader = r
            if let via = req.via, try Distribution.bindByFirstPurchase(&tx, member: req.member, code: via, order: id) {
                boundByLink = via
                reader = try tx.flushed()  // the upline follows the binding just made
            }
            let upline = try Distribution.upline(for: req.member, reader)
            var snapshot: UplineSnapshot?
            if !upline.chain.isEmpty {
                // Snapshot: later re-binding never changes this order's commissions. Groups and
                // categories as they were at the sale, so commissions never depend on when later
                // edits of a group or a category reach a node.
                var categories: [String: String?] = [:]
                for l in lines { categories[l.sku] = .some(try Catalog.requireSKU(l.sku, r).category) }
                snapshot = UplineSnapshot(
                    chain: upline.chain, selfPurchase: upline.selfPurchase,
                    groups: try upline.chain.map { try r.register(DistributorRegister.self, $0)?.group },
                    lineCategories: categories)
            }
            try tx.emit(
                OrderCreated(
                    store: identity.node.rawValue, member: req.member, channel: req.channel,
                    status: pos ? .completed : .pending,
                    subtotal: quote.subtotal, discount: quote.discountTotal, total: quote.total, payMethod: method,
                    coupon: quote.couponApplied, warehouse: warehouse, createdAtMillis: tx.nowMillis, upline: snapshot,
                    boundByLink: boundByLink,
                    discounts: quote.discounts.isEmpty
                        ? nil : Dictionary(quote.discounts.map { ($0.source, $0.amountCents) }, uniquingKeysWith: +),
                    closeDays: try Self.afterSaleDays(r)),
                entity: id, scope: scope)
            for line in quote.lines {
                try tx.emit(
                    OrderLineChange(
                        order: id, line: Int64(line.line), sku: line.sku, name: line.name, qty: line.quantity,
                        unitPrice: line.unitPrice, discount: line.discount),
                    entity: "\(id)#\(line.line)", scope: scope)
                try tx.emit(
                    StockMoveChange(
                        sku: line.sku, warehouse: warehouse, reason: pos ? .sale : .allocate,
                        qty: pos ? -line.quantity : line.quantity, ref: id),
                    entity: "\(id)#\(line.line)", scope: stockScope)
            }
            for gift in quote.gifts {
                // A gift goes with the order when the shelf has it; the quote still shows it otherwise.
                guard try r.register(.sku, gift.line.sku) != nil,
                    try r.stockLevel(sku: gift.line.sku, warehouse: warehouse).available
                        >= gift.line.quantity + (wanted[gift.line.sku] ?? 0)
                else { continue }
                try tx.emit(
                    OrderLineChange(
                        order: id, line: Int64(gift.line.line), sku: gift.line.sku, name: "gift: \(gift.line.name)",
                        qty: gift.line.quantity, unitPrice: .zero, discount: .zero),
                    entity: "\(id)#\(gift.line.line)", scope: scope)
                try tx.emit(
                    StockMoveChange(
                        sku: gift.line.sku, warehouse: warehouse, reason: pos ? .sale : .allocate,
                        qty: pos ? -gift.line.quantity : gift.line.quantity, ref: id),
                    entity: "\(id)#\(gift.line.line)", scope: stockScope)
            }
            // Points redeemed at the counter (or at the mall's checkout, online) pay part of the
            // order: 1 point = 1 fen, at most the configured share of the total
            // (`points rules --cap-percent`); the member must hold them here. An online order's
            // points come back if it is cancelled unpaid (`Orders.transition`).
            var byPoints: Int64 = 0
            if req.points > 0 {
                guard pos || req.channel == .online, let member = req.member else {
                    throw NodeError(
                        .invalidInput, "points are redeemed at the counter by a member: give \(Field.member)")
                }
                let balance = try Members.pointsStatus(member, r, now: tx.nowMillis).available
                guard balance >= req.points else {
                    throw NodeError(
                        .conflict, "member \(member) has \(balance) points here; cannot redeem \(req.points)")
                }
                let capPercent = try Members.pointsSettings(r).cap_percent
                let cap = quote.total.cents * capPercent / 100
                guard req.points <= cap else {
                    throw NodeError(
                        .conflict,
                        "at most \(cap) points (\(capPercent) % of \(Money(cents: quote.total.cents))) can be redeemed on this order"
                    )
                }
                byPoints = req.points
                // The payment first: the debit is checked against it (`StoreWriteCheck+Debits`).
                try tx.emit(
                    PaymentChange(order: id, method: .points, amount: Money(cents: byPoints)), entity: tx.newID("PAY"),
                    scope: scope)
                try tx.emit(
                    MemberLedgerChange(
                        member: member, account: .points, delta: -byPoints, reason: "redeem",
                        ref: id),
                    entity: "PTR-\(id)", scope: .global)
            }
            if pos, let method {
                if let shift = req.shift { try node.till.requireOpenShift(shift, tx.reader) }
                let parts =
                    req.payments.isEmpty
                    ? [PaymentPart(method: method, tendered: req.tendered, reference: req.payReference)] : req.payments
                let settled: [SettledPayment]
                do { settled = try SplitPayment.settle(parts, due: Money(cents: quote.total.cents - byPoints)) } catch {
                    throw NodeError.wrap(error)
                }
                for part in settled {
                    try emitPayment(
                        &tx, order: id, method: part.method, amount: part.amount.cents, scope: scope,
                        member: req.member,
                        reference: part.reference, shift: req.shift, tendered: part.tendered)
                }
            }
            if let coupon = quote.couponApplied,
                let d = quote.discounts.first(where: { $0.source == "coupon:\(coupon)" })
            {
                let use = CouponUseChange(
                    key: holdersOnlyCoupon ? Marketing.useKey(coupon, member: req.member, holdersOnly: true) : nil,
                    coupon: coupon, order: id, amount: Money(cents: d.amountCents))
                try tx.emit(use, entity: "CU-\(id)", scope: .global)
            }
            if req.member != nil {
                try node.marketing.giveCouponsAtCheckout(
                    &tx, member: req.member, totalCents: quote.total.cents, order: id)
            }
            let multiplier = level?.pointsMultiplierPercent ?? 100
            let earningCents = quote.total.cents - byPoints  // points are earned on money, not on points
            if pos, let member = req.member, earningCents / 100 * multiplier / 100 >= 1 {
                try tx.emit(
                    MemberLedgerChange(
                        member: member, account: .points, delta: earningCents / 100 * multiplier / 100, reason: "order",
                        ref: id),
                    entity: "PTS-\(id)", scope: .global)
            }
            return id
        }
    }

    /// Records a payment; paying from stored value (wallet) also debits the member's wallet,
    /// after checking the balance this node knows.
    func emitPayment(
        _ tx: inout LocalTransaction, order: String, method: PaymentMethod, amount: Int64, scope: Scope,
        member: String?,
        reference: String? = nil, shift: String? = nil, tendered: Money? = nil
    ) throws {
        if method == .stored {
            guard let member else {
                throw NodeError(
                    .invalidInput, "paying from stored value (\(Field.payment) stored) needs \(Field.member)")
            }
            let balance = try tx.reader.balance(member: member, account: "wallet")
            guard balance >= amount else {
                throw NodeError(
                    .conflict,
                    "member \(member) has \(Money(cents: balance)) stored value here; the order needs \(Money(cents: amount))"
                )
            }
        }
        // The payment first: a store's debit is checked against it (`StoreWriteCheck+Debits`).
        try tx.emit(
            PaymentChange(
                order: order, method: Tender(method), amount: Money(cents: amount), reference: reference, shift: shift,
                tendered: tendered),
            entity: tx.newID("PAY"), scope: scope)
        if method == .stored, let member {
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .wallet, delta: -amount, reason: "payment",
                    ref: order),
                entity: tx.newID("WL"), scope: .global)
        }
    }
}
