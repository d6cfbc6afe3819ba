import Replication

/// The `shift` register, keyed by the shift id: a till's shift, opened with a cash float and
/// closed with a count. Written only by the store whose till it is (in that store's scope);
/// the close records what the store's payments and refunds say was expected per method, what
/// was counted, and the cash difference, so head office sees every drawer's difference.
public struct ShiftRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case till, store, status, counted, expected
        case openedBy = "opened_by"
        case openedAt = "opened_at"
        case floatCents = "float_cents"
        case closedBy = "closed_by"
        case closedAt = "closed_at"
        case differenceCents = "difference_cents"
        case cashMoves = "cash_moves"
    }
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, closed
    }
    public static let kind = EntityKind.shift

    public var till: String?
    public var store: String?
    public var status: Status?
    public var openedBy: String?
    public var openedAtMillis: Int64?
    /// Cash in the drawer when the shift opened.
    public var float: Money?
    public var closedBy: String?
    public var closedAtMillis: Int64?
    /// Counted at the close, per method (`cash`, and any other method the cashier totals).
    public var counted: [String: Money]?
    /// Expected at the close, per method (cash: float + cash taken − cash given back).
    public var expected: [String: Money]?
    /// Counted cash − expected cash (negative: the drawer is short).
    public var difference: Money?
    /// Every cash in / cash out of the shift so far, oldest first. Only the store whose till it
    /// is writes a shift, one transaction at a time, and each write carries the whole list with
    /// the new entry appended, so the register's last write (by HLC) holds every entry: no two
    /// writers, no merge of lists.
    public var cashMoves: [CashMove]?

    public init(
        till: String? = nil, store: String? = nil, status: Status? = nil, openedBy: String? = nil,
        openedAtMillis: Int64? = nil,
        float: Money? = nil, closedBy: String? = nil, closedAtMillis: Int64? = nil, counted: [String: Money]? = nil,
        expected: [String: Money]? = nil, difference: Money? = nil, cashMoves: [CashMove]? = nil
    ) {
        self.cashMoves = cashMoves
        self.till = till
        self.store = store
        self.status = status
        self.openedBy = openedBy
        self.openedAtMillis = openedAtMillis
        self.float = float
        self.closedBy = closedBy
        self.closedAtMillis = closedAtMillis
        self.counted = counted
        self.expected = expected
        self.difference = difference
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        till = try f.optionalString(.till)
        store = try f.optionalString(.store)
        status = try f.optionalChoice(.status)
        openedBy = try f.optionalString(.openedBy)
        openedAtMillis = try f.optionalInt(.openedAt)
        float = try f.optionalInt(.floatCents).map { Money(cents: $0) }
        closedBy = try f.optionalString(.closedBy)
        closedAtMillis = try f.optionalInt(.closedAt)
        counted = try Self.amounts(f, .counted)
        expected = try Self.amounts(f, .expected)
        difference = try f.optionalInt(.differenceCents).map { Money(cents: $0) }
        if let value = f.value(.cashMoves), value != .null {
            guard let items = value.arrayValue else { throw f.fail(.cashMoves, "must be a list of cash moves") }
            var moves: [CashMove] = []
            for item in items {
                guard let move = CashMove(json: item) else {
                    throw f.fail(.cashMoves, "must hold {id, dir: in|out, cents > 0, reason, at}")
                }
                moves.append(move)
            }
            cashMoves = moves
        }
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.till, till)
        f.set(.store, store)
        f.set(.status, status)
        f.set(.openedBy, openedBy)
        f.set(.openedAt, openedAtMillis)
        f.set(.floatCents, float?.cents)
        f.set(.closedBy, closedBy)
        f.set(.closedAt, closedAtMillis)
        f.set(.counted, counted.map(Self.object))
        f.set(.expected, expected.map(Self.object))
        f.set(.differenceCents, difference?.cents)
        f.set(.cashMoves, cashMoves.map { JSONValue.array($0.map(\.json)) })
    }

    /// `{"cash": 12345, "card": 500}`: fen per method.
    static func amounts(_ f: PayloadReader<Field>, _ field: Field) throws(PayloadError) -> [String: Money]? {
        guard let value = f.value(field), value != .null else { return nil }
        guard let object = value.objectValue else { throw f.fail(field, "must be an object of fen per method") }
        var out: [String: Money] = [:]
        for (method, cents) in object {
            guard let c = cents.intValue else { throw f.fail(field, "must hold whole fen per method") }
            out[method] = Money(cents: c)
        }
        return out
    }

    static func object(_ amounts: [String: Money]) -> JSONValue {
        .object(amounts.mapValues { JSONValue.int($0.cents) })
    }
}
