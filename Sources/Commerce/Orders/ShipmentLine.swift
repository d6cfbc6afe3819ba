import Replication

/// Units of one order line in a parcel: `line` (1-based, as the order lists it) and `quantity`.
public struct ShipmentLine: Sendable, Equatable, Codable {
    public var line: Int
    public var quantity: Int64

    public init(line: Int, quantity: Int64) {
        self.line = line
        self.quantity = quantity
    }

    /// Whether both are at least 1.
    public var isValid: Bool { line >= 1 && quantity >= 1 }

    /// `LINE:QTY` as typed (`1:2`), refused with a message naming `line`.
    public init(parsing text: String) throws(CommerceError) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let line = Int(parts[0]), let qty = Int64(parts[1]), line >= 1, qty >= 1 else {
            throw CommerceError(.invalidInput, "\(Field.line) must be LINE:QTY, e.g. 1:2 (got \(text))")
        }
        self.init(line: line, quantity: qty)
    }
}
