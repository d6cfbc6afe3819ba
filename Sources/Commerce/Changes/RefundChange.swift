import Replication

/// A `refund` ledger entry of an order: the money given back, and — since schema 9 — which
/// lines it covers and how it splits over the order's payments.
public struct RefundChange: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case order, method, reason, lines, parts, shift
        case amountCents = "amount_cents"
    }
    /// Units and money of one order line refunded.
    public struct Line: Sendable, Equatable {
        public var line: Int64
        public var qty: Int64
        /// Zero for refunds written before schema 9 (their units still count).
        public var amount: Money
        public init(line: Int64, qty: Int64, amount: Money) {
            self.line = line
            self.qty = qty
            self.amount = amount
        }
    }
    /// The share of the refund going back by one payment's method.
    public struct Part: Sendable, Equatable {
        public var method: String
        public var payment: String?
        public var amount: Money
        public init(method: String, payment: String?, amount: Money) {
            self.method = method
            self.payment = payment
            self.amount = amount
        }
    }
    public static let kind = EntityKind.refund
    /// The method a refund split over several payment methods names.
    public static let mixed = "mixed"

    public var order: String
    public var amount: Money
    /// The payment method it goes back by, or `mixed`.
    public var method: String?
    public var reason: String?
    public var lines: [Line]?
    public var parts: [Part]?
    /// The till shift it was given in (omitted outside a shift, so older changes keep their bytes).
    public var shift: String?

    public init(
        order: String, amount: Money, method: String?, reason: String?, lines: [Line]? = nil, parts: [Part]? = nil,
        shift: String? = nil
    ) {
        self.shift = shift
        self.order = order
        self.amount = amount
        self.method = method
        self.reason = reason
        self.lines = lines
        self.parts = parts
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        order = try f.string(.order)
        amount = Money(cents: try f.positive(.amountCents))
        method = try f.optionalString(.method)
        reason = try f.optionalString(.reason)
        if let value = f.value(.lines) {
            guard let items = value.arrayValue else {
                throw f.fail(.lines, "must be an array of {line, qty, amount_cents}")
            }
            var lines: [Line] = []
            for item in items {
                guard let o = item.objectValue, let line = o["line"]?.intValue, line > 0, let qty = o["qty"]?.intValue,
                    qty > 0
                else { throw f.fail(.lines, "must hold objects with a positive line and qty") }
                let cents = o["amount_cents"]?.intValue ?? 0
                guard cents >= 0 else { throw f.fail(.lines, "amount_cents must not be negative") }
                lines.append(Line(line: line, qty: qty, amount: Money(cents: cents)))
            }
            self.lines = lines
        }
        if let value = f.value(.parts) {
            guard let items = value.arrayValue else {
                throw f.fail(.parts, "must be an array of {method, payment, amount_cents}")
            }
            var parts: [Part] = []
            for item in items {
                guard let o = item.objectValue, let method = o["method"]?.stringValue, !method.isEmpty,
                    let cents = o["amount_cents"]?.intValue, cents >= 0
                else { throw f.fail(.parts, "must hold objects with a method and a non-negative amount_cents") }
                parts.append(Part(method: method, payment: o["payment"]?.stringValue, amount: Money(cents: cents)))
            }
            self.parts = parts
        }
        shift = try f.optionalString(.shift)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.order, order)
        f.set(.amountCents, amount.cents)
        f.setOrNull(.method, method)
        f.setOrNull(.reason, reason)
        f.set(
            .lines,
            lines.map {
                JSONValue.array(
                    $0.map {
                        .object(["line": .int($0.line), "qty": .int($0.qty), "amount_cents": .int($0.amount.cents)])
                    })
            })
        f.set(
            .parts,
            parts.map {
                JSONValue.array(
                    $0.map { p in
                        .object([
                            "method": .string(p.method), "payment": p.payment.map(JSONValue.string) ?? .null,
                            "amount_cents": .int(p.amount.cents),
                        ])
                    })
            })
        f.set(.shift, shift)
    }
}
