import ArgumentParser
import Commerce

// Typed input at the edge: argument-parser parses these and refuses bad values with its own
// message ("The value 'x' is invalid for '--pay <pay>'. Please provide one of 'cash', …"),
// exit 2, before any node is opened.

/// Yuan as typed: `12`, `12.5`, `-3.05` (at most two decimals).
extension Money: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { yuan }
}

extension PaymentMethod: ExpressibleByArgument {}
extension SalesChannel: ExpressibleByArgument {}
extension WithdrawalFeeMode: ExpressibleByArgument {}
extension WithdrawalMethod: ExpressibleByArgument {}
extension OrderStatus: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
