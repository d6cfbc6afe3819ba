/// A typed change payload: one value per entity kind and shape (`StockMoved`, `PaymentRecorded`…),
/// whose `Field` enum holds the snake_case wire names in one place.
///
/// Use cases build a payload and emit it; the applier and the push check decode the same type, so
/// a field name is spelled once and a missing or mistyped field is an error naming the change and
/// the field, never a silent 0. The bytes on the wire are what `write(to:)` puts there, field by
/// field, so a payload reproduces the shape nodes already exchange. Reading a payload's own
/// fields gives it back (`ChangeRecord.keepPayload(_:)` checks this in debug builds).
public protocol ChangePayload: Sendable, Equatable {
    /// The payload's wire field names.
    associatedtype Field: RawRepresentable<String> & Sendable
    /// The entity kind this payload is a change of.
    static var kind: EntityKind { get }
    /// Reads the payload from a change's fields; throws naming the first bad field.
    init(reading fields: PayloadReader<Field>) throws(PayloadError)
    /// Writes the payload's fields.
    func write(to fields: inout PayloadWriter<Field>)
}

extension ChangePayload {
    /// Decodes a change's fields as this payload.
    @inlinable public init(fields: Fields) throws(PayloadError) {
        try self.init(reading: PayloadReader(kind: Self.kind, fields: fields))
    }

    /// The payload as change fields.
    @inlinable public var fields: Fields {
        var writer = PayloadWriter<Field>()
        write(to: &writer)
        return writer.fields
    }
}

extension ChangeRecord {
    /// This change's fields as a typed payload; throws naming the change and the field when the
    /// kind differs or a field is missing or mistyped.
    ///
    /// `@inlinable`, like the prepared payload's read, so that each caller's concrete `P` is
    /// specialized: unspecialized, every call looked the generic types' metadata up at run time
    /// (a twentieth of the payload reads on central's writer and of its decoding).
    @inlinable public func payload<P: ChangePayload>(_: P.Type) throws(PayloadError) -> P {
        guard kind == P.kind else {
            throw PayloadError(
                kind: kind, field: "kind", problem: "is \(kind), expected \(P.kind)", change: stamp.changeID)
        }
        if let ready = preparedPayload(P.self) { return ready }
        do {
            return try P(fields: fields)
        } catch {
            throw error.in(change: stamp.changeID, entity: entity)
        }
    }
}

/// A payload decoded ahead of the write lock (``ChangeRecord/preparePayload(_:)``): one
/// reference in the change, whatever the payload's size, that names its type so that reading
/// it back is a comparison, not a dynamic cast.
@usableFromInline class PreparedPayload: @unchecked Sendable {
    @usableFromInline let type: ObjectIdentifier

    @usableFromInline init(type: ObjectIdentifier) { self.type = type }

    /// The value, when it is a `P`.
    @inlinable final func value<P: ChangePayload>(as _: P.Type) -> P? {
        guard type == ObjectIdentifier(P.self) else { return nil }
        return unsafeDowncast(self, to: PreparedValue<P>.self).value
    }
}

/// A ``PreparedPayload`` of type `P`.
@usableFromInline final class PreparedValue<P: ChangePayload>: PreparedPayload, @unchecked Sendable {
    @usableFromInline let value: P

    @inlinable init(_ value: P) {
        self.value = value
        super.init(type: ObjectIdentifier(P.self))
    }
}

/// A change field that is missing, mistyped or out of its domain.
public struct PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: EntityKind
    /// The wire name of the offending field.
    public var field: String
    /// What is wrong with it ("must be an integer").
    public var problem: String
    /// `origin/seq` of the change, when known.
    public var change: String?
    /// The entity id, when known.
    public var entity: String?

    public init(kind: EntityKind, field: String, problem: String, change: String? = nil, entity: String? = nil) {
        self.kind = kind
        self.field = field
        self.problem = problem
        self.change = change
        self.entity = entity
    }

    @usableFromInline func `in`(change: String, entity: String) -> PayloadError {
        var e = self
        e.change = change
        e.entity = entity
        return e
    }

    public var description: String {
        let subject = [change.map { "change \($0)" }, entity.map { "(\(kind) \($0))" } ?? "(\(kind))"]
            .compactMap { $0 }.joined(separator: " ")
        return "\(subject): field '\(field)' \(problem)"
    }
}
