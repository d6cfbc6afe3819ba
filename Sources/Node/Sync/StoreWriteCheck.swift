import Commerce
import Replication
import Storage

/// What a store may author, beyond kind, scope and value bounds: the content rules of
/// `WriteRules` that need the batch and what the node holds. Run by central on every pushed
/// batch (`PushCheck`) and by a store on every local write before it commits, so both refuse
/// the same changes with the same message.
///
/// - a member ledger entry names an existing member; a credit is only what a store use case
///   derives (points earned on an order ≤ what the order can earn, check-in / share / birthday
///   points with their claim and head office's amount, credits back on an order ≤ its total,
///   a top-up ≤ `Limits.maxTopupCents`, a top-up bonus = head office's tier); manual credits
///   are head office's;
/// - a coupon use names an order of this store (in the batch or held) and at most its
///   discount; other claims use the known keys of an existing member;
/// - a member is created with `home` = the store; a member of another home may only get
///   `last_login_at`;
/// - an audit entry names a user of this store (or a chain-wide user);
/// - a conflict note closes a conflict that exists in the store's scope (or global).
struct StoreWriteCheck {
    let node: NodeID
    let reader: StoreReader
    let batch: [ChangeRecord]
    /// Where the batch creates orders and writes members (built once).
    let index: BatchIndex
    /// Members found held (a register is never removed, so a found member stays found): a
    /// member's points and stored-value entries of one order, and its later orders in the
    /// batch, are checked with one read.
    private let heldMembers = HeldMembers()

    private final class HeldMembers {
        var ids = Set<String>()
    }

    init(node: NodeID, reader: StoreReader, batch: [ChangeRecord]) {
        self.node = node
        self.reader = reader
        self.batch = batch
        self.index = BatchIndex(batch)
    }

    func refuse(_ c: ChangeRecord, _ why: String) -> NodeError {
        NodeError(.forbidden, "\(node) may not \(why) (change \(c.stamp.changeID)); nothing applied")
    }

    /// Checks change `index` of the batch (earlier changes of the batch count as held).
    func check(_ index: Int) throws {
        let c = batch[index]
        switch c.kind {
        case .memberLedger: try checkLedger(c, index)
        case .couponUse: try checkClaim(c, index)
        case .member: try checkMember(c, index)
        case .audit: try checkAudit(c)
        case .conflictNote: try checkNote(c)
        case .shift:
            if let store = c.fields[ShiftRegister.Field.store.rawValue]?.stringValue, store != node.rawValue {
                throw refuse(c, "write a shift of \(store)'s till")
            }
            // A close or a cash move names no store: the shift held must be this store's.
            if let held = try reader.register(.shift, c.entity),
                let store = held[ShiftRegister.Field.store.rawValue]?.stringValue, store != node.rawValue
            {
                throw refuse(c, "write a shift of \(store)'s till")
            }
        default: break
        }
    }

    // MARK: lookups: earlier in the batch, else held

    func memberFields(_ id: String, before index: Int) throws -> Fields? {
        if let held = try reader.register(.member, id) { return held }
        let created = self.index.members(id, before: index)
        guard !created.isEmpty else { return nil }
        return created.reduce(into: Fields()) { acc, i in acc.merge(batch[i].fields) { $1 } }
    }

    /// Whether member `id` exists: written earlier in the batch, or held (without reading its fields).
    func memberExists(_ id: String, before index: Int) throws -> Bool {
        if heldMembers.ids.contains(id) || !self.index.members(id, before: index).isEmpty { return true }
        guard try reader.registerExists(.member, id) else { return false }
        heldMembers.ids.insert(id)
        return true
    }

    struct OrderFacts {
        var store: String?
        var member: String?
        var total: Int64
        var discount: Int64
        /// The end of its after-sale period (`OrderClosing.closesAtMillis`), if it has one.
        var closesAt: Int64?
    }

    func order(_ id: String, before index: Int) throws -> OrderFacts? {
        if let i = self.index.order(id, before: index) {
            let c = batch[i]
            return OrderFacts(
                store: c.fields["store"]?.stringValue, member: c.fields["member"]?.stringValue,
                total: c.fields["total_cents"]?.intValue ?? 0,
                discount: c.fields["discount_cents"]?.intValue ?? 0,
                closesAt: c.fields[OrderCreated.Field.closeDays.rawValue]?.intValue.map {
                    OrderClosing.closesAtMillis(created: c.hlc, days: $0)
                })
        }
        guard
            let row = try reader.rows(
                "SELECT store, member, total_cents, discount_cents, created_hlc, close_days FROM orders WHERE id = ?",
                [id]
            ).first
        else {
            return nil
        }
        return OrderFacts(
            store: row["store"], member: row["member"], total: row["total_cents"], discount: row["discount_cents"],
            closesAt: (row["close_days"] as Int64?).map {
                OrderClosing.closesAtMillis(created: HLC(rawValue: row["created_hlc"]), days: $0)
            })
    }

    /// An order of this store, or a refusal naming the change.
    func ownOrder(_ c: ChangeRecord, _ id: String?, _ index: Int, _ what: String) throws -> OrderFacts {
        guard let id, let o = try order(id, before: index) else {
            throw refuse(c, "\(what) without an order it holds (order \(id ?? "missing"))")
        }
        guard o.store == node.rawValue else { throw refuse(c, "\(what) for order \(id), which is not \(node)'s") }
        return o
    }

    // MARK: member ledger

    func checkLedger(_ c: ChangeRecord, _ index: Int) throws {
        let member = c.fields["member"]?.stringValue ?? ""
        guard try memberExists(member, before: index) else {
            throw refuse(c, "write a ledger entry for member \(member), who does not exist")
        }
        if let claimed = c.fields[MemberLedgerChange.Field.orderClosesAt.rawValue]?.intValue {
            // Nodes that do not hold the order fold its entries after this moment: it must be
            // the order's own closing, never earlier.
            let ref = c.fields["ref"]?.stringValue ?? ""
            guard let o = try order(ref, before: index), o.closesAt == claimed else {
                throw refuse(
                    c, "order_closes_at \(claimed) is not the end of the after-sale period of an order \(ref) held here"
                )
            }
        }
        let delta = c.fields["delta"]?.intValue ?? 0
        let account = c.fields["account"]?.stringValue ?? ""
        guard delta > 0 else {
            if delta < 0 { try checkDebit(c, index, member: member, account: account, amount: -delta) }
            return
        }
        let reason = c.fields["reason"]?.stringValue ?? ""
        let ref = c.fields["ref"]?.stringValue
        let credit = "credit \(delta) \(account) to \(member) (reason \(reason))"
        switch (account, reason) {
        case ("points", "order"):
            let o = try ownOrder(c, ref, index, credit)
            guard c.entity == "PTS-\(ref ?? "")" else {
                throw refuse(c, "\(credit): points for an order are entry PTS-<order>")
            }
            let multiplier = max(100, try Members.memberLevels(reader).map(\.pointsMultiplierPercent).max() ?? 100)
            let cap = try Checked.multiply(o.total / 100, multiplier, "points for order \(ref ?? "")") / 100
            guard delta <= cap else {
                throw refuse(c, "\(credit): order \(ref ?? "") earns at most \(cap) points")
            }
        case ("points", "checkin"):
            guard delta == Members.checkinPoints, hasClaim(c, prefix: "checkin:\(member):", index) else {
                throw refuse(c, "\(credit): a check-in earns \(Members.checkinPoints) points with its checkin claim")
            }
        case ("points", "share"):
            let points = try Members.pointsSettings(reader).share_points
            guard delta <= points, hasClaim(c, prefix: "share:\(member):", index) else {
                throw refuse(c, "\(credit): a share earns \(points) points with its share claim")
            }
        case ("points", "birthday"):
            let points = try Members.memberLevels(reader).map(\.birthday_points).max() ?? 0
            guard delta <= points, hasClaim(c, prefix: "birthday:\(member):", index) else {
                throw refuse(c, "\(credit): a birthday gift is at most \(points) points with its birthday claim")
            }
        case ("wallet", "topup"):
            guard delta <= Limits.maxTopupCents else {
                throw refuse(c, "\(credit): one top-up is at most \(Money(cents: Limits.maxTopupCents))")
            }
            guard let ref, Self.isTopupPayment(ref) else {
                throw refuse(
                    c, "\(credit): a top-up names its payment in ref (cash, or card:/wallet:/qrpay:<transaction>)")
            }
        case ("wallet", "topup_bonus"):
            let tiers = try Members.topupBonuses(reader)
            let topups = batch.prefix(index).filter {
                $0.kind == .memberLedger && $0.fields["member"]?.stringValue == member
                    && $0.fields["reason"]?.stringValue == "topup"
            }
            guard let topup = topups.last?.fields["delta"]?.intValue,
                delta <= TopupBonus.bonus(for: topup, tiers: tiers)
            else {
                throw refuse(c, "\(credit): a top-up bonus is head office's tier for a top-up in the same batch")
            }
        default:
            // Credits back on an order (refunds, cancels): never more, in all, than the order's total.
            guard let ref, reason != "order", let o = try order(ref, before: index), o.store == node.rawValue else {
                throw refuse(
                    c,
                    "\(credit): manual credits are head office's (run `fenxiao member points` or `member topup` at central)"
                )
            }
            let held: Int64 =
                try reader.rows(
                    """
                    SELECT COALESCE(SUM(delta), 0) FROM member_ledger WHERE ref = ? AND account = ? AND delta > 0
                        AND reason <> 'order' AND NOT (origin = ? AND seq >= ?)
                    """,
                    [ref, account, node.rawValue, batch.first?.seq ?? Int64.max]
                ).first?[0] ?? 0
            let inBatch = try Checked.sum(
                batch.prefix(index).filter {
                    $0.kind == .memberLedger && $0.fields["ref"]?.stringValue == ref
                        && $0.fields["account"]?.stringValue == account
                        && ($0.fields["delta"]?.intValue ?? 0) > 0 && $0.fields["reason"]?.stringValue != "order"
                }.compactMap { $0.fields["delta"]?.intValue }, "credits on order \(ref)")
            let total = try Checked.add(
                try Checked.add(held, inBatch, "credits on order \(ref)"), delta, "credits on order \(ref)")
            guard total <= o.total else {
                throw refuse(
                    c, "\(credit): credits back on order \(ref) would reach \(total), more than its total \(o.total)")
            }
        }
    }

    /// `cash`, or `<card|wallet|qrpay>:<transaction reference>`.
    static func isTopupPayment(_ ref: String) -> Bool {
        if ref == "cash" { return true }
        let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
        return parts.count == 2 && ["card", "wallet", "qrpay"].contains(parts[0]) && SKUCode(parts[1]) != nil
    }

    func hasClaim(_ c: ChangeRecord, prefix: String, _ index: Int) -> Bool {
        let id = c.entity.hasPrefix("PT-") ? String(c.entity.dropFirst(3)) : c.entity
        return batch.prefix(index).contains {
            $0.kind == .couponUse && $0.entity == id && ($0.fields["key"]?.stringValue ?? "").hasPrefix(prefix)
        }
    }

    // MARK: claims

    func checkClaim(_ c: ChangeRecord, _ index: Int) throws {
        let key = c.fields["key"]?.stringValue ?? "coupon:\(c.fields["coupon"]?.stringValue ?? "")"
        if key.hasPrefix("coupon:") || c.fields["coupon"] != nil || c.fields["order"] != nil {
            let o = try ownOrder(c, c.fields["order"]?.stringValue, index, "claim \(key)")
            if let code = c.fields["coupon"]?.stringValue, key != "coupon:\(code)", !key.hasPrefix("coupon:\(code):") {
                throw refuse(c, "claim \(key) under coupon \(code)")
            }
            let amount = c.fields["amount_cents"]?.intValue ?? 0
            guard amount <= o.discount else {
                throw refuse(
                    c,
                    "claim \(amount) fen of coupon discount on order \(c.fields["order"]?.stringValue ?? ""), whose discount is \(o.discount)"
                )
            }
            return
        }
        let parts = key.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let member: String?
        switch parts.first {
        case "checkin", "share", "birthday": member = parts.count > 1 ? parts[1] : nil
        case "held": member = parts.count > 2 ? parts[2] : nil
        default: member = nil
        }
        guard let member else {
            throw refuse(c, "claim \(key): a store claims coupon, checkin, share, birthday or held keys")
        }
        guard try memberExists(member, before: index) else {
            throw refuse(c, "claim \(key) for member \(member), who does not exist")
        }
    }

    // MARK: members, audit, notes

    /// Profile fields any store may update on a member registered elsewhere (the counter
    /// takes a new phone number or a messaging opt-out; a login is recorded where it happens).
    static let sharedMemberFields: Set<String> = Set(
        [MemberRegister.Field.phone, .region, .optOut, .lastLoginAt].map(\.rawValue))

    func checkMember(_ c: ChangeRecord, _ index: Int) throws {
        let change = try c.pushed(MemberRegister.self)
        guard let existing = try memberFields(c.entity, before: index) else {
            guard change.home == node.rawValue else {
                throw refuse(c, "register member \(c.entity) without home = \(node)")
            }
            return
        }
        let home = try MemberRegister(fields: existing).home
        if home == node.rawValue {
            if c.fields[MemberRegister.Field.home.rawValue] != nil, change.home != home {
                throw refuse(c, "move member \(c.entity) to another home")
            }
            return
        }
        if Set(c.fields.keys).isSubset(of: Self.sharedMemberFields) { return }
        // The same new id registered offline at two stores: the later-synced registration is
        // concurrent (written without having seen the member: empty context, its own home);
        // the register merge keeps one value per field and records a `concurrent_edit`.
        let registration =
            change.home == node.rawValue && change.registeredAtMillis != nil && c.context == VersionVector()
        guard registration else {
            throw refuse(
                c,
                "edit member \(c.entity)'s \(Set(c.fields.keys).subtracting(Self.sharedMemberFields).sorted().joined(separator: ", ")): registered at \(home ?? "head office") (another store updates only \(Self.sharedMemberFields.sorted().joined(separator: ", ")))"
            )
        }
        // A registration is concurrent only if the store had not yet received the member: once
        // central has sent it the member (the store's pull cursor passed it), a "new"
        // registration of that id would be a rename in disguise.
        if try hasReceived(member: c.entity) {
            throw refuse(
                c,
                "register member \(c.entity) again: it was registered at \(home ?? "head office") and \(node) has already received it "
                    + "(another store updates only \(Self.sharedMemberFields.sorted().joined(separator: ", ")))")
        }
    }

    /// Whether central has already sent this store a change of `member` from another node
    /// (at a store: never, it keeps no pull cursor for itself).
    func hasReceived(member: String) throws -> Bool {
        try !reader.rows(
            """
            SELECT 1 FROM change_log WHERE kind = 'member' AND entity = ? AND origin <> ?
                AND pos <= (SELECT pull_cursor FROM peers WHERE node = ?) LIMIT 1
            """, [member, node.rawValue, node.rawValue]
        ).isEmpty
    }

    func checkAudit(_ c: ChangeRecord) throws {
        let user = c.fields["user"]?.stringValue ?? ""
        guard let f = try reader.register(UserRegister.self, user) else {
            throw refuse(c, "write an audit entry for unknown user \(user)")
        }
        if let store = f.store, store != node.rawValue {
            throw refuse(c, "write an audit entry naming user \(user) of \(store)")
        }
    }

    func checkNote(_ c: ChangeRecord) throws {
        guard
            let scope = try reader.rows("SELECT scope FROM conflicts WHERE id = ?", [c.entity]).first.map({
                $0["scope"] as String
            })
        else { throw refuse(c, "close conflict \(c.entity), which does not exist") }
        guard scope == Scope.global.description || scope == Scope.node(node).description else {
            throw refuse(c, "close conflict \(c.entity) of scope \(scope)")
        }
    }
}
