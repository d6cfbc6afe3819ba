/// Typed reads of a change's fields by a payload's field names. `null` and absent are the same
/// for an optional field; a required field that is absent, `null` or of another type throws.
public struct PayloadReader<Field: RawRepresentable<String>> {
    public let kind: EntityKind
    public let fields: Fields

    public init(kind: EntityKind, fields: Fields) {
        self.kind = kind
        self.fields = fields
    }

    /// An error naming `field`.
    public func fail(_ field: Field, _ problem: String) -> PayloadError {
        PayloadError(kind: kind, field: field.rawValue, problem: problem)
    }

    /// The raw value, or nil when absent or `null`.
    public func value(_ field: Field) -> JSONValue? {
        guard let v = fields[field.rawValue], !v.isNull else { return nil }
        return v
    }

    public func string(_ field: Field) throws(PayloadError) -> String {
        guard let s = fields[field.rawValue]?.stringValue, !s.isEmpty else {
            throw fail(field, "must be a non-empty string")
        }
        return s
    }

    public func optionalString(_ field: Field) throws(PayloadError) -> String? {
        guard let v = value(field) else { return nil }
        guard let s = v.stringValue else { throw fail(field, "must be a string or null") }
        return s
    }

    public func int(_ field: Field) throws(PayloadError) -> Int64 {
        guard let i = fields[field.rawValue]?.intValue else { throw fail(field, "must be an integer") }
        return i
    }

    public func optionalInt(_ field: Field) throws(PayloadError) -> Int64? {
        guard let v = value(field) else { return nil }
        guard let i = v.intValue else { throw fail(field, "must be an integer or null") }
        return i
    }

    public func nonNegative(_ field: Field) throws(PayloadError) -> Int64 {
        let i = try int(field)
        guard i >= 0 else { throw fail(field, "must not be negative") }
        return i
    }

    public func positive(_ field: Field) throws(PayloadError) -> Int64 {
        let i = try int(field)
        guard i > 0 else { throw fail(field, "must be positive") }
        return i
    }

    public func optionalBool(_ field: Field) throws(PayloadError) -> Bool? {
        guard let v = value(field) else { return nil }
        guard let b = v.boolValue else { throw fail(field, "must be true, false or null") }
        return b
    }

    /// A string naming one case of `E`.
    public func choice<E: RawRepresentable<String>>(_ field: Field, _: E.Type = E.self) throws(PayloadError) -> E {
        let text = try string(field)
        guard let e = E(rawValue: text) else { throw fail(field, "'\(text)' is not one of the allowed values") }
        return e
    }

    public func optionalChoice<E: RawRepresentable<String>>(_ field: Field, _: E.Type = E.self) throws(PayloadError)
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
    public private(set) var fields = Fields(minimumCapacity: 8)

    public init() {}

    public mutating func set(_ field: Field, _ value: JSONValue?) { fields[field.rawValue] = value }
    public mutating func set(_ field: Field, _ value: String?) { fields[field.rawValue] = value.map(JSONValue.string) }
    public mutating func set(_ field: Field, _ value: Int64?) { fields[field.rawValue] = value.map(JSONValue.int) }
    public mutating func set(_ field: Field, _ value: Bool?) { fields[field.rawValue] = value.map(JSONValue.bool) }
    public mutating func set<E: RawRepresentable<String>>(_ field: Field, _ value: E?) {
        fields[field.rawValue] = value.map { JSONValue.string($0.rawValue) }
    }

    /// A field whose name is built from data (a register's `price@<ms>`), not one of `Field`.
    public mutating func setExtra(_ name: String, _ value: JSONValue) { fields[name] = value }

    public mutating func setOrNull(_ field: Field, _ value: String?) {
        fields[field.rawValue] = value.map(JSONValue.string) ?? .null
    }
    public mutating func setOrNull(_ field: Field, _ value: Int64?) {
        fields[field.rawValue] = value.map(JSONValue.int) ?? .null
    }
    public mutating func setOrNull<E: RawRepresentable<String>>(_ field: Field, _ value: E?) {
        fields[field.rawValue] = value.map { JSONValue.string($0.rawValue) } ?? .null
    }
}
