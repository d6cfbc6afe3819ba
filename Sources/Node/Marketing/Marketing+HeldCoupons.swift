import Commerce
import Replication
import Storage

/// A holders-only coupon a member holds, and whether they used it.
public struct HeldCoupon: Sendable, Equatable, Codable {
    public var code: String
    /// How they got it: `issue`, `claim`, `given` (at checkout) or `points` (exchanged).
    public var source: String
    /// The fixed amount off, in fen (0 for percent, free-item and free-shipping coupons).
    public var amount_cents: Int64
    public var min_spend_cents: Int64
    public var ends_at: Int64?
    /// `active`, `used` or `expired` (ended unused).
    public var status: String
}

extension Marketing {
    /// The holders-only coupons `member` holds, by code.
    public func coupons(heldBy member: String) throws(NodeError) -> [HeldCoupon] {
        let now = store.wallNow()
        return try read { r in
            _ = try Members.memberView(member, r)
            var held: [HeldCoupon] = []
            for c in try r.registers(.coupon) {
                guard
                    let claim = try r.claims(withPrefix: "held:\(c.id):\(member)").first(where: {
                        $0.key == "held:\(c.id):\(member)"
                    }),
                    let coupon = Coupon(code: c.id, fields: c.fields)
                else { continue }
                let used = try r.claimCount(Self.useKey(c.id, member: member, holdersOnly: true)) > 0
                held.append(
                    HeldCoupon(
                        code: c.id, source: String(claim.claimant.prefix { $0 != ":" }),
                        amount_cents: coupon.amountCents, min_spend_cents: coupon.minSpendCents,
                        ends_at: coupon.endsAt, status: used ? "used" : coupon.hasEnded(at: now) ? "expired" : "active")
                )
            }
            return held
        }
    }
}
