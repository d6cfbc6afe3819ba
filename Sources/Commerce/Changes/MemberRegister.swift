import Replication

/// The `member` register (global, field-level merge): a member's profile. Contact data
/// (email, address, birthday) is never here; see `MemberContactRegister`. As a change it is a
/// patch: a registration also writes `home` (the node that registered the member) and
/// `registered_at`.
public struct MemberRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, phone, region, home
        case optOut = "opt_out"
        case registeredAt = "registered_at"
        case lastLoginAt = "last_login_at"
    }
    public static let kind = EntityKind.member

    public var name: String?
    /// Unique among members: the first writer of a number holds its `phone:` claim.
    public var phone: String?
    public var region: String?
    /// Opted out of campaign messages.
    public var optOut: Bool?
    public var registeredAtMillis: Int64?
    /// The node that registered the member; it and head office hold their contact data.
    public var home: String?
    public var lastLoginAtMillis: Int64?

    public init(
        name: String? = nil, phone: String? = nil, region: String? = nil, optOut: Bool? = nil,
        registeredAtMillis: Int64? = nil,
        home: String? = nil, lastLoginAtMillis: Int64? = nil
    ) {
        self.name = name
        self.phone = phone
        self.region = region
        self.optOut = optOut
        self.registeredAtMillis = registeredAtMillis
        self.home = home
        self.lastLoginAtMillis = lastLoginAtMillis
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        phone = try f.optionalString(.phone)
        region = try f.optionalString(.region)
        optOut = try f.optionalBool(.optOut)
        registeredAtMillis = try f.optionalInt(.registeredAt)
        home = try f.optionalString(.home)
        lastLoginAtMillis = try f.optionalInt(.lastLoginAt)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.phone, phone)
        f.set(.region, region)
        f.set(.optOut, optOut)
        f.set(.registeredAt, registeredAtMillis)
        f.set(.home, home)
        f.set(.lastLoginAt, lastLoginAtMillis)
    }

    /// The home as a node id (nil for members registered before homes were kept).
    public var homeNode: NodeID? { home.flatMap(NodeID.init) }
}
