import Commerce
import Replication

/// The bound of one field's value.
public enum FieldBound: Sendable, Equatable {
    /// A string of at most this many UTF-8 bytes (a Chinese character takes 3).
    case text(Int)
    /// One of these strings.
    case oneOf([String])
    /// An integer in this range.
    case int(ClosedRange<Int64>)
    /// true or false.
    case flag
    /// Any value within the generic bounds (strings of `Limits.maxStringBytes`, nesting of
    /// `Limits.maxDepth`, integers within ±`Limits.maxAmountCents`).
    case any

    /// How the bound reads in the docs.
    var summary: String {
        switch self {
        case .text(let n): return "text ≤ \(n) bytes"
        case .oneOf(let values): return values.joined(separator: " \\| ")
        case .int(let r): return "\(WriteRules.grouped(r.lowerBound)) … \(WriteRules.grouped(r.upperBound))"
        case .flag: return "true/false"
        case .any: return "any (generic bounds)"
        }
    }
}

/// One field of a kind and its bound. `null` is always accepted (it clears a register field).
public struct FieldRule: Sendable, Equatable {
    public var name: String
    public var bound: FieldBound
    /// The request fields that set it, when their names differ (named in refusals, so each
    /// face shows its own spelling: the CLI its flags).
    public var request: [Field]
    init(_ name: String, _ bound: FieldBound, request: [Field] = []) {
        self.name = name
        self.bound = bound
        self.request = request
    }
    /// A rule for a payload's field (`MemberRegister.Field.name`), so the wire name is spelled once.
    init<F: RawRepresentable<String>>(_ field: F, _ bound: FieldBound, request: [Field] = []) {
        self.init(field.rawValue, bound, request: request)
    }
}

/// What a store may write for one entity kind.
public struct KindRule: Sendable {
    public enum StoreAccess: String, Sendable {
        /// Head office only: a store's push of this kind is refused.
        case none = "no"
        /// In the store's own scope (`node:<store>`).
        case ownScope = "own scope"
        /// Global scope, under the rule below.
        case global = "global"
    }
    public var kind: EntityKind
    public var store: StoreAccess
    /// The fields and their bounds (for every node's writes).
    public var fields: [FieldRule]
    /// When true a store may write only the listed fields.
    public var closed: Bool
    /// What a store may author, in words (the check is in `StoreWriteCheck`).
    public var rule: String
}

/// The one table of per-kind write rules and limits. It drives central's push check, the
/// validation of every local write (same numbers, so an honest store never writes what
/// central refuses) and the table in `sync/PROTOCOL.md` (a test keeps them equal).
public enum WriteRules {
    static let id = FieldBound.text(Limits.maxIDBytes)
    static let name = FieldBound.text(Limits.maxNameBytes)
    static let note = FieldBound.text(Limits.maxNoteBytes)
    static let millis = FieldBound.int(0...Limits.maxMillis)
    static let amount = FieldBound.int(0...Limits.maxAmountCents)
    static let quantity = FieldBound.int(1...Limits.maxQuantity)

    public static let table: [KindRule] = [
        KindRule(
            kind: .member, store: .global,
            fields: [
                .init(MemberRegister.Field.name, name), .init(MemberRegister.Field.phone, .text(20)),
                .init(MemberRegister.Field.region, .text(100)), .init(MemberRegister.Field.optOut, .flag),
                .init(MemberRegister.Field.registeredAt, millis), .init(MemberRegister.Field.home, id),
                .init(MemberRegister.Field.lastLoginAt, millis),
            ], closed: true,
            rule:
                "creates a member with `home` = itself; renames only members whose home it is (others: `phone`, `region`, `opt_out`, `last_login_at`; a concurrent registration of the same new id, written before the store received it, is kept and flagged; after, it is refused)"
        ),
        KindRule(
            kind: .memberContact, store: .ownScope,
            fields: [
                .init(MemberContactRegister.Field.email, .text(200)),
                .init(MemberContactRegister.Field.address, .text(500)),
                .init(MemberContactRegister.Field.birthday, .text(10)),
            ], closed: true,
            rule: "only its own copy `<member>@<store>`"),
        KindRule(
            kind: .memberLedger, store: .global,
            fields: [
                .init(MemberLedgerChange.Field.member, id),
                .init(MemberLedgerChange.Field.account, .oneOf(MemberLedgerChange.Account.allCases.map(\.rawValue))),
                .init(
                    MemberLedgerChange.Field.delta, .int(-Limits.maxLedgerDelta...Limits.maxLedgerDelta),
                    request: [.points, .amount]),
                .init(MemberLedgerChange.Field.reason, .text(100)),
                .init(MemberLedgerChange.Field.ref, .text(200)),
                .init(MemberLedgerChange.Field.orderClosesAt, .int(0...HLC.maxWallMillis)),
            ], closed: true,
            rule:
                "for an existing member; `order_closes_at` only as the end of the after-sale period of the order in `ref`; "
                + "none on a held order after that period; a credit only as its use case derives it (points `order` ≤ what the order earns, "
                + "`checkin`/`share`/`birthday` with their claim and head office's amount, credits back on its own order (`refund`, cancels) ≤ that order's total in all, "
                + "`topup` ≤ ¥50,000 naming its payment in `ref`, `topup_bonus` = head office's tier for a top-up in the same batch); "
                + "a debit only as a payment of its own order for that member (`wallet` `payment`, `points` `redeem`: all debits on the order ≤ its payments by that method and ≤ its total, so once), "
                + "a refund's claw-back (`points` `refund` ≤ what the order earned) or a points `exchange` (≤ the catalog price, with its stock move or coupon holding); "
                + "manual credits and debits are head office's"),
        KindRule(
            kind: .couponUse, store: .global,
            fields: [
                .init(CouponUseChange.Field.coupon, id), .init(CouponUseChange.Field.order, id),
                .init(CouponUseChange.Field.amountCents, amount), .init(CouponUseChange.Field.key, .text(300)),
                .init(CouponUseChange.Field.claimant, .text(200)), .init(CouponUseChange.Field.ref, .text(200)),
            ], closed: true,
            rule: "a coupon use names an order of this store (same batch or held), at most its discount; other claims: "
                + "`checkin:`, `share:`, `birthday:`, `held:` of an existing member"),
        KindRule(
            kind: .conflictNote, store: .global,
            fields: [
                .init(ConflictNoteRegister.Field.status, .oneOf([ConflictNoteRegister.Status.resolved.rawValue])),
                .init(ConflictNoteRegister.Field.note, note),
            ],
            closed: true, rule: "only for a conflict central holds in the store's scope (or global)"),
        KindRule(
            kind: .audit, store: .ownScope,
            fields: [
                .init(AuditChange.Field.user, id), .init(AuditChange.Field.action, .text(100)),
                .init(AuditChange.Field.subject, .text(300)), .init(AuditChange.Field.at, millis),
            ],
            closed: true, rule: "names a user of this store (or a chain-wide user), never another store's"),
        KindRule(
            kind: .order, store: .ownScope,
            fields: [
                .init(OrderCreated.Field.store, id), .init(OrderCreated.Field.member, id),
                .init(OrderCreated.Field.subtotalCents, amount), .init(OrderCreated.Field.discountCents, amount),
                .init(OrderCreated.Field.totalCents, amount), .init(OrderCreated.Field.createdAt, millis),
                .init(OrderCreated.Field.coupon, id), .init(OrderCreated.Field.warehouse, id),
                .init(OrderTransition.Field.carrier, .text(100)), .init(OrderTransition.Field.tracking, .text(100)),
                .init(OrderTransition.Field.reason, note),
            ], closed: false, rule: "orders it created (`store` = itself)"),
        KindRule(
            kind: .orderLine, store: .ownScope,
            fields: [
                .init(OrderLineChange.Field.order, id), .init(OrderLineChange.Field.line, .int(1...Limits.maxLines)),
                .init(OrderLineChange.Field.sku, id), .init(OrderLineChange.Field.name, name),
                .init(OrderLineChange.Field.qty, quantity),
                .init(OrderLineChange.Field.unitCents, .int(0...Limits.maxUnitCents)),
                .init(OrderLineChange.Field.discountCents, amount),
            ], closed: false, rule: "lines of its own orders"),
        KindRule(
            kind: .payment, store: .ownScope,
            fields: [
                .init(PaymentChange.Field.order, id), .init(PaymentChange.Field.method, .text(20)),
                .init(PaymentChange.Field.amountCents, amount), .init(PaymentChange.Field.reference, .text(200)),
                .init(PaymentChange.Field.shift, id),
                .init(PaymentChange.Field.tenderedCents, amount, request: [.tendered]),
            ],
            closed: false, rule: "payments of its own orders"),
        KindRule(
            kind: .refund, store: .ownScope,
            fields: [
                .init(RefundChange.Field.order, id),
                .init(RefundChange.Field.amountCents, .int(1...Limits.maxAmountCents)),
                .init(RefundChange.Field.method, .text(20)), .init(RefundChange.Field.reason, note),
                .init(RefundChange.Field.shift, id),
            ],
            closed: false, rule: "refunds of its own orders"),
        KindRule(
            kind: .shift, store: .ownScope,
            fields: [
                .init(ShiftRegister.Field.till, id), .init(ShiftRegister.Field.store, id),
                .init(ShiftRegister.Field.status, .oneOf(ShiftRegister.Status.allCases.map(\.rawValue))),
                .init(ShiftRegister.Field.openedBy, id), .init(ShiftRegister.Field.openedAt, millis),
                .init(ShiftRegister.Field.floatCents, amount, request: [.float]),
                .init(ShiftRegister.Field.closedBy, id),
                .init(ShiftRegister.Field.closedAt, millis),
                .init(ShiftRegister.Field.counted, .any, request: [.counted]),
                .init(ShiftRegister.Field.expected, .any),
                .init(ShiftRegister.Field.differenceCents, .int(-Limits.maxAmountCents...Limits.maxAmountCents)),
                .init(ShiftRegister.Field.cashMoves, .any),
            ], closed: true, rule: "shifts of its own tills (`store` = itself); opened once, closed once"),
        KindRule(
            kind: .refundRequest, store: .ownScope,
            fields: [
                .init(RefundRequestRegister.Field.order, id), .init(RefundRequestRegister.Field.amount, amount),
                .init(RefundRequestRegister.Field.restock, .flag), .init(RefundRequestRegister.Field.reason, note),
            ],
            closed: false, rule: "requests for its own orders"),
        KindRule(
            kind: .stockMove, store: .ownScope,
            fields: [
                .init(StockMoveChange.Field.sku, id), .init(StockMoveChange.Field.warehouse, id),
                .init(StockMoveChange.Field.reason, .oneOf(StockReason.allCases.map(\.rawValue))),
                .init(StockMoveChange.Field.qty, .int(-Limits.maxQuantity...Limits.maxQuantity)),
                .init(StockMoveChange.Field.releases, .text(200)),
                .init(StockMoveChange.Field.ref, note, request: [.reason]),
            ], closed: false, rule: "only at its own warehouses"),
        KindRule(
            kind: .transfer, store: .global,
            fields: [
                .init(TransferRegister.Field.sku, id), .init(TransferRegister.Field.qty, quantity),
                .init(TransferRegister.Field.from, id), .init(TransferRegister.Field.to, id),
                .init(TransferRegister.Field.status, .text(20)), .init(TransferRegister.Field.shippedAt, millis),
                .init(TransferRegister.Field.receivedQty, .int(0...Limits.maxQuantity)),
                .init(TransferRegister.Field.receivedAt, millis),
            ], closed: false, rule: "ships from its own warehouse, receives into its own warehouse"),
        KindRule(
            kind: .distributor, store: .global, fields: [.init(DistributorRegister.Field.reason, note)], closed: false,
            rule: "submits an application (`status` = applied) once; head office reviews and groups"),
        KindRule(kind: .binding, store: .global, fields: [], closed: false, rule: "binds a member to a distributor"),
        KindRule(
            kind: .withdrawal, store: .global,
            fields: [
                .init(WithdrawalRegister.Field.amount, amount), .init(WithdrawalRegister.Field.fee, amount),
                .init(WithdrawalRegister.Field.reference, .text(200)), .init(WithdrawalRegister.Field.reason, note),
            ],
            closed: false, rule: "a new request, or the payout of an approved cash withdrawal"),
    ]

    static let byKind: [EntityKind: KindRule] = Dictionary(table.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })

    /// The rule for `kind`; kinds not in the table are head office's only.
    public static func rule(for kind: EntityKind) -> KindRule? { byKind[kind] }

    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
