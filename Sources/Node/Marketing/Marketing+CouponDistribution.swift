import Commerce
import Foundation
import Replication
import Storage

/// A coupon with its usage: issued to members (in bulk, claimed, given at checkout or
/// exchanged for points), used, expired unused, and leaked (used again at another offline
/// store, caught by the unique-claim rule).
public struct CouponUsage: Sendable, Equatable, Codable {
    public var code: String
    public var single_use: Bool
    /// Only members holding it may use it.
    public var holders_only: Bool
    /// Members holding it, however they got it.
    public var issued: Int
    /// Of `issued`, the members who claimed it themselves.
    public var claimed: Int
    public var used: Int
    /// Held but unused when the coupon ended.
    public var expired: Int
    public var leaked: Int
    public var leaked_cents: Int64
    public var status: String
}

/// The result of issuing a coupon to members.
public struct CouponIssue: Sendable, Equatable, Codable {
    public var code: String
    public var issued: [String]
    /// Members left out, with why (already holding it).
    public var skipped: [String]
}

extension Marketing {
    /// How a member came to hold a coupon; the claimant of the `held:<code>:<member>` claim.
    enum CouponSource: String { case issue, claim, given, points }

    /// The coupon and whether it is holders-only (throws when unknown).
    static func couponRegister(_ code: String, _ r: StoreReader) throws -> (coupon: Coupon, holdersOnly: Bool) {
        guard let f = try r.register(.coupon, code), let c = Coupon(code: code, fields: f) else {
            throw NodeError(.notFound, "coupon \(code) does not exist; check the code")
        }
        return (c, try CouponRegister(fields: f).holdersOnly ?? false)
    }

    static func holds(_ member: String, coupon code: String, _ r: StoreReader) throws -> Bool {
        try r.claimCount("held:\(code):\(member)") > 0
    }

    /// Records that `member` holds `code` (a claim, so two offline stores giving the same
    /// member the same coupon are flagged at merge, and the coupon is still usable once).
    static func emitHolding(
        _ tx: inout LocalTransaction, code: String, member: String, source: CouponSource, ref: String? = nil
    )
        throws
    {
        try tx.emit(
            CouponUseChange(key: "held:\(code):\(member)", claimant: "\(source.rawValue):\(member)", ref: ref),
            entity: tx.newID("CH"), scope: .global)
    }

    /// Issues a holders-only coupon to members and/or every member of a group (head office's
    /// marketing). Members already holding it are skipped.
    public func issueCoupon(code: String, members: [String], group: String?) throws(NodeError) -> CouponIssue {
        guard !members.isEmpty || group != nil else {
            throw NodeError(.invalidInput, "give \(Field.member) (repeatable) or \(Field.group)")
        }
        let now = store.wallNow()
        var targets = members
        if let group { targets += try node.members.groupMembers(group) }
        return try write(.marketing, "coupon.issue", subject: code) { tx in
            let c = try Self.couponRegister(code, tx.reader)
            guard c.holdersOnly else {
                throw NodeError(
                    .invalidInput,
                    "coupon \(code) is public (anyone with the code uses it); define it with \(Field.holdersOnly) to issue it"
                )
            }
            guard !c.coupon.hasEnded(at: now) else { throw NodeError(.conflict, "coupon \(code) has ended") }
            var result = CouponIssue(code: code, issued: [], skipped: [])
            for member in Array(Set(targets)).sorted() {
                _ = try Members.memberView(member, tx.reader)
                if try Self.holds(member, coupon: code, tx.reader) {
                    result.skipped.append(member)
                    continue
                }
                try Self.emitHolding(&tx, code: code, member: member, source: .issue)
                result.issued.append(member)
            }
            return result
        }
    }

    /// A member claims a holders-only coupon (from the app or at the counter), once.
    public func claimCoupon(code: String, member: String) throws(NodeError) -> CouponUsage {
        let now = store.wallNow()
        return try write(.manageMembers, "coupon.claim", subject: code) { tx in
            let c = try Self.couponRegister(code, tx.reader)
            _ = try Members.memberView(member, tx.reader)
            guard c.holdersOnly else {
                throw NodeError(
                    .invalidInput, "coupon \(code) is public; use it at checkout with \(Field.coupon) \(code)")
            }
            guard !c.coupon.hasEnded(at: now) else { throw NodeError(.conflict, "coupon \(code) has ended") }
            guard try !Self.holds(member, coupon: code, tx.reader) else {
                throw NodeError(.conflict, "member \(member) already holds coupon \(code)")
            }
            try Self.emitHolding(&tx, code: code, member: member, source: .claim)
            return try Self.usage(of: code, try tx.flushed().register(.coupon, code) ?? [:], tx.reader, now: now)
        }
    }

    /// Coupons given at checkout: every holders-only coupon whose `give_on_spend_cents` the
    /// order's total reaches, to a member who does not hold it yet.
    func giveCouponsAtCheckout(_ tx: inout LocalTransaction, member: String?, totalCents: Int64, order: String) throws {
        guard let member else { return }
        // Only the coupons given at checkout whose threshold the order reaches (one indexed
        // query; a counter sale with no such coupon pays nothing more).
        for code in try tx.reader.couponsGivenAtCheckout(reaching: totalCents) {
            guard let f = try tx.reader.register(.coupon, code),
                Coupon(code: code, fields: f)?.hasEnded(at: tx.nowMillis) == false,
                try !Self.holds(member, coupon: code, tx.reader)
            else { continue }
            try Self.emitHolding(&tx, code: code, member: member, source: .given, ref: order)
        }
    }

    /// The claim key a use of `code` by `member` takes: `coupon:<code>` for a public coupon,
    /// `coupon:<code>:<member>` for a holders-only one (each holder uses it once).
    static func useKey(_ code: String, member: String?, holdersOnly: Bool) -> String {
        holdersOnly ? "coupon:\(code):\(member ?? "")" : "coupon:\(code)"
    }

    public func coupons() throws(NodeError) -> [CouponUsage] {
        let now = store.wallNow()
        return try read { r in try r.registers(.coupon).map { c in try Self.usage(of: c.id, c.fields, r, now: now) } }
    }

    /// One coupon's usage from its claims and conflicts.
    static func usage(of code: String, _ fields: Fields, _ r: StoreReader, now: Int64) throws -> CouponUsage {
        let coupon = Coupon(code: code, fields: fields)
        let holdersOnly = try CouponRegister(fields: fields).holdersOnly ?? false
        let held = try r.claims(withPrefix: "held:\(code):")
        let usedKeys = try r.heldClaimKeys(key: "coupon:\(code)", orPrefix: "coupon:\(code):")
        let leaks = try r.duplicateClaims(subject: "coupon:\(code)", orPrefix: "coupon:\(code):")
        let ended = coupon?.hasEnded(at: now) ?? false
        let single = coupon?.singleUse ?? true
        let holders = Set(held.map { String($0.key.dropFirst("held:\(code):".count)) })
        let usedBy = Set(usedKeys.map { String($0.dropFirst("coupon:\(code):".count)) })
        let used = usedKeys.count
        return CouponUsage(
            code: code, single_use: single, holders_only: holdersOnly, issued: holders.count,
            claimed: held.filter { $0.claimant.hasPrefix("claim:") }.count, used: used,
            expired: ended ? holders.subtracting(usedBy).count : 0, leaked: leaks.count,
            leaked_cents: leaks.cents,
            status: ended ? "expired" : (single && !holdersOnly && used > 0 ? "used" : "active"))
    }
}
