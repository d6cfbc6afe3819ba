import Replication

/// Cash put into or taken out of a till's drawer during a shift (Odoo's "Cash In/Out"): a float
/// top-up, a supplier paid from the drawer, cash taken to the safe. Entries are immutable and
/// keyed by id; they live in the shift register's `cash_moves` field (see ``ShiftRegister``).
public struct CashMove: Sendable, Equatable, Codable {
    public enum Direction: String, Sendable, Codable, CaseIterable {
        case cashIn = "in"
        case cashOut = "out"
    }
    /// The longest reason kept (characters).
    public static let maxReason = 200
    /// The most cash moves one shift holds.
    public static let maxPerShift = 50

    public var id: String
    public var direction: Direction
    /// Always positive; `direction` says which way.
    public var amount: Money
    public var reason: String
    /// The logged-in user who moved the cash.
    public var by: String?
    public var atMillis: Int64

    public init(id: String, direction: Direction, amount: Money, reason: String, by: String?, atMillis: Int64) {
        self.id = id
        self.direction = direction
        self.amount = amount
        self.reason = reason
        self.by = by
        self.atMillis = atMillis
    }

    /// Signed fen for the drawer: + in, − out.
    public var signedCents: Int64 { direction == .cashIn ? amount.cents : -amount.cents }

    /// The entry as stored in the register: `{"id","dir","cents","reason","by","at"}`.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "dir": .string(direction.rawValue), "cents": .int(amount.cents),
            "reason": .string(reason), "at": .int(atMillis),
        ]
        if let by { o["by"] = .string(by) }
        return .object(o)
    }

    /// Reads a stored entry; nil when it is not one.
    public init?(json: JSONValue) {
        guard let o = json.objectValue, let id = o["id"]?.stringValue,
            let dir = o["dir"]?.stringValue.flatMap(Direction.init(rawValue:)), let cents = o["cents"]?.intValue,
            cents > 0, let reason = o["reason"]?.stringValue, let at = o["at"]?.intValue
        else { return nil }
        self.init(
            id: id, direction: dir, amount: Money(cents: cents), reason: reason, by: o["by"]?.stringValue, atMillis: at)
    }
}
