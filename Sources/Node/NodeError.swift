import Commerce
import Replication
import Storage

/// An error a user or a peer can act on, from any layer, with the HTTP status it maps to.
///
/// Its sentence names the request's fields, never a face's spelling of them: `"\(Field.payRef)
/// must be …"`. Each face renders them (``FieldMessage/rendered(_:)``): the CLI as flags, the
/// HTTP API and the web by name. ``field`` is the field to point at (the first one named, unless
/// given).
public struct NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidInput, notFound, conflict, forbidden, unauthorized, storage, versionMismatch, tooLarge, wrongRole
    }

    /// What kind of refusal: decides the HTTP status and the CLI's exit code.
    public var code: Code
    /// The sentence, with field references for each face to render.
    public var text: FieldMessage
    /// The offending field, if the error is about one.
    public var field: Field?
    /// The pricing fact behind a refusal (a coupon the engine rejected), for each face to render
    /// in its reader's language (`PricingText`).
    public var pricingNote: PricingNote?

    /// An error whose sentence may name fields (`"\(Field.amount) must be …"`); `field`
    /// defaults to the first field it names.
    public init(_ code: Code, _ text: FieldMessage, field: Field? = nil) {
        self.code = code
        self.text = text
        self.field = field ?? text.fields.first
    }

    /// An error with a plain sentence (e.g. a lower layer's message).
    /// (A string literal builds a ``FieldMessage``; a `String` value needs this label.)
    public init(_ code: Code, message: String, field: Field? = nil) {
        self.init(code, FieldMessage(message), field: field)
    }

    /// The sentence with fields named as in JSON (`pay_ref`): the face-neutral form.
    public var message: String { text.description }

    public var description: String { message }

    /// The HTTP status at the server edge.
    public var httpStatus: Int {
        switch code {
        case .invalidInput: return 400
        case .unauthorized: return 401
        case .forbidden, .wrongRole: return 403
        case .notFound: return 404
        case .conflict, .versionMismatch: return 409
        case .tooLarge: return 413
        case .storage: return 503
        }
    }

    /// Wraps any error thrown by the layers below into a NodeError.
    public static func wrap(_ error: any Error) -> NodeError {
        switch error {
        case let e as NodeError: return e
        case let e as CommerceError:
            switch e.code {
            case .unknownSKU, .unknownOrder, .unknownMember, .unknownWarehouse:
                return NodeError(.notFound, e.text, field: e.field)
            case .illegalTransition, .insufficientStock, .refundExceedsPaid, .insufficientBalance, .couponInvalid,
                .offShelf:
                return NodeError(.conflict, e.text, field: e.field)
            case .notAllowed: return NodeError(.forbidden, e.text, field: e.field)
            default: return NodeError(.invalidInput, e.text, field: e.field)
            }
        case let e as ArithmeticOverflow: return NodeError(.invalidInput, message: e.message)
        case let e as PayloadError: return NodeError(.invalidInput, message: e.description)
        case let e as StorageError:
            switch e.code {
            case .invalidChange: return NodeError(.invalidInput, message: e.message)
            case .refused: return NodeError(.conflict, message: e.message)
            case .noNode, .notFenxiao, .alreadyInitialized, .newerSchema:
                return NodeError(.invalidInput, message: e.message)
            default: return NodeError(.storage, message: e.message)
            }
        default: return NodeError(.storage, "\(error)")
        }
    }
}
