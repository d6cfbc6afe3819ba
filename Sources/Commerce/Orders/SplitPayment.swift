import Replication

/// How a customer pays at the counter: one or more methods (split payment), cash with the
/// amount handed over. At most one part leaves its amount open: it takes what the others
/// leave of the amount due.
public struct PaymentPart: Sendable, Equatable {
    public var method: PaymentMethod
    /// Nil: the rest of the amount due.
    public var amount: Money?
    /// Cash handed over (cash only; at least the cash amount).
    public var tendered: Money?
    /// The card slip or wallet transaction id.
    public var reference: String?

    public init(method: PaymentMethod, amount: Money? = nil, tendered: Money? = nil, reference: String? = nil) {
        self.method = method
        self.amount = amount
        self.tendered = tendered
        self.reference = reference
    }

    /// Reads `METHOD` or `METHOD:AMOUNT` (`wechat:20`, `cash`), amounts in yuan.
    public init(parsing text: String) throws(CommerceError) {
        let pieces = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = pieces.first, let method = PaymentMethod(rawValue: first) else {
            throw CommerceError(
                .invalidInput,
                "\(Field.payment) must be METHOD or METHOD:AMOUNT with METHOD one of \(PaymentMethod.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text))"
            )
        }
        self.method = method
        if pieces.count == 2 {
            guard let m = Money(parsing: pieces[1]), m.cents > 0 else {
                throw CommerceError(
                    .invalidInput,
                    "\(Field.payment) \(text): the amount must be a positive amount in yuan, e.g. wechat:20.50")
            }
            amount = m
        }
    }
}

/// One payment as recorded: a method and the amount it pays.
public struct SettledPayment: Sendable, Equatable {
    public var method: PaymentMethod
    public var amount: Money
    public var tendered: Money?
    public var reference: String?

    /// Change due to the customer (cash handed over − cash amount).
    public var change: Money { tendered.map { $0 - amount } ?? .zero }
}

/// The arithmetic of a split payment.
public enum SplitPayment {
    /// Settles `parts` against `due` (fen): the amounts must add up to it exactly, one open
    /// part takes the rest, and cash handed over must cover the cash amount. Errors name the field.
    public static func settle(_ parts: [PaymentPart], due: Money) throws(CommerceError) -> [SettledPayment] {
        guard !parts.isEmpty else { throw CommerceError(.invalidInput, "a counter sale needs \(Field.payment)") }
        guard parts.count <= 8 else { throw CommerceError(.invalidInput, "at most 8 \(Field.payment) parts per order") }
        let open = parts.filter { $0.amount == nil }.count
        guard open <= 1 else {
            throw CommerceError(
                .invalidInput,
                "only one \(Field.payment) may leave its amount open (it takes the rest); give the others METHOD:AMOUNT"
            )
        }
        guard parts.filter({ $0.method == .stored }).count <= 1 else {
            throw CommerceError(.invalidInput, "stored value pays once per order: give one \(Field.payment) stored")
        }
        var given: Int64 = 0
        for p in parts { given += p.amount?.cents ?? 0 }
        if open == 0 && given != due.cents {
            throw CommerceError(
                .invalidInput,
                "the \(Field.payment) parts add up to \(Money(cents: given)); the order's amount due is \(due): make them equal, or leave one amount open"
            )
        }
        guard given <= due.cents else {
            throw CommerceError(
                .invalidInput, "the \(Field.payment) parts add up to \(Money(cents: given)), more than the \(due) due")
        }
        var out: [SettledPayment] = []
        for p in parts {
            let amount = p.amount ?? Money(cents: due.cents - given)
            if let tendered = p.tendered {
                guard p.method == .cash else {
                    throw CommerceError(
                        .invalidInput, "\(Field.tendered) is the cash handed over; it goes with a cash payment")
                }
                guard tendered.cents >= amount.cents else {
                    throw CommerceError(
                        .invalidInput, "\(Field.tendered) \(tendered) is less than the \(amount) to pay in cash")
                }
            }
            out.append(SettledPayment(method: p.method, amount: amount, tendered: p.tendered, reference: p.reference))
        }
        return out
    }
}
