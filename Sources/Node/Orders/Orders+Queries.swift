import Commerce
import Replication
import Storage

extension Orders {
    static func requireOrder(_ id: String, _ r: StoreReader) throws -> OrderView {
        guard let order = try r.order(id) else {
            if try r.droppedClosedOrders() > 0 {
                throw NodeError(
                    .notFound,
                    "order \(id) is unknown here: it may have closed and left this store (after its after-sale period; head office keeps it); check the id or run `fenxiao sync`"
                )
            }
            throw NodeError(.notFound, "order \(id) is unknown here; check the id or run `fenxiao sync`")
        }
        return order
    }

    public func find(_ id: String) throws(NodeError) -> OrderView {
        try read { r in try masked(Self.requireOrder(id, r), r) }
    }

    /// Payment references are masked for roles that may not see payment details, and for a
    /// reader who is not a known user once the chain has users.
    func masked(_ order: OrderView, _ r: StoreReader) throws -> OrderView {
        guard order.payments.contains(where: { $0.reference != nil }) else { return order }
        switch Result(catching: { try actingUser(r) }) {
        case .success(nil): return order  // no users yet: nothing to protect from whom
        case .success(let me?) where me.role.permissions.contains(.viewContacts): return order
        default: break
        }
        var order = order
        for i in order.payments.indices { order.payments[i].reference = order.payments[i].reference.map(Role.mask) }
        return order
    }

    /// Orders, or those with `status`, newest first, paged.
    public func list(status: OrderStatus? = nil, limit: Int = 100, offset: Int = 0) throws(NodeError) -> [OrderView] {
        try list(matching: StoreReader.OrderFilter(status: status), limit: limit, offset: offset)
    }

    /// Orders by status, member, store, SKU and creation window, newest first, paged.
    public func list(matching filter: StoreReader.OrderFilter, limit: Int = 100, offset: Int = 0) throws(NodeError)
        -> [OrderView]
    {
        if let from = filter.from, let to = filter.to, from >= to {
            throw NodeError(.invalidInput, "\(Field.`from`) must be before \(Field.`to`)")
        }
        return try read { r in
            try r.orderIDs(matching: filter, limit: limit, offset: offset).compactMap { try r.order($0) }.map {
                try masked($0, r)
            }
        }
    }
}
