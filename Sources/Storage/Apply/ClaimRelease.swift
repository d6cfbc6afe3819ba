/// Which claims an order gave back: **a cancelled or expired order releases every claim it held**
/// (a single-use coupon use, a holder's use), and a cancel that lost to a payment releases none.
///
/// Claims are global (every node holds them) while orders live in their store's scope, so the
/// rule reads only global markers, written with the order's claims: cancelling an order that
/// holds claims writes a claim on `cancel:<order>`, paying it a claim on `paid:<order>` (both
/// `coupon_use` changes with an `order`). A claim of `order:<O>` is released when a
/// `cancel:<O>` marker is held and no `paid:<O>` marker is — the same "facts beat a cancel" as
/// the order's status (§10.4), decided identically at every node. Markers are never conflicts.
enum ClaimRelease {
    static let cancelPrefix = "cancel:"
    static let paidPrefix = "paid:"

    /// Whether `key` is a cancel or payment marker rather than a claim on something unique.
    static func isMarker(_ key: String) -> Bool { key.hasPrefix(cancelPrefix) || key.hasPrefix(paidPrefix) }

    /// Sets `released` on every claim of one key from the markers of its claimant order.
    static let updateSQL = """
        UPDATE claims SET released = CASE WHEN substr(claimant, 1, 6) = 'order:'
            AND EXISTS (SELECT 1 FROM claims c WHERE c.key = 'cancel:' || substr(claims.claimant, 7))
            AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.key = 'paid:' || substr(claims.claimant, 7))
          THEN 1 ELSE 0 END
        WHERE key = ?
        """
}
