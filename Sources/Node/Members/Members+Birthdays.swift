import Commerce
import Foundation
import Replication
import Storage

/// A birthday gift given to a member by their level's benefits.
public struct BirthdayGift: Sendable, Equatable, Codable {
    public var member: String
    public var level: String
    public var points: Int64
    public var coupon: String?
}

extension Members {
    /// The member a contact copy (`<member>@<node>`) belongs to.
    static func contactOwner(_ entity: String) -> String { MemberContactRegister.member(ofEntity: entity) }

    /// Members whose birthday (`YYYY-MM-DD` or `MM-DD`) is on `monthDay`, among those whose
    /// contact data this node holds (the store's own copies; all at head office).
    public func birthdays(on monthDay: MonthDay) throws(NodeError) -> [String] {
        try read(.seeReports) { r in
            Array(
                Set(
                    try r.registers(.memberContact).filter {
                        try MemberContactRegister(fields: $0.fields).isBirthday(monthDay.description)
                    }
                    .map { Self.contactOwner($0.id) })
            ).sorted()
        }
    }

    /// Gives today's birthday members (China Standard Time) their level's birthday gift:
    /// points and/or a holders-only coupon, once a year. Each gift is a claim on
    /// `birthday:<member>:<year>`, so a second run — here or at another node — gives nothing
    /// more, and two offline nodes giving it twice are flagged at merge. `serve` runs this
    /// every 10 minutes, so head office need not schedule it.
    public func giveBirthdayGifts() throws(NodeError) -> [BirthdayGift] {
        let today = NodeCalendar.shanghaiDay(store.wallNow())
        let pending = try read { r -> [String] in
            guard try Self.memberLevels(r).contains(where: { $0.birthday_points > 0 || $0.birthday_coupon != nil })
            else { return [] }
            let born = try r.registers(.memberContact).filter {
                try MemberContactRegister(fields: $0.fields).isBirthday(today.suffix(5))
            }
            return try Set(born.map { Self.contactOwner($0.id) }).sorted().filter { member in
                try r.register(.member, member) != nil && r.claimCount("birthday:\(member):\(today.prefix(4))") == 0
            }
        }
        guard !pending.isEmpty else { return [] }
        return try write(.marketing, "member.birthday_gifts") { tx in
            var gifts: [BirthdayGift] = []
            for member in pending {
                let key = "birthday:\(member):\(today.prefix(4))"
                guard try tx.reader.claimCount(key) == 0, let level = try Self.memberLevel(member, tx.reader),
                    level.birthday_points > 0 || level.birthday_coupon != nil
                else { continue }
                let id = tx.newID("BD")
                try tx.emit(CouponUseChange(key: key, claimant: "birthday:\(id)"), entity: id, scope: .global)
                if level.birthday_points > 0 {
                    try tx.emit(
                        MemberLedgerChange(
                            member: member, account: .points, delta: level.birthday_points, reason: "birthday",
                            ref: level.id),
                        entity: "PT-\(id)", scope: .global)
                }
                var coupon: String?
                if let code = level.birthday_coupon, try !Marketing.holds(member, coupon: code, tx.reader) {
                    try Marketing.emitHolding(&tx, code: code, member: member, source: .given, ref: id)
                    coupon = code
                }
                gifts.append(
                    BirthdayGift(member: member, level: level.id, points: level.birthday_points, coupon: coupon))
            }
            return gifts
        }
    }
}
