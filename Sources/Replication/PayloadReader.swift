/// Typed reads of a change's fields by a payload's field names. `null` and absent are the same
/// for an optional field; a required field that is absent, `null` or of another type throws.
///
/// Its reads are `@inlinable` so that each payload type's `init(reading:)` (in `Commerce`) gets
/// them specialized for its `Field` enum: unspecialized, every read looked up the generic
/// type's metadata and called `rawValue` through a witness table (decoding a push's payloads
/// is a fifth of central's decoding).
public struct PayloadReader<Field: RawRepresentable<String>> {
    public let kind: EntityKind
    public let fields: Fields

    @inlinable public init(kind: EntityKind, fields: Fields) {
        self.kind = kind
        self.fields = fields
    }

    /// An error naming `field`.
    @inlinable public func fail(_ field: Field, _ problem: String) -> PayloadError {
        PayloadError(kind: kind, field: field.rawValue, problem: problem)
    }

    /// The raw value, or nil when absent or `null`.
    @inlinable public func value(_ field: Field) -> JSONValue? {
        guard let v = fields[field.rawValue], !v.isNull else { return nil }
        return v
    }

    @inlinable public func string(_ field: Field) throws(PayloadError) -> String {
        guard let s = fields[field.rawValue]?.stringValue, !s.isEmpty else {
            throw fail(field, "must be a non-empty string")
        }
        return s
    }

    @inlinable public func optionalString(_ field: Field) throws(PayloadError) -> String? {
        guard let v = value(field) else { return nil }
        guard let s = v.stringValue else { throw fail(field, "must be a string or null") }
        return s
    }

    @inlinable public func int(_ field: Field) throws(PayloadError) -> Int64 {
        guard let i = fields[field.rawValue]?.intValue else { throw fail(field, "must be an integer") }
        return i
    }

    @inlinable public func optionalInt(_ field: Field) throws(PayloadError) -> Int64? {
        guard let v = value(field) else { return nil }
        guard let i = v.intValue else { throw fail(field, "must be an integer or null") }
        return i
    }

    @inlinable public func nonNegative(_ field: Field) throws(PayloadError) -> Int64 {
        let i = try int(field)
        guard i >= 0 else { throw fail(field, "must not be negative") }
        return i
    }

    @inlinable public func positive(_ field: Field) throws(PayloadError) -> Int64 {
        let i = try int(field)
        guard i > 0 else { throw fail(field, "must be positive") }
        return i
    }

    @inlinable public func optionalBool(_ field: Field) throws(PayloadError) -> Bool? {
        guard let v = value(field) else { return nil }
        guard let b = v.boolValue else { throw fail(field, "must be true, false or null") }
        return b
    }

    /// A string naming one case of `E`.
    @inlinable public func choice<E: RawRepresentable<String>>(_ field: Field, _: E.Type = E.self) throws(PayloadError)
        -> E
    {
        let text = try string(field)
        guard let e = E(rawValue: text) else { throw fail(field, "'\(text)' is not one of the allowed values") }
        return e
    }

    @inlinable public func optionalChoice<E: RawRepresentable<String>>(_ field: Field, _: E.Type = E.self)
        throws(PayloadError)
        -> E?
    {
        guard let text = try optionalString(field) else { return nil }
        guard let e = E(rawValue: text) else { throw fail(field, "'\(text)' is not one of the allowed values") }
        return e
    }
}

/// Builds a change's fields by a payload's field names. `set` of nil omits the field;
/// `setOrNull` writes an explicit `null` (a register field cleared, or a shape that always
/// carries the key).
public struct PayloadWriter<Field: RawRepresentable<String>> {
    /// Room for a typical payload's fields up front, so building one does not rehash as it grows.
    @usableFromInline var built = Fields(minimumCapacity: 8)

    /// The fields set so far.
    @inlinable public var fields: Fields { built }

    @inlinable public init() {}

    @inlinable public mutating func set(_ field: Field, _ value: JSONValue?) { built[field.rawValue] = value }
    @inlinable public mutating func set(_ field: Field, _ value: String?) {
        built[field.rawValue] = value.map(JSONValue.string)
    }
    @inlinable public mutating func set(_ field: Field, _ value: Int64?) {
        built[field.rawValue] = value.map(JSONValue.int)
    }
    @inlinable public mutating func set(_ field: Field, _ value: Bool?) {
        built[field.rawValue] = value.map(JSONValue.bool)
    }
    @inlinable public mutating func set<E: RawRepresentable<String>>(_ field: Field, _ value: E?) {
        built[field.rawValue] = value.map { JSONValue.string($0.rawValue) }
    }

    /// A field whose name is built from data (a register's `price@<ms>`), not one of `Field`.
    @inlinable public mutating func setExtra(_ name: String, _ value: JSONValue) { built[name] = value }

    @inlinable public mutating func setOrNull(_ field: Field, _ value: String?) {
        built[field.rawValue] = value.map(JSONValue.string) ?? .null
    }
    @inlinable public mutating func setOrNull(_ field: Field, _ value: Int64?) {
        built[field.rawValue] = value.map(JSONValue.int) ?? .null
    }
    @inlinable public mutating func setOrNull<E: RawRepresentable<String>>(_ field: Field, _ value: E?) {
        built[field.rawValue] = value.map { JSONValue.string($0.rawValue) } ?? .null
    }
}
