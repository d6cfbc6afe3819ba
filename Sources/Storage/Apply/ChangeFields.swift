import Replication

/// A change's fields read as its typed payload, with errors that name the change and the field.
struct ChangeFields {
    let change: ChangeRecord

    init(_ change: ChangeRecord) { self.change = change }

    /// The change as a typed payload; a missing or mistyped field names the change and the field.
    func payload<P: ChangePayload>(_ type: P.Type) throws(StorageError) -> P {
        do {
            return try change.payload(type)
        } catch {
            throw StorageError(.invalidChange, error.description)
        }
    }

    /// A register's merged fields as a typed payload.
    static func decode<P: ChangePayload>(_ type: P.Type, _ fields: Fields) throws(StorageError) -> P {
        do {
            return try P(fields: fields)
        } catch {
            throw StorageError(.invalidChange, error.description)
        }
    }
}
