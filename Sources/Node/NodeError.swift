import Commerce
import Replication
import Storage

/// An error a user or a peer can act on, from any layer, with the HTTP status it maps to.
public struct NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidInput, notFound, conflict, forbidden, unauthorized, storage, versionMismatch, tooLarge, wrongRole
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

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
            case .unknownSKU, .unknownOrder, .unknownMember, .unknownWarehouse: return NodeError(.notFound, e.message)
            case .illegalTransition, .insufficientStock, .refundExceedsPaid, .insufficientBalance, .couponInvalid,
                .offShelf:
                return NodeError(.conflict, e.message)
            case .notAllowed: return NodeError(.forbidden, e.message)
            default: return NodeError(.invalidInput, e.message)
            }
        case let e as ArithmeticOverflow: return NodeError(.invalidInput, e.message)
        case let e as PayloadError: return NodeError(.invalidInput, e.description)
        case let e as StorageError:
            switch e.code {
            case .invalidChange: return NodeError(.invalidInput, e.message)
            case .refused: return NodeError(.conflict, e.message)
            case .noNode, .notFenxiao, .alreadyInitialized, .newerSchema: return NodeError(.invalidInput, e.message)
            default: return NodeError(.storage, e.message)
            }
        default: return NodeError(.storage, "\(error)")
        }
    }
}
