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

extension Orders {
    /// A cashier records a customer's refund or return request (whole order by default); it
    /// waits for someone whose role may refund that amount.
    public func requestRefund(order id: String, amount: Money?, reason: String?, restock: Bool) throws(NodeError)
        -> RefundRequestView
    {
        let cents = try Self.refundCents(amount)
        return try write(.sell, "refund.request", subject: id) { tx in
            let order = try Self.requireOrder(id, tx.reader)
            guard order.paid_cents > order.refunded_cents else {
                throw NodeError(.conflict, "order \(id) has nothing left to refund")
            }
            try OrderClosingCheck.requireOpenForRequest(id, tx.reader, nowMillis: tx.nowMillis)
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            let requestID = tx.newID("RQ")
            try tx.emit(
                RefundRequestRegister.request(
                    order: id, amount: cents.map(Money.init(cents:)), restock: restock, reason: reason),
                entity: requestID, scope: scope)
            return try Self.refundRequestView(requestID, try tx.flushed().register(.refundRequest, requestID) ?? [:])
        }
    }

    /// Approves (the refund happens in the same transaction, within the approver's limit) or
    /// rejects a request.
    public func decideRefund(request id: String, approve: Bool, note: String?) throws(NodeError) -> RefundRequestView {
        try write { tx in
            guard let f = try tx.reader.register(.refundRequest, id) else {
                throw NodeError(.notFound, "no refund request \(id)")
            }
            let request = try Self.refundRequestView(id, f)
            guard request.status == "requested" else {
                throw NodeError(.conflict, "refund request \(id) is already \(request.status)")
            }
            let order = try Self.requireOrder(request.order, tx.reader)
            let user = try check(
                .refund, amount: request.amount_cents ?? (order.paid_cents - order.refunded_cents), tx.reader)
            if approve {
                try performRefund(
                    &tx, order: request.order, cents: request.amount_cents, reason: request.reason,
                    restock: request.restock)
            }
            let decision = RefundRequestRegister(status: approve ? .approved : .rejected, decidedBy: user, note: note)
            let scope = Scope(order.store.map { "node:\($0)" } ?? "") ?? .node(identity.node)
            try tx.emit(decision, entity: id, scope: scope)
            if let user {
                try audit(&tx, user: user, action: approve ? "refund.approve" : "refund.reject", subject: id)
            }
            return try Self.refundRequestView(id, try tx.flushed().register(.refundRequest, id) ?? f)
        }
    }

    /// Every refund request, or those with `status` (`requested` for the review queue).
    public func refundRequests(status: RefundRequestRegister.Status? = nil) throws(NodeError) -> [RefundRequestView] {
        try read { r in
            try r.registers(.refundRequest).map { try Self.refundRequestView($0.id, $0.fields) }.filter {
                status == nil || $0.status == status?.rawValue
            }
        }
    }

    static func refundRequestView(_ id: String, _ f: Fields) throws -> RefundRequestView {
        let q = try RefundRequestRegister(fields: f)
        return RefundRequestView(
            id: id, order: q.order ?? "?", amount_cents: q.amount?.cents, restock: q.restock ?? false, reason: q.reason,
            status: q.status?.rawValue ?? "?", decided_by: q.decidedBy, note: q.note)
    }
}
