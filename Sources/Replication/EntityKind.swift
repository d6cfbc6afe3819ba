/// The kind of entity a change touches. The set of kinds is closed: a change of an unknown
/// kind is refused, never stored.
public struct EntityKind: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard MergePolicyTable.policies[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { self.rawValue = known }

    public static let category = EntityKind(known: "category")
    public static let product = EntityKind(known: "product")
    public static let sku = EntityKind(known: "sku")
    public static let warehouse = EntityKind(known: "warehouse")
    public static let promotion = EntityKind(known: "promotion")
    public static let coupon = EntityKind(known: "coupon")
    public static let member = EntityKind(known: "member")
    public static let conflictNote = EntityKind(known: "conflict_note")
    public static let order = EntityKind(known: "order")
    public static let orderLine = EntityKind(known: "order_line")
    public static let payment = EntityKind(known: "payment")
    public static let refund = EntityKind(known: "refund")
    public static let stockMove = EntityKind(known: "stock_move")
    public static let memberLedger = EntityKind(known: "member_ledger")
    public static let couponUse = EntityKind(known: "coupon_use")
    public static let transfer = EntityKind(known: "transfer")
    public static let distributor = EntityKind(known: "distributor")
    public static let binding = EntityKind(known: "binding")
    public static let commissionRule = EntityKind(known: "commission_rule")
    public static let withdrawal = EntityKind(known: "withdrawal")
    public static let memberLevel = EntityKind(known: "member_level")
    public static let user = EntityKind(known: "user")
    public static let audit = EntityKind(known: "audit")
    public static let memberGroup = EntityKind(known: "member_group")
    public static let refundRequest = EntityKind(known: "refund_request")
    public static let setting = EntityKind(known: "setting")
    public static let memberContact = EntityKind(known: "member_contact")
    /// Central's dating of a register write stamped beyond the clock bound (PROTOCOL §3.2).
    public static let clockClamp = EntityKind(known: "clock_clamp")

    public var policy: MergePolicy { MergePolicyTable.policies[rawValue] ?? .record }
    /// Who may write this kind: its policy's authorship, except `clock_clamp` (a record only
    /// central writes).
    public var authorship: Authorship { self == .clockClamp ? .centralOnly : policy.authorship }
    public var description: String { rawValue }
    public static func < (a: EntityKind, b: EntityKind) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let kind = EntityKind(raw) else {
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

/// The one declarative table that selects a policy per entity kind.
public enum MergePolicyTable {
    public static let policies: [String: MergePolicy] = [
        "category": .register(.centralOnly),
        "product": .register(.centralOnly),
        "sku": .register(.centralOnly),
        "warehouse": .register(.centralOnly),
        "promotion": .register(.centralOnly),
        "coupon": .register(.centralOnly),
        "member": .register(.anyNode),
        "conflict_note": .register(.anyNode),
        "order": .orderState,
        "order_line": .record,
        "payment": .record,
        "refund": .ledger,
        "stock_move": .ledger,
        "member_ledger": .ledger,
        "coupon_use": .claim,
        "transfer": .register(.anyNode),
        "distributor": .register(.anyNode),
        "binding": .register(.anyNode),
        "commission_rule": .register(.centralOnly),
        "withdrawal": .register(.anyNode),
        "member_level": .register(.centralOnly),
        "user": .register(.centralOnly),
        "audit": .record,
        "member_group": .register(.centralOnly),
        "refund_request": .register(.anyNode),
        "setting": .register(.centralOnly),
        "member_contact": .register(.anyNode),
        // Written by central only (the push check refuses it from a store); see ClockClamp.
        "clock_clamp": .record,
    ]

    /// Every known kind, sorted.
    public static var allKinds: [EntityKind] {
        policies.keys.sorted().compactMap { EntityKind($0) }
    }
}
