import Replication

/// The `member_contact` register, keyed `<member>@<node>` in that node's scope: one node's
/// copy of a member's contact data. A store writes and sees only its own copy; head office
/// sees every copy. As a change it is a patch.
public struct MemberContactRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case email, address, birthday
    }
    public static let kind = EntityKind.memberContact

    public var email: String?
    public var address: String?
    /// `YYYY-MM-DD` or `MM-DD`.
    public var birthday: String?

    public init(email: String? = nil, address: String? = nil, birthday: String? = nil) {
        self.email = email
        self.address = address
        self.birthday = birthday
    }

    /// The entity id of `node`'s copy of `member`'s contact data.
    public static func entity(member: String, node: NodeID) -> String { "\(member)@\(node)" }

    /// The member a copy (`<member>@<node>`) belongs to.
    public static func member(ofEntity entity: String) -> String { String(entity.prefix { $0 != "@" }) }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        email = try f.optionalString(.email)
        address = try f.optionalString(.address)
        birthday = try f.optionalString(.birthday)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.email, email)
        f.set(.address, address)
        f.set(.birthday, birthday)
    }

    /// Whether the patch changes nothing.
    public var isEmpty: Bool { email == nil && address == nil && birthday == nil }

    /// Whether the birthday falls on `monthDay` (`MM-DD`).
    public func isBirthday(_ monthDay: some StringProtocol) -> Bool { (birthday ?? "").hasSuffix(monthDay) }
}
