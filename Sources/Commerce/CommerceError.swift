/// A business rule said no. `message` is a sentence the user can act on.
public struct CommerceError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownSKU, invalidQuantity, invalidPrice, invalidInput, insufficientStock, offShelf
        case illegalTransition, refundExceedsPaid, unknownOrder, unknownMember, couponInvalid
        case insufficientBalance, unknownWarehouse, notAllowed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
