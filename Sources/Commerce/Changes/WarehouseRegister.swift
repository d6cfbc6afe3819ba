import Replication

/// The `warehouse` register (head office writes it): who owns a warehouse and what it is called.
/// A store's warehouses are registered when it enrolls; central's own with `warehouse add`.
public struct WarehouseRegister: ChangePayload, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case owner, name
    }
    public static let kind = EntityKind.warehouse

    /// The node whose stock this warehouse is (`central` for head office's own).
    public var owner: String?
    public var name: String?

    public init(owner: String? = nil, name: String? = nil) {
        self.owner = owner
        self.name = name
    }

    public init(reading f: PayloadReader<Field>) throws(PayloadError) {
        owner = try f.optionalString(.owner)
        name = try f.optionalString(.name)
    }

    public func write(to f: inout PayloadWriter<Field>) {
        f.set(.owner, owner)
        f.set(.name, name)
    }
}
