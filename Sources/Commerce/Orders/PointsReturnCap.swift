import Replication

/// **Points go back once per order, whichever nodes refund it.**
///
/// A refund's points entries are written by the refunding node from what it knows: the points
/// it gives back (`PTB-<refund>`, positive) and the earned points it claws back
/// (`PTS-<refund>`, negative), both `reason = refund` and `ref = <order>`. Two nodes refunding
/// the same order offline (the store and head office) each write theirs. What counts is
/// therefore derived where the entries are held, from the entries alone (they are global, so
/// every node holding them derives the same):
///
/// - the points **used** on the order are its redemption (`PTR-<order>`, negative), the points
///   **earned** its award (`PTS-<order>`, positive);
/// - the entries giving points back count in stamp order (hlc, origin, seq), each at most
///   what is left of the points used: `min(written, used − already given back)`;
/// - the claw-backs likewise, each at most what is left of the points earned.
///
/// The part an entry could not count is a conflict record with the amount
/// (`points_return_exceeds_used`, `points_clawback_exceeds_earned`); it was never credited or
/// taken, so nothing is owed — the record says which refunds overlapped.
public enum PointsReturnCap {
    /// A points entry of one order.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var stamp: ChangeStamp
        /// The delta its node wrote.
        public var written: Int64
        /// `refund` for a return or claw-back; the order's own entries carry `redeem` / `order`.
        public var reason: String?

        public init(id: String, stamp: ChangeStamp, written: Int64, reason: String?) {
            self.id = id
            self.stamp = stamp
            self.written = written
            self.reason = reason
        }
    }

    /// The delta each refund entry counts for, and the conflicts of what did not count.
    public struct Outcome: Sendable, Equatable {
        /// By entry id, for the refund entries only (the order's own entries count as written).
        public var effective: [String: Int64]
        public var conflicts: [ConflictRecord]
        public var used: Int64
        public var earned: Int64
    }

    /// Whether an entry is a refund's return or claw-back (the entries this rule caps).
    /// The `reason` of a refund's points entries.
    public static let refundReason = "refund"

    public static func isCapped(_ e: Entry) -> Bool { e.reason == refundReason && e.written != 0 }

    /// Caps the refund entries of `order` (member `member`) by the points used and earned.
    public static func cap(order: String, member: String, entries: [Entry], scope: Scope) -> Outcome {
        let redeemed = entries.first { $0.id == "PTR-\(order)" && !isCapped($0) }?.written ?? 0
        let used = redeemed >= 0 ? 0 : (redeemed == Int64.min ? Int64.max : -redeemed)
        let earned = max(0, entries.first { $0.id == "PTS-\(order)" && !isCapped($0) }?.written ?? 0)
        var effective: [String: Int64] = [:]
        var conflicts: [ConflictRecord] = []
        var returned: Int64 = 0
        var clawed: Int64 = 0
        for e in entries.filter(isCapped).sorted(by: { $0.stamp < $1.stamp }) {
            let giving = e.written > 0
            let asked = giving ? e.written : (e.written == Int64.min ? Int64.max : -e.written)
            let room = giving ? used - returned : earned - clawed
            let counted = min(asked, max(0, room))
            if giving { returned += counted } else { clawed += counted }
            effective[e.id] = giving ? counted : -counted
            guard counted < asked else { continue }
            let excess = asked - counted
            let facts: ConflictFacts =
                giving
                ? .pointsReturnExceedsUsed(
                    entry: e.id, at: e.stamp.origin.rawValue, order: order, member: member, writtenPoints: asked,
                    excessPoints: excess, usedPoints: used)
                : .pointsClawbackExceedsEarned(
                    entry: e.id, at: e.stamp.origin.rawValue, order: order, member: member, writtenPoints: asked,
                    excessPoints: excess, earnedPoints: earned)
            conflicts.append(
                ConflictRecord(
                    facts, subject: "order:\(order)", winner: nil, loser: e.stamp.changeID, amount: excess,
                    unit: "points",
                    scope: scope, createdHLC: e.stamp.hlc))
        }
        return Outcome(effective: effective, conflicts: conflicts, used: used, earned: earned)
    }
}
