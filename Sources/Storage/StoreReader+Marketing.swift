import Commerce
import GRDB

extension StoreReader {
    /// Codes of the holders-only coupons given at checkout whose threshold a total of
    /// `totalCents` reaches (one indexed query), by code.
    public func couponsGivenAtCheckout(reaching totalCents: Int64) throws -> [String] {
        try rows(
            """
            SELECT id FROM registers WHERE kind = 'coupon'
            AND json_extract(fields, '$.\(CouponRegister.Field.giveOnSpendCents.rawValue)') <= ?
            AND json_extract(fields, '$.\(CouponRegister.Field.holdersOnly.rawValue)') = 1
            ORDER BY id
            """, [totalCents]
        ).map { $0["id"] as String }
    }

    /// The claims whose key starts with `prefix` (taken or released), as (key, claimant).
    public func claims(withPrefix prefix: String) throws -> [(key: String, claimant: String)] {
        try rows("SELECT key, claimant FROM claims WHERE key LIKE ? ESCAPE '\\'", [SQLPattern.like(prefix)]).map {
            ($0["key"], $0["claimant"])
        }
    }

    /// The keys of the claims still held that are `key` or start with `prefix`.
    public func heldClaimKeys(key: String, orPrefix prefix: String) throws -> [String] {
        try rows(
            "SELECT key FROM claims WHERE (key = ? OR key LIKE ? ESCAPE '\\') AND released = 0",
            [key, SQLPattern.like(prefix)]
        ).map { $0["key"] as String }
    }

    /// Duplicate claims flagged on `subject` or subjects starting with `prefix` (holdings left
    /// out): how many, and the amount they involve.
    public func duplicateClaims(subject: String, orPrefix prefix: String) throws -> (count: Int, cents: Int64) {
        let leaks = try rows(
            """
            SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM conflicts
            WHERE rule = 'duplicate_claim' AND (subject = ? OR subject LIKE ? ESCAPE '\\') AND subject NOT LIKE 'held:%'
            """, [subject, SQLPattern.like(prefix)]
        ).first
        return (leaks.map { $0[0] as Int } ?? 0, leaks.map { $0[1] as Int64 } ?? 0)
    }
}
