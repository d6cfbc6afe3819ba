import Commerce
import Foundation
import Node
import Replication

/// A till API request checked at the edge, before any use case runs: codes typed with a Chinese
/// input method read as ASCII (full-width `ＴＥＡ－０１`, `１３９…`: NFKC, as the CLI reads its
/// arguments), and every text has a length bound, so a 5,000-character barcode, phone, coupon
/// code or refund reason is a 400 naming its field, never stored or replicated.
protocol TillInput {
    func checkedInput() throws(NodeError) -> Self
}

/// The bounds and the normalisation of the till's typed texts.
enum TillInputText {
    /// The text as ASCII where a full-width form was typed, trimmed.
    static func halfWidth(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
    }

    /// A code (SKU, barcode, member id, coupon code, payment reference, PIN, user id): half-width,
    /// at most `limit` characters.
    static func code(_ text: String, _ field: Field, limit: Int = 64) throws(NodeError) -> String {
        guard text.count <= limit * 4 else { throw tooLong(field, limit) }  // before normalising a huge text
        let ascii = halfWidth(text)
        guard ascii.count <= limit else { throw tooLong(field, limit) }
        return ascii
    }

    /// Free text (a name, a reason): trimmed, at most `limit` characters.
    static func words(_ text: String, _ field: Field, limit: Int) throws(NodeError) -> String {
        guard text.count <= limit else { throw tooLong(field, limit) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func tooLong(_ field: Field, _ limit: Int) -> NodeError {
        NodeError(.invalidInput, "\(field) must be at most \(limit) characters", field: field)
    }

    /// An amount in fen within the business bound (``Limits/maxAmountCents``, ¥1,000,000,000).
    static func amount(_ cents: Int64, _ field: Field) throws(NodeError) {
        guard (0...Limits.maxAmountCents).contains(cents) else {
            throw NodeError(
                .invalidInput, "\(field) must be from 0 to \(Limits.maxAmountCents) fen", field: field)
        }
    }

    /// A list of at most `limit` entries.
    static func count<T>(_ list: [T], _ field: Field, limit: Int) throws(NodeError) {
        guard list.count <= limit else {
            throw NodeError(.invalidInput, "\(field) must have at most \(limit) entries", field: field)
        }
    }
}

extension Field {
    static let qty: Field = "qty"
    static let lines: Field = "lines"
    static let reference: Field = "reference"
    static let amountCents: Field = "amount_cents"
    static let tenderedCents: Field = "tendered_cents"
    static let floatCents: Field = "float_cents"
}

extension TillAPI.Cart: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        try TillInputText.count(lines, .lines, limit: 200)
        var cart = self
        for i in cart.lines.indices {
            cart.lines[i].sku = try TillInputText.code(cart.lines[i].sku, .sku)
            guard (1...9999).contains(cart.lines[i].qty) else {
                throw NodeError(.invalidInput, "\(Field.qty) must be a whole number from 1 to 9999", field: .qty)
            }
        }
        cart.member = try member.map { (m) throws(NodeError) in try TillInputText.code(m, .member) }
        cart.coupon = try coupon.map { (c) throws(NodeError) in try TillInputText.code(c, .coupon) }
        return cart
    }
}

extension TillAPI.Payment {
    func checked() throws(NodeError) -> Self {
        var payment = self
        try TillInputText.amount(amount_cents, .amountCents)
        if let tendered = tendered_cents { try TillInputText.amount(tendered, .tenderedCents) }
        payment.reference = try reference.map { (r) throws(NodeError) in try TillInputText.code(r, .reference) }
        return payment
    }
}

extension TillAPI.Sale: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        try TillInputText.count(payments, .payments, limit: 8)
        return TillAPI.Sale(
            cart: try cart.checkedInput(), payments: try payments.map { (p) throws(NodeError) in try p.checked() })
    }
}

extension TillAPI.Refund.Line {
    /// A line number of the order (1…1000, an order's most) and 1…9999 units.
    func check() throws(NodeError) {
        guard (1...1000).contains(line) else {
            throw NodeError(.invalidInput, "\(Field.line) must be a line number of the order (1 to 1000)", field: .line)
        }
        guard (1...9999).contains(qty) else {
            throw NodeError(.invalidInput, "\(Field.qty) must be a whole number from 1 to 9999", field: .qty)
        }
    }
}

extension TillAPI.Refund: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        try TillInputText.count(lines, .lines, limit: 200)
        for line in lines { try line.check() }
        var refund = self
        refund.reason = try reason.map { (r) throws(NodeError) in try TillInputText.words(r, .reason, limit: 200) }
        refund.manager = try manager?.checked()
        return refund
    }
}

extension TillAPI.Exchange: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        try TillInputText.count(lines, .lines, limit: 200)
        try TillInputText.count(payments, .payments, limit: 8)
        for line in lines { try line.check() }
        var exchange = self
        exchange.cart = try cart.checkedInput()
        exchange.payments = try payments.map { (p) throws(NodeError) in try p.checked() }
        exchange.reason = try reason.map { (r) throws(NodeError) in try TillInputText.words(r, .reason, limit: 200) }
        exchange.manager = try manager?.checked()
        return exchange
    }
}

extension TillAPI.Approval {
    func checked() throws(NodeError) -> Self {
        TillAPI.Approval(
            user: try TillInputText.code(user, .manager), pin: try TillInputText.code(pin, .managerPin, limit: 16))
    }
}

extension TillAPI.NewMember: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        var member = self
        member.phone = try TillInputText.code(phone, .phone, limit: 32)
        member.name = try name.map { (n) throws(NodeError) in try TillInputText.words(n, .name, limit: 64) }
        return member
    }
}

extension TillAPI.Login: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        TillAPI.Login(user: try TillInputText.code(user, .user), pin: try TillInputText.code(pin, .pin, limit: 16))
    }
}

extension TillAPI.OpenShift: TillInput {
    func checkedInput() throws(NodeError) -> Self {
        try TillInputText.amount(float_cents, .floatCents)
        return self
    }
}
