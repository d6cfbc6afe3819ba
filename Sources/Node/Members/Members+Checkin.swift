import Commerce
import Replication
import Storage

extension Members {
    /// Points for the daily check-in.
    public static let checkinPoints: Int64 = 10

    /// The member's daily check-in (one per Shanghai calendar day): points now, and a claim on
    /// `checkin:<member>:<day>` so a second check-in at another offline store is caught at merge
    /// (kept, flagged as a duplicate claim).
    public func checkin(member: String) throws(NodeError) -> MemberView {
        try write(.manageMembers, "member.checkin", subject: member) { tx in
            _ = try Self.memberView(member, tx.reader)
            let day = NodeCalendar.shanghaiDay(tx.nowMillis)
            let key = "checkin:\(member):\(day)"
            guard try tx.reader.claimCount(key) == 0 else {
                throw NodeError(.conflict, "member \(member) has already checked in on \(day)")
            }
            let id = tx.newID("CK")
            try tx.emit(CouponUseChange(key: key, claimant: "checkin:\(id)"), entity: id, scope: .global)
            try tx.emit(
                MemberLedgerChange(
                    member: member, account: .points, delta: Self.checkinPoints, reason: "checkin",
                    ref: nil),
                entity: "PT-\(id)", scope: .global)
            return try Self.memberView(member, tx.flushed())
        }
    }
}
