import Replication

/// The `user` register (head office writes it): a staff or mall user, their role and the store
/// they work at. As a change it is a patch: `user add` writes only what it is given (and
/// `registered_at` when the user is new).
public struct UserRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, role, store, phone, email, address, birthday, disabled
        case registeredAt = "registered_at"
    }
    public static let kind = EntityKind.user

    public var name: String?
    public var role: Role?
    /// The store the user works at (nil: chain-wide).
    public var store: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    /// `YYYY-MM-DD`.
    public var birthday: String?
    public var registeredAtMillis: Int64?
    /// A disabled user can neither sign in nor act.
    public var disabled: Bool?

    public init(
        name: String? = nil, role: Role? = nil, store: String? = nil, phone: String? = nil, email: String? = nil,
        address: String? = nil, birthday: String? = nil, registeredAtMillis: Int64? = nil, disabled: Bool? = nil
    ) {
        self.name = name
        self.role = role
        self.store = store
        self.phone = phone
        self.email = email
        self.address = address
        self.birthday = birthday
        self.registeredAtMillis = registeredAtMillis
        self.disabled = disabled
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        role = try f.optionalChoice(.role)
        store = try f.optionalString(.store)
        phone = try f.optionalString(.phone)
        email = try f.optionalString(.email)
        address = try f.optionalString(.address)
        birthday = try f.optionalString(.birthday)
        registeredAtMillis = try f.optionalInt(.registeredAt)
        disabled = try f.optionalBool(.disabled)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.role, role)
        f.set(.store, store)
        f.set(.phone, phone)
        f.set(.email, email)
        f.set(.address, address)
        f.set(.birthday, birthday)
        f.set(.registeredAt, registeredAtMillis)
        f.set(.disabled, disabled)
    }
}
