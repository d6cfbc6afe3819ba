import Commerce
import GRDB
import Replication

/// A store folds the settled entries of each member's points and stored-value ledger into one
/// base row (`member_bases`), so neither its file nor a new store's snapshot grows with every
/// member's activity across the chain (docs/STABILITY.md, "Folded member ledgers"). Every
/// reader sees what the whole ledger gives:
///
/// - the **balance** and its overdraft conflicts (`LedgerReplay`): the base is one entry of the
///   folded sum, stamped as the latest folded entry; a member whose folded entries include an
///   overdraft is not folded, so no conflict ever names a folded entry and the running balance
///   after the base is the whole ledger's;
/// - **points expiry** (`PointsExpiry`): the base keeps the walk's state — the unspent lots with
///   the expiry they were earned under, the debt, the expired points — and the walk goes on
///   from it. Every lot's expiry is final: the rule's steps are stamped with their own change,
///   so every step before the cutoff has arrived;
/// - **lifetime points** (levels): the base keeps the folded credits' sum;
/// - the **points-return cap** (`PointsReturnCap`) reads all of one order's entries: entries on
///   an order fold only together, and only once the order is final — one of them carries the
///   order's closing (`order_closes_at`) and the cutoff lies past it, so no entry can be added —
///   and it has no cap conflict.
///
/// What folds is a prefix of the ledger in both of its orders (stamp, and time then id): every
/// entry written before a wall millisecond `upto`, which is the cutoff's, lowered to the first
/// entry that cannot fold yet (its change still in the log, or on an order not yet final) and
/// below any order whose entries it would split.
enum MemberLedgerFolding {
    /// Reasons whose `ref` names an order (its entries fold only together, once final).
    static let orderReasons: Set<String> = ["order", "redeem", "payment", "refund", "cancel"]

    /// One stored entry, as the fold reads it.
    ///
    /// `inLog`: its change is still in the log and is not central's. A store's own change stays
    /// until central acknowledged it and backed it up (it may still be pushed, or quarantined),
    /// another store's until compaction passed it (its origin's watermark then recognizes a
    /// re-pull); central's changes stay in every log, which recognizes a re-pull by itself, so
    /// central's entries fold while their change stays.
    struct Entry {
        var id: String
        var delta: Int64
        var reason: String?
        var ref: String?
        var stamp: ChangeStamp
        var scope: Scope
        var orderClosesAt: Int64?
        var inLog: Bool
        var at: Int64 { stamp.hlc.wallMillis }
        /// The order it belongs to, when its entries must fold together.
        var order: String? { reason.map(orderReasons.contains) == true ? ref : nil }
    }

    /// What the folded entries of one (member, account) add up to.
    struct Base {
        var balance: Int64 = 0
        var earned: Int64 = 0
        var expiry = PointsExpiry.State()
        var upto: Int64 = 0
        var stamp: ChangeStamp?
        var rows: Int64 = 0
        var scope: Scope = .global

        /// The base as one ledger entry for `LedgerReplay` (nil when nothing folded).
        var entry: LedgerEntry? {
            stamp.map { LedgerEntry(id: "folded", stamp: $0, delta: balance) }
        }
    }

    /// The base of (member, account) in `table` (`member_bases`, or central's
    /// `snapshot_member_bases`), if it has one.
    static func base(_ db: Database, member: String, account: String, table: String = "member_bases") throws -> Base? {
        try db.firstRow(
            "SELECT balance, earned, expiry, upto, hlc, origin, seq, rows, scope FROM \(table) WHERE member = ? AND account = ?",
            { bind in
                bind(member)
                bind(account)
            }
        ) { row in
            var base = Base()
            base.balance = row.int64(0)
            base.earned = row.int64(1)
            base.expiry = row.optionalText(2).flatMap(Self.decodeExpiry) ?? PointsExpiry.State()
            base.upto = row.int64(3)
            base.stamp = NodeID(row.text(5)).map {
                ChangeStamp(hlc: HLC(rawValue: row.int64(4)), origin: $0, seq: row.int64(6))
            }
            base.rows = row.int64(7)
            base.scope = Scope(row.text(8)) ?? .global
            return base
        }
    }

    /// What folding (member, account) below `cutoff` would do: the entries that go and the base
    /// after them (nil when nothing can fold). `storeSide`: entries whose change a store still
    /// holds in its log (not central's) wait; at central every change is held, and a snapshot's
    /// log carries none below its frontier but central's.
    static func plan(
        _ db: Database, member: String, account: String, cutoff: HLC, schedule: PointsExpiry.Schedule, old: Base,
        storeSide: Bool
    ) throws -> (folded: [Entry], base: Base)? {
        var entries: [Entry] = []
        try db.eachRow(
            """
            SELECT m.id, m.delta, m.reason, m.ref, m.hlc, m.origin, m.seq, m.scope, m.order_closes_at,
                   ? AND m.origin <> 'central'
                   AND EXISTS (SELECT 1 FROM change_log c WHERE c.origin = m.origin AND c.seq = m.seq)
            FROM member_ledger m WHERE m.member = ? AND m.account = ? AND m.hlc >= ? AND m.hlc < ?
            """,
            { bind in
                bind(storeSide)
                bind(member)
                bind(account)
                bind(HLC(wallMillis: old.upto, counter: 0).rawValue)
                bind(HLC(wallMillis: cutoff.wallMillis, counter: 0).rawValue)
            }
        ) { row in
            entries.append(
                Entry(
                    id: row.text(0), delta: row.int64(1), reason: row.optionalText(2), ref: row.optionalText(3),
                    stamp: try row.stamp(at: 4), scope: Scope(row.text(7)) ?? .global,
                    orderClosesAt: row.optionalInt64(8), inLog: row.bool(9)))
        }
        guard !entries.isEmpty else { return nil }
        let upto = try boundary(db, entries, member: member, cutoff: cutoff)
        let folded = entries.filter { $0.at < upto }.sorted { $0.stamp < $1.stamp }
        guard !folded.isEmpty, upto >= old.upto else { return nil }
        // No overdraft among them: no conflict may name a folded entry.
        var ledger = folded.map { LedgerEntry(id: $0.id, stamp: $0.stamp, delta: $0.delta) }
        if let entry = old.entry { ledger.append(entry) }
        guard let replay = try? LedgerReplay.replay(ledger), replay.overdrafts.isEmpty else { return nil }
        var new = old
        new.upto = upto
        new.balance = replay.balance
        for e in folded {
            if e.delta > 0 {
                let (sum, overflow) = new.earned.addingReportingOverflow(e.delta)
                if overflow { return nil }
                new.earned = sum
            }
            new.scope = min(new.scope, e.scope)
        }
        new.rows += Int64(folded.count)
        let latest = folded[folded.count - 1].stamp  // sorted by stamp
        new.stamp = old.stamp.map { max($0, latest) } ?? latest
        if account == MemberLedgerChange.Account.points.rawValue {
            let lots = folded.map { PointsExpiry.Entry(at: $0.at, id: $0.id, delta: $0.delta) }
            new.expiry.advance(over: PointsExpiry.ordered(lots, upTo: .max), schedule: schedule)
        }
        return (folded, new)
    }

    /// A store folds what can be folded of (member, account) below `cutoff`: the entries leave
    /// the table (their digests go to `hash_folds`); returns how many.
    static func fold(_ db: Database, member: String, account: String, cutoff: HLC, schedule: PointsExpiry.Schedule)
        throws -> Int
    {
        let old = try base(db, member: member, account: account) ?? Base()
        guard
            let plan = try plan(
                db, member: member, account: account, cutoff: cutoff, schedule: schedule, old: old, storeSide: true)
        else { return 0 }
        try db.withTemporaryIDs(plan.folded.map(\.id)) { ids in
            _ = try StateHash.fold(db, table: "member_ledger", where: "id IN (\(ids))", arguments: [])
            try db.execute(sql: "DELETE FROM member_ledger WHERE id IN (\(ids))")
        }
        try store(db, member: member, account: account, plan.base, table: "member_bases")
        return plan.folded.count
    }

    /// The wall millisecond below which entries fold: the cutoff's, lowered to the first entry
    /// that cannot fold yet, then below any order whose entries it would split.
    static func boundary(_ db: Database, _ entries: [Entry], member: String, cutoff: HLC) throws -> Int64 {
        var groups: [String: [Entry]] = [:]
        for e in entries { if let order = e.order { groups[order, default: []].append(e) } }
        var finalOrders = Set<String>()
        for (order, group) in groups {
            let closes = group.compactMap(\.orderClosesAt).min()
            guard let closes, cutoff.wallMillis > closes else { continue }
            let conflicted =
                try db.firstRow(
                    "SELECT EXISTS(SELECT 1 FROM conflicts WHERE root = ?)",
                    { $0(ConflictRoot.points(member: member, order: order)) }
                ) {
                    $0.bool(0)
                } ?? true
            if !conflicted { finalOrders.insert(order) }
        }
        var upto = cutoff.wallMillis
        for e in entries where e.inLog || e.order.map({ !finalOrders.contains($0) }) == true {
            upto = min(upto, e.at)
        }
        // An order's entries fold together or not at all.
        var moved = true
        while moved {
            moved = false
            for order in finalOrders {
                let ats = groups[order, default: []].map(\.at)
                if let first = ats.min(), let last = ats.max(), first < upto, last >= upto {
                    upto = first
                    moved = true
                }
            }
        }
        return upto
    }

    /// Writes a base into `table` (`member_bases`, or central's `snapshot_member_bases` with
    /// the `digest` of the entries it stands for). A base without a stamp — central's row for a
    /// member whose entries could not fold yet — is written as a row of nothing (`rows` 0).
    static func store(
        _ db: Database, member: String, account: String, _ base: Base, table: String, digest: RowDigest? = nil
    ) throws {
        let digestColumns = digest == nil ? "" : ", d0, d1, d2, d3"
        let digestValues = digest == nil ? "" : ", ?, ?, ?, ?"
        _ = try db.step(
            """
            INSERT OR REPLACE INTO \(table)(member, account, scope, balance, earned, expiry, upto, hlc, origin, seq, rows\(digestColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?\(digestValues))
            """
        ) { bind in
            bind(member)
            bind(account)
            bind(base.scope.description)
            bind(base.balance)
            bind(base.earned)
            bind(
                account == MemberLedgerChange.Account.points.rawValue && base.stamp != nil
                    ? encodeExpiry(base.expiry) : nil)
            bind(base.upto)
            bind(base.stamp?.hlc.rawValue ?? 0)
            bind(base.stamp?.origin.rawValue ?? "")
            bind(base.stamp?.seq ?? 0)
            bind(base.rows)
            for lane in digest?.lanes ?? [] { bind(Int64(bitPattern: lane)) }
        }
    }

    /// `{"debt":d,"expired":e,"lots":[[left, expires or null]…]}`.
    static func encodeExpiry(_ state: PointsExpiry.State) -> String {
        let lots = JSONValue.array(state.lots.map { .array([.int($0.left), $0.expires.map(JSONValue.int) ?? .null]) })
        var text = ""
        JSONValue.object(["debt": .int(state.debt), "expired": .int(state.expired), "lots": lots]).write(into: &text)
        return text
    }

    static func decodeExpiry(_ text: String) -> PointsExpiry.State? {
        guard let value = try? JSONParser().parse(text), let object = value.objectValue,
            let debt = object["debt"]?.intValue, let expired = object["expired"]?.intValue,
            let lots = object["lots"]?.arrayValue
        else { return nil }
        var state = PointsExpiry.State(debt: debt, expired: expired)
        for lot in lots {
            guard let pair = lot.arrayValue, pair.count == 2, let left = pair[0].intValue else { return nil }
            state.lots.append((left, pair[1].intValue))
        }
        return state
    }
}

extension NodeStore {
    /// `node_meta`: the cutoff the last member-ledger fold run used.
    static let ledgerFoldedKey = "ledger_folded_hlc"

    /// Folds the settled member-ledger entries (``MemberLedgerFolding``), a member's account a
    /// transaction; returns how many entries left. Runs at most once an hour of cutoff.
    func foldMemberLedgers(cutoff: HLC) throws -> Int {
        try foldHourly(
            Self.ledgerFoldedKey, cutoff: cutoff, keys: { db in try MemberLedgerFolding.keys(db, cutoff: cutoff) },
            fold: { db, key in
                try MemberLedgerFolding.fold(
                    db, member: key.member, account: key.account, cutoff: cutoff,
                    schedule: try StoreReader(db: db, identity: identity).pointsSchedule())
            })
    }
}

extension MemberLedgerFolding {
    /// The (member, account) pairs with entries written before the cutoff's millisecond.
    static func keys(_ db: Database, cutoff: HLC) throws -> [(member: String, account: String)] {
        try Row.fetchAll(
            db,
            sql: "SELECT DISTINCT member, account FROM member_ledger WHERE hlc < ? ORDER BY member, account",
            arguments: [HLC(wallMillis: cutoff.wallMillis, counter: 0).rawValue]
        ).map { (member: $0[0] as String, account: $0[1] as String) }
    }
}
