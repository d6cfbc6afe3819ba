import Commerce
import Foundation
import Hummingbird
import Node
import Replication
import Storage

/// The till's JSON API: thin handlers that decode a typed request, call one use case on NIO's
/// thread pool and answer its typed value, or the use case's error with the field it names.
extension TillFace {
    func addAPIRoutes(_ router: Router<BasicRequestContext>) {
        let api = router.group("/till/api")
        api.get("status") { _, _ in
            jsonValue(try await blocking { try TillStatus.read(node: node, health: health) })
        }
        api.get("products") { request, _ in
            let query = try TillInputText.code(request.uri.queryParameters.get("q") ?? "", .name)
            let seller = try await cashier(request)
            return jsonValue(try await blocking { try seller.till.search(query) })
        }
        api.get("scan") { request, _ in
            let code = try TillInputText.code(request.uri.queryParameters.get("code") ?? "", .code)
            let seller = try await cashier(request)
            return jsonValue(try await blocking { try seller.till.lookup(code) })
        }
        api.post("quote") { request, _ in
            let cart = try await decode(TillAPI.Cart.self, request)
            let seller = try await cashier(request)
            let language = TillLanguage.of(request).language
            return jsonValue(try await blocking { try Self.quote(cart, seller, in: language) })
        }
        api.post("sales") { request, _ in
            let sale = try await decode(TillAPI.Sale.self, request)
            let (session, seller) = try await signedIn(request)
            return jsonValue(try await blocking { try Self.sell(sale, till: session.till, seller) }, status: .created)
        }
        api.get("members") { request, _ in
            let phone = try TillInputText.code(request.uri.queryParameters.get("phone") ?? "", .phone, limit: 32)
            let seller = try await cashier(request)
            return jsonValue(try await blocking { try seller.till.findMember(phone: phone) })
        }
        api.post("members") { request, _ in
            let new = try await decode(TillAPI.NewMember.self, request)
            let seller = try await cashier(request)
            // A name is optional at the counter: the phone stands for it until the member gives one.
            let name = blankToNil(new.name) ?? new.phone
            return jsonValue(
                try await blocking { try seller.till.registerMember(name: name, phone: new.phone) }, status: .created)
        }
        api.get("members/{id}") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .member)
            let seller = try await cashier(request)
            return jsonValue(try await blocking { try seller.members.find(id) })
        }
        api.get("orders/{id}") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .id)
            let seller = try await cashier(request)
            // A receipt's barcode gives the whole id; a cashier types its last 4–6 characters.
            return jsonValue(
                try await blocking {
                    (4...6).contains(id.count) ? try seller.till.findOrder(endingWith: id) : try seller.orders.find(id)
                })
        }
        api.post("orders/{id}/exchange") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .id)
            let exchange = try await decode(TillAPI.Exchange.self, request)
            let (session, cashier) = try await signedIn(request)
            return jsonValue(
                try await blocking {
                    let seller = try Self.seller(cashier, approvedBy: exchange.manager)
                    return try Self.exchange(order: id, exchange, till: session.till, seller)
                }, status: .created)
        }
        api.post("orders/{id}/refund") { request, context in
            let id = try TillInputText.code(try context.parameters.require("id"), .id)
            let refund = try await decode(TillAPI.Refund.self, request)
            let (session, cashier) = try await signedIn(request)
            return jsonValue(
                try await blocking {
                    let seller = try Self.seller(cashier, approvedBy: refund.manager)
                    return try Self.refund(order: id, refund, till: session.till, seller)
                })
        }
    }

    /// The cart priced by the engine, with the member's points and the cap this order allows;
    /// the engine's explanations in the till's language (a refused coupon is an error whose
    /// pricing fact the edge renders in that language too, `NodeError.tillSentence`).
    static func quote(_ cart: TillAPI.Cart, _ node: FenxiaoNode, in language: Language) throws -> TillAPI.Quote {
        let q = try node.orders.quote(cart.orderRequest(pay: .cash))
        var available: Int64?
        var cap: Int64?
        if let member = blankToNil(cart.member) {
            available = try node.members.points(of: member).available
            cap = min(available ?? 0, q.total.cents * (try node.members.pointsSettings().cap_percent) / 100)
        }
        let points = cart.points ?? 0
        guard points >= 0 else { throw NodeError(.invalidInput, "\(Field.points) must not be negative") }
        if points > 0 {
            guard let cap else {
                throw NodeError(.invalidInput, "points are redeemed by a member: give \(Field.member)")
            }
            guard points <= cap else {
                throw NodeError(
                    .conflict, "at most \(cap) \(Field.points) can be redeemed on this order", field: .points)
            }
        }
        let say = { (note: PricingNote) in PricingText.sentence(note, in: language) }
        return TillAPI.Quote(
            lines: q.lines, subtotal_cents: q.subtotal.cents, total_cents: q.total.cents,
            discounts: q.discounts.map {
                .init(
                    source: $0.source, description: say($0.note), amountCents: $0.amountCents, allocation: $0.allocation
                )
            },
            gifts: q.gifts.map { .init(source: $0.source, description: say($0.note), line: $0.line) },
            skipped: q.skipped.map { .init(source: $0.source, reason: say($0.note)) },
            coupon_rejection: q.couponRejection.map { say($0.note) }, points_available: available,
            points_cap: cap, due_cents: q.total.cents - points)
    }

    /// A counter sale in the till's open shift: the payments (several: a split payment) must
    /// add up to what is due after points, checked by the use case inside the sale's
    /// transaction; cash may be over-tendered (the change is returned).
    static func sell(_ sale: TillAPI.Sale, till: String, _ node: FenxiaoNode) throws -> TillAPI.SaleDone {
        guard !sale.payments.isEmpty else {
            throw NodeError(.invalidInput, "a sale needs at least one of \(Field.payments)")
        }
        guard let shift = try node.till.currentShift(till: till) else {
            throw NodeError(
                .conflict, "no shift is open at till \(till): open one (with the float in the drawer) before selling",
                field: .shift)
        }
        var request = sale.cart.orderRequest(pay: nil)
        request.payments = sale.payments.map {
            PaymentPart(
                method: $0.method, amount: Money(cents: $0.amount_cents),
                tendered: $0.tendered_cents.map { Money(cents: $0) },
                reference: blankToNil($0.reference))
        }
        request.shift = shift.id
        let order = try node.orders.create(request)
        let change = order.payments.reduce(Int64(0)) {
            $0 + max(0, ($1.tendered_cents ?? $1.amount_cents) - $1.amount_cents)
        }
        return TillAPI.SaleDone(order: order, change_cents: change, receipt_url: "/till/receipt/\(order.id)")
    }

    /// An exchange: the returned lines refunded and the new cart sold in one transaction, in
    /// the till's open shift; the payments settle the new sale.
    static func exchange(order: String, _ exchange: TillAPI.Exchange, till: String, _ node: FenxiaoNode) throws
        -> ExchangeView
    {
        guard let shift = try node.till.currentShift(till: till) else {
            throw NodeError(.conflict, "no shift is open at till \(till): open one before an exchange", field: .shift)
        }
        var sale = exchange.cart.orderRequest(pay: nil)
        sale.payments = exchange.payments.map {
            PaymentPart(
                method: $0.method, amount: Money(cents: $0.amount_cents),
                tendered: $0.tendered_cents.map { Money(cents: $0) },
                reference: blankToNil($0.reference))
        }
        sale.shift = shift.id
        return try node.till.exchange(
            order: order, returning: exchange.lines.map { RefundLine(line: $0.line, quantity: $0.qty) },
            restock: exchange.restock,
            reason: blankToNil(exchange.reason), sale: sale)
    }

    /// A refund of some lines, restocked or not, by the original payments.
    /// The cashier, or, above the cashier's limit, the cashier with the approval of a manager
    /// whose id and PIN were typed on the same screen (checked here, for this one action).
    static func seller(_ cashier: FenxiaoNode, approvedBy manager: TillAPI.Approval?) throws -> FenxiaoNode {
        guard let manager else { return cashier }
        return try cashier.approved(by: cashier.till.approval(manager: manager.user, pin: manager.pin))
    }

    static func refund(order: String, _ refund: TillAPI.Refund, till: String, _ node: FenxiaoNode) throws -> OrderView {
        guard !refund.lines.isEmpty else {
            throw NodeError(.invalidInput, "choose at least one of the order's \(Field.line)s to refund")
        }
        // Money given back over the counter counts in this till's open shift.
        let shift = try node.till.currentShift(till: till)?.id
        return try node.orders.refund(
            order: order, amount: nil, reason: blankToNil(refund.reason), restock: refund.restock,
            lines: refund.lines.map { RefundLine(line: $0.line, quantity: $0.qty) }, shift: shift)
    }
}

extension Field {
    /// `payments` (the till's split payment).
    static let payments: Field = "payments"
}
