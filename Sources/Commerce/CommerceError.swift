import Replication

/// A business rule said no. `message` is a sentence the user can act on.
public struct CommerceError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownSKU, invalidQuantity, invalidPrice, invalidInput, insufficientStock, offShelf
        case illegalTransition, refundExceedsPaid, unknownOrder, unknownMember, couponInvalid
        case insufficientBalance, unknownWarehouse, notAllowed
    }

    /// Which rule said no.
    public var code: Code
    /// The sentence, naming fields for each face to render (see `NodeError`).
    public var text: FieldMessage
    /// The offending field, if the error is about one.
    public var field: Field?

    /// A refusal whose sentence may name fields; `field` defaults to the first one named.
    public init(_ code: Code, _ text: FieldMessage, field: Field? = nil) {
        self.code = code
        self.text = text
        self.field = field ?? text.fields.first
    }

    /// A refusal with a plain sentence.
    /// (A string literal builds a ``FieldMessage``; a `String` value needs this label.)
    public init(_ code: Code, message: String, field: Field? = nil) {
        self.init(code, FieldMessage(message), field: field)
    }

    /// The sentence with fields named as in JSON.
    public var message: String { text.description }

    public var description: String { message }
}
