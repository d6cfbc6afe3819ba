/// A field of a request a user fills in, named as in JSON (`pay_ref`, `amount`).
///
/// Use cases name the field an error is about; each face shows it its own way: the CLI as its
/// flag (`--pay-ref`), a web form next to the input of that name, the HTTP API by this name.
/// Open set: a new field is a new constant, and the CLI derives its flag from the name
/// (`pay_ref` → `--pay-ref`) unless its table says otherwise.
public struct Field: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The snake_case name, as in JSON bodies and forms.
    public let rawValue: String

    /// A field named `rawValue` (snake_case).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A field named by a literal: `let note: Field = "note"`.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The field's name.
    public var description: String { rawValue }
}

/// A sentence that may name fields of the request, rendered by each face: `"\(Field.payRef) must
/// be 1–64 letters"` prints as "--pay-ref must be …" in the CLI and "pay_ref must be …" elsewhere.
public struct FieldMessage: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// A piece of the sentence: plain text or a field reference.
    public enum Segment: Sendable, Hashable {
        /// Words, shown as they are.
        case text(String)
        /// A field, shown as the face names it.
        case field(Field)
    }

    /// The sentence, in order.
    public var segments: [Segment]

    /// A sentence without field references.
    public init(_ text: String) { segments = [.text(text)] }

    /// A sentence made of `segments`.
    public init(segments: [Segment]) { self.segments = segments }

    /// A plain literal.
    public init(stringLiteral value: String) { segments = [.text(value)] }

    /// An interpolated literal, where `\(field)` stays a field reference.
    public init(stringInterpolation: Interpolation) { segments = stringInterpolation.segments }

    /// The fields named, in order of appearance (each once).
    public var fields: [Field] {
        var seen: [Field] = []
        for case .field(let f) in segments where !seen.contains(f) { seen.append(f) }
        return seen
    }

    /// The sentence with each field shown by `name` (the CLI passes its flag).
    public func rendered(_ name: (Field) -> String) -> String {
        segments.map {
            switch $0 {
            case .text(let t): return t
            case .field(let f): return name(f)
            }
        }.joined()
    }

    /// The sentence with fields shown by their names (`pay_ref`): the face-neutral form.
    public var description: String { rendered(\.rawValue) }

    /// A copy with `prefix` in front (e.g. the change id of a refused change).
    public func prefixed(_ prefix: String) -> FieldMessage {
        var m = self
        m.segments.insert(.text(prefix), at: 0)
        return m
    }

    /// Builds the segments of an interpolated literal.
    public struct Interpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        /// Room for the literal's pieces.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Plain words.
        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { segments.append(.text(literal)) }
        }

        /// A field reference, rendered per face.
        public mutating func appendInterpolation(_ field: Field) { segments.append(.field(field)) }

        /// Any other value, as `String(describing:)` would print it.
        public mutating func appendInterpolation<T>(_ value: T) { segments.append(.text(String(describing: value))) }
    }
}
