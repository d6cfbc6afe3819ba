import Replication

/// Typed access to a change's fields with errors that name the change and the field.
struct ChangeFields {
    let change: ChangeRecord

    init(_ change: ChangeRecord) { self.change = change }

    func fail(_ field: String, _ what: String) -> StorageError {
        StorageError(
            .invalidChange,
            "change \(change.stamp.changeID) (\(change.kind) \(change.entity)): field '\(field)' \(what)")
    }

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

    func string(_ field: String) throws(StorageError) -> String {
        guard let s = change.fields[field]?.stringValue, !s.isEmpty else { throw fail(field, "must be a non-empty string") }
        return s
    }

    func optionalString(_ field: String) throws(StorageError) -> String? {
        guard let v = change.fields[field], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw fail(field, "must be a string or null") }
        return s
    }

    func int(_ field: String) throws(StorageError) -> Int64 {
        guard let i = change.fields[field]?.intValue else { throw fail(field, "must be an integer") }
        return i
    }

    func optionalInt(_ field: String) throws(StorageError) -> Int64? {
        guard let v = change.fields[field], !v.isNull else { return nil }
        guard let i = v.intValue else { throw fail(field, "must be an integer or null") }
        return i
    }

    func nonNegative(_ field: String) throws(StorageError) -> Int64 {
        let i = try int(field)
        guard i >= 0 else { throw fail(field, "must not be negative") }
        return i
    }

    func positive(_ field: String) throws(StorageError) -> Int64 {
        let i = try int(field)
        guard i > 0 else { throw fail(field, "must be positive") }
        return i
    }
}
