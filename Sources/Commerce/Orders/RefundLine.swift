import Replication

/// Units of one order line coming back (a refund by lines, the returned half of an exchange):
/// `line` (1-based, as the order lists it) and `quantity`.
public struct RefundLine: Sendable, Equatable, Codable {
    public var line: Int
    public var quantity: Int64

    public init(line: Int, quantity: Int64) {
        self.line = line
        self.quantity = quantity
    }

    /// `quantity` units of order line `line`: `.line(2, 1)` is the `2:1` a cashier types.
    public static func line(_ line: Int, _ quantity: Int64 = 1) -> RefundLine {
        RefundLine(line: line, quantity: quantity)
    }

    /// Whether both are at least 1.
    public var isValid: Bool { line >= 1 && quantity >= 1 }

    /// `LINE:QTY` as typed (`2:1`), refused with a message naming `line`.
    public init(parsing text: String) throws(CommerceError) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let line = Int(parts[0]), let qty = Int64(parts[1]), line >= 1, qty >= 1 else {
            throw CommerceError(.invalidInput, "\(Field.line) must be LINE:QTY, e.g. 2:1 (got \(text))")
        }
        self.init(line: line, quantity: qty)
    }
}
