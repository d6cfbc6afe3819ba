import Commerce
import GRDB
import Replication

/// One entry of the member ledger (points or stored value) as read for histories and reports.
public struct LedgerEntryRow: Sendable, Equatable {
    public var id: String
    public var member: String
    public var delta: Int64
    public var reason: String?
    public var ref: String?
    /// The wall-clock time of the entry's stamp (ms).
    public var atMillis: Int64
    /// The node that wrote the entry.
    public var origin: String
}

extension StoreReader {
    /// What a member spent over their lifetime: paid minus refunded over their orders, pending
    /// and cancelled orders left out.
    public func lifetimeSpend(member: String) throws -> Int64 {
        try rows(
            """
            SELECT COALESCE(SUM(paid_cents - refunded_cents), 0)
              + COALESCE((SELECT spend FROM member_spend_bases WHERE member = ?1), 0)
            FROM orders WHERE member = ?1 AND status NOT IN ('pending', 'cancelled')
            """,
            [member]
        ).first?[0] ?? 0
    }

    /// Points a member earned over their lifetime (every credit, whatever was spent since).
    public func lifetimePointsEarned(member: String) throws -> Int64 {
        try rows(
            """
            SELECT COALESCE(SUM(delta), 0)
              + COALESCE((SELECT earned FROM member_bases WHERE member = ?1 AND account = 'points'), 0)
            FROM member_ledger WHERE member = ?1 AND account = 'points' AND delta > 0
            """,
            [member]
        ).first?[0] ?? 0
    }

    /// Spend (paid − refunded) and order count of each member (or one) since `since`, pending
    /// and cancelled orders left out.
    public func memberActivity(since: Int64, member: String? = nil) throws -> [String: (spend: Int64, orders: Int64)] {
        var sql = """
            SELECT member, SUM(paid_cents - refunded_cents) AS spend, COUNT(*) AS n FROM orders
            WHERE member IS NOT NULL AND created_at >= ? AND status NOT IN ('cancelled', 'pending')
            """
        var args: [any SQLValue] = [since]
        if let member {
            sql += " AND member = ?"
            args.append(member)
        }
        sql += " GROUP BY member"
        var out: [String: (Int64, Int64)] = [:]
        for row in try rows(sql, args) { out[row["member"]] = (row["spend"], row["n"]) }
        return out
    }

    /// The points expiry rule over time, as head office set it (`SettingRegister.Points`).
    public func pointsSchedule() throws -> PointsExpiry.Schedule {
        try (register(SettingRegister.Points.self, SettingRegister.Points.entity) ?? SettingRegister.Points()).schedule
    }

    /// Where the expiry walk stands after a member's folded points entries (an empty state when
    /// none folded): `pointsLots` are the entries after it.
    public func pointsBase(member: String) throws -> PointsExpiry.State {
        try MemberLedgerFolding.base(db, member: member, account: "points")?.expiry ?? PointsExpiry.State()
    }

    /// A member's points entries as lots for expiry (`PointsExpiry`).
    public func pointsLots(member: String) throws -> [PointsExpiry.Entry] {
        try rows("SELECT id, delta, hlc FROM member_ledger WHERE member = ? AND account = 'points'", [member]).map {
            PointsExpiry.Entry(at: HLC(rawValue: $0["hlc"]).wallMillis, id: $0["id"], delta: $0["delta"])
        }
    }

    /// A member's points entries, newest first (at most `limit`).
    public func pointsHistory(member: String, limit: Int) throws -> [LedgerEntryRow] {
        try ledgerHistory(member: member, account: "points", limit: limit)
    }

    /// A member's stored-value entries (top-ups, bonuses, payments, refunds), newest first (at
    /// most `limit`).
    public func walletHistory(member: String, limit: Int) throws -> [LedgerEntryRow] {
        try ledgerHistory(member: member, account: "wallet", limit: limit)
    }

    /// A member's entries in one ledger account (`points`, `wallet`), newest first.
    func ledgerHistory(member: String, account: String, limit: Int) throws -> [LedgerEntryRow] {
        try rows(
            """
            SELECT id, delta, reason, ref, hlc, origin FROM member_ledger
            WHERE member = ? AND account = ? ORDER BY hlc DESC, origin DESC, seq DESC LIMIT ?
            """, [member, account, limit]
        ).map {
            LedgerEntryRow(
                id: $0["id"], member: member, delta: $0["delta"], reason: $0["reason"], ref: $0["ref"],
                atMillis: HLC(rawValue: $0["hlc"]).wallMillis, origin: $0["origin"])
        }
    }

    /// Stored-value top-ups and their bonuses (positive wallet entries), by node, stamp and id.
    public func topupEntries() throws -> [LedgerEntryRow] {
        try rows(
            """
            SELECT id, member, delta, ref, hlc, origin, reason FROM member_ledger
            WHERE account = 'wallet' AND reason IN ('topup', 'topup_bonus') AND delta > 0 ORDER BY origin, hlc, id
            """
        ).map {
            LedgerEntryRow(
                id: $0["id"], member: $0["member"], delta: $0["delta"], reason: $0["reason"], ref: $0["ref"],
                atMillis: HLC(rawValue: $0["hlc"]).wallMillis, origin: $0["origin"])
        }
    }

    /// The id of some node's contact copy of `member` (`<member>@<node>`), the first by id.
    public func anyContactCopy(member: String) throws -> String? {
        try rows(
            "SELECT id FROM registers WHERE kind = 'member_contact' AND id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 1",
            [SQLPattern.like("\(member)@")]
        ).first.map { $0["id"] as String }
    }
}
