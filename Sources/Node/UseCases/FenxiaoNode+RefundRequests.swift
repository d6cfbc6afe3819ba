import Commerce
import Replication
import Storage

/// A refund or return waiting for a decision.
public struct RefundRequestView: Sendable, Equatable, Codable {
    public var id: String
    public var order: String
    public var amount_cents: Int64?
    public var restock: Bool
    public var reason: String?
    public var status: String
    public var decided_by: String?
    public var note: String?
}

extension FenxiaoNode {
    /// A cashier records a customer's refund or return request (whole order by default); it
    /// waits for someone whose role may refund that amount.
    public func requestRefund(order id: String, amount: String?, reason: String?, restock: Bool) throws(NodeError)
        -> RefundRequestView
    {
        var cents: Int64?
        if let amount {
            guard let m = Money(parsing: amount), m.cents > 0 else {
                throw NodeError(.invalidInput, "refund amount '\(amount)' must be a positive amount in yuan")
            }
            cents = m.cents
        }
        return try write(.sell, "refund.request", subject: id) { tx in
            let order = try Self.requireOrder(id, tx.reader)
            guard order.paid_cents > order.refunded_cents else { throw NodeError(.conflict, "order \(id) has nothing left to refund") }
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            let requestID = tx.newID("RQ")
            try tx.emit(
                .refundRequest, entity: requestID,
                fields: ["order": .string(id), "amount_cents": cents.map(JSONValue.int) ?? .null, "restock": .bool(restock),
                         "reason": reason.map(JSONValue.string) ?? .null, "status": "requested"],
                scope: scope)
            return Self.refundRequestView(requestID, try tx.flushed().register(.refundRequest, requestID) ?? [:])
        }
    }

    /// Approves (the refund happens in the same transaction, within the approver's limit) or
    /// rejects a request.
    public func decideRefund(request id: String, approve: Bool, note: String?) throws(NodeError) -> RefundRequestView {
        try write { tx in
            guard let f = try tx.reader.register(.refundRequest, id) else { throw NodeError(.notFound, "no refund request \(id)") }
            let request = Self.refundRequestView(id, f)
            guard request.status == "requested" else { throw NodeError(.conflict, "refund request \(id) is already \(request.status)") }
            let order = try Self.requireOrder(request.order, tx.reader)
            let user = try check(.refund, amount: request.amount_cents ?? (order.paid_cents - order.refunded_cents), tx.reader)
            if approve {
                try performRefund(&tx, order: request.order, cents: request.amount_cents, reason: request.reason, restock: request.restock)
            }
            var fields: Fields = ["status": .string(approve ? "approved" : "rejected")]
            if let user { fields["decided_by"] = .string(user) }
            if let note { fields["note"] = .string(note) }
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            try tx.emit(.refundRequest, entity: id, fields: fields, scope: scope)
            if let user { try audit(&tx, user: user, action: approve ? "refund.approve" : "refund.reject", subject: id) }
            return Self.refundRequestView(id, try tx.flushed().register(.refundRequest, id) ?? f)
        }
    }

    public func refundRequests(status: String? = nil) throws(NodeError) -> [RefundRequestView] {
        try read { r in
            try r.registers(.refundRequest).map { Self.refundRequestView($0.id, $0.fields) }.filter { status == nil || $0.status == status }
        }
    }

    static func refundRequestView(_ id: String, _ f: Fields) -> RefundRequestView {
        RefundRequestView(
            id: id, order: f["order"]?.stringValue ?? "?", amount_cents: f["amount_cents"]?.intValue,
            restock: f["restock"]?.boolValue ?? false, reason: f["reason"]?.stringValue, status: f["status"]?.stringValue ?? "?",
            decided_by: f["decided_by"]?.stringValue, note: f["note"]?.stringValue)
    }
}
