import Replication

/// The `category` register (head office writes it), keyed by its path (`Drinks/Tea`): the
/// display name, the parent path and whether it is retired. Products keep their category path.
/// As a change it is a patch; a field in `cleared` is written as `null` (a top-level category's
/// `parent`).
public struct CategoryRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, parent, retired
    }
    public static let kind = EntityKind.category

    public var name: String?
    /// The parent's path; nil (and `parent` in `cleared`) for a top-level category.
    public var parent: String?
    public var retired: Bool?
    /// Fields this patch clears (written as `null`).
    public var cleared: Set<Field>

    public init(name: String? = nil, parent: String? = nil, retired: Bool? = nil, cleared: Set<Field> = []) {
        self.name = name
        self.parent = parent
        self.retired = retired
        self.cleared = cleared
    }

    /// A category created with the catalog: its name, its parent (`null` at the top), not retired.
    public static func created(name: String, parent: String?) -> CategoryRegister {
        CategoryRegister(name: name, parent: parent, retired: false, cleared: parent == nil ? [.parent] : [])
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        name = try f.optionalString(.name)
        parent = try f.optionalString(.parent)
        retired = try f.optionalBool(.retired)
        cleared = Set(Field.allCases.filter { f.fields[$0.rawValue]?.isNull == true })
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.name, name)
        f.set(.parent, parent)
        f.set(.retired, retired)
        for field in cleared { f.set(field, JSONValue.null) }
    }
}
