/// A storage problem, with a sentence that tells the operator what to do.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case noNode, notFenxiao, newerSchema, alreadyInitialized, corrupt, io, invalidChange, refused, busy
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
