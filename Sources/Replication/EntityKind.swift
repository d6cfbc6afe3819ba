/// The kind of entity a change touches. The set of kinds is closed: a change of an unknown
/// kind is refused, never stored.
///
/// Each kind's merge policy and authorship are decided by an exhaustive `switch` below, so a
/// kind added without them does not compile. The wire name is the raw value.
public enum EntityKind: String, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case category
    case product
    case sku
    case warehouse
    case promotion
    case coupon
    case member
    case conflictNote = "conflict_note"
    case order
    case orderLine = "order_line"
    case payment
    case refund
    case stockMove = "stock_move"
    case memberLedger = "member_ledger"
    case couponUse = "coupon_use"
    case transfer
    case distributor
    case binding
    case commissionRule = "commission_rule"
    case withdrawal
    case memberLevel = "member_level"
    case user
    case audit
    case memberGroup = "member_group"
    case refundRequest = "refund_request"
    case setting
    case memberContact = "member_contact"
    /// A till's shift at a store: opened with a float, closed with a count (`ShiftRegister`).
    case shift
    /// Central's dating of a register write stamped beyond the clock bound (PROTOCOL §3.2).
    case clockClamp = "clock_clamp"

    /// The kind with this wire name, or nil for an unknown kind.
    public init?(_ rawValue: String) { self.init(rawValue: rawValue) }

    /// How concurrent changes of this kind are merged (sync/PROTOCOL.md, one section per policy).
    public var policy: MergePolicy {
        switch self {
        case .category, .product, .sku, .warehouse, .promotion, .coupon, .commissionRule, .memberLevel, .user,
            .memberGroup, .setting:
            return .register(.centralOnly)
        case .member, .conflictNote, .transfer, .distributor, .binding, .withdrawal, .refundRequest, .memberContact,
            .shift:
            return .register(.anyNode)
        case .order: return .orderState
        case .orderLine, .payment, .audit: return .record
        // Written by central only (the push check refuses it from a store); see ClockClamp.
        case .clockClamp: return .record
        case .refund, .stockMove, .memberLedger: return .ledger
        case .couponUse: return .claim
        }
    }

    /// Who may write this kind: its policy's authorship, except `clock_clamp` (a record only
    /// central writes).
    public var authorship: Authorship {
        switch self {
        case .clockClamp: return .centralOnly
        default: return policy.authorship
        }
    }

    /// Every kind in wire-name order (the order of docs and generated lists).
    public static let sorted: [EntityKind] = allCases.sorted()

    public var description: String { rawValue }
    public static func < (a: EntityKind, b: EntityKind) -> Bool { a.rawValue < b.rawValue }
}

extension EntityKind: Codable {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let kind = EntityKind(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown entity kind '\(raw)'"))
        }
        self = kind
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Which nodes may write an entity kind.
public enum Authorship: Sendable, Equatable {
    /// Only the central node (catalog, prices, promotions, coupon definitions, warehouses).
    case centralOnly
    /// Any node, within scopes it owns (a store writes its own orders and stock, global members).
    case anyNode
}

/// How concurrent changes of one entity kind are merged. See sync/PROTOCOL.md for each rule.
public enum MergePolicy: Sendable, Equatable {
    /// Field-level last-writer-wins by (hlc, origin); a write overridden by a winner that had
    /// not seen it is recorded as a conflict.
    case register(Authorship)
    /// An immutable record written once (order lines, payments): duplicates are no-ops.
    case record
    /// An immutable ledger entry; balances are derived from all entries.
    case ledger
    /// Order state machine: facts (paid, shipped, completed) beat intentions (cancel).
    case orderState
    /// A claim on a unique key (single-use coupon): first by (hlc, origin, seq) wins.
    case claim

    public var authorship: Authorship {
        if case .register(let a) = self { return a }
        return .anyNode
    }
}
