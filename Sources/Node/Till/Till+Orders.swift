import Commerce
import Foundation
import Replication
import Storage

extension Till {
    /// Orders whose id ends with `suffix` (the last 4–6 characters printed on a receipt, any
    /// case), newest first, at most 10.
    public func findOrders(endingWith suffix: String) throws(NodeError) -> [OrderView] {
        let suffix = suffix.uppercased()
        guard (4...6).contains(suffix.count), suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw NodeError(
                .invalidInput,
                "\(Field.id) suffix must be the last 4–6 letters or digits of the order id (on the receipt)")
        }
        let ids = try node.read(.sell) { r in try r.orderIDs(endingWith: suffix, limit: 10) }
        var out: [OrderView] = []
        for id in ids { out.append(try node.orders.find(id)) }
        return out
    }

    /// The one order whose id ends with `suffix`; several → a conflict naming the candidates.
    public func findOrder(endingWith suffix: String) throws(NodeError) -> OrderView {
        let found = try findOrders(endingWith: suffix)
        guard let first = found.first else {
            throw NodeError(
                .notFound, "no order here ends with \(suffix.uppercased()); scan the receipt or type more of the id",
                field: .id)
        }
        guard found.count == 1 else {
            throw NodeError(
                .conflict,
                "\(found.count) orders end with \(suffix.uppercased()): \(found.map(\.id).joined(separator: ", ")); type more of the id",
                field: .id)
        }
        return first
    }
}
