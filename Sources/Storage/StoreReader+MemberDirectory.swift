import GRDB
import Replication

extension StoreReader {
    /// A member's stored-value entries (top-ups, bonuses, payments, refunds), newest first (at
    /// most `limit`).
    public func walletHistory(member: String, limit: Int) throws -> [LedgerEntryRow] {
        try rows(
            """
            SELECT id, delta, reason, ref, hlc, origin FROM member_ledger
            WHERE member = ? AND account = 'wallet' ORDER BY hlc DESC, origin DESC, seq DESC LIMIT ?
            """, [member, limit]
        ).map {
            LedgerEntryRow(
                id: $0["id"], member: member, delta: $0["delta"], reason: $0["reason"], ref: $0["ref"],
                atMillis: HLC(rawValue: $0["hlc"]).wallMillis, origin: $0["origin"])
        }
    }
}
