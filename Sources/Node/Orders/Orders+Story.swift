import Commerce
import Replication
import Storage

/// An order's full story, as head office reads it: the order (lines, pricing, payments,
/// refunds, shipment), each change that made it, its status steps, its refund requests and the
/// conflict records about it.
public struct OrderStory: Sendable, Equatable {
    /// One change of the order's story, from the change log.
    public struct Change: Sendable, Equatable, Codable {
        /// `origin/seq`: the node that wrote it and its place in that node's log.
        public var id: String
        public var origin: String
        /// The writer's wall clock at the change, in ms since the epoch.
        public var at_millis: Int64
        /// The entity kind (`order`, `payment`, `refund`, `stock_move`…) and entity id.
        public var kind: String
        public var entity: String
        /// `create`, `transition`, `upsert`…
        public var op: String
        /// The status the change set, for an order's creation and its steps.
        public var status: String?
    }

    /// One step of the order's status, with the parcel when it shipped.
    public struct Step: Sendable, Equatable, Codable {
        public var status: String
        public var origin: String
        public var at_millis: Int64
        public var carrier: String?
        public var tracking: String?
    }

    public var order: OrderView
    public var changes: [Change]
    public var steps: [Step]
    public var refundRequests: [RefundRequestView]
    public var conflicts: [ConflictView]
}

extension Orders {
    /// Order `id`'s story: the order as `find` shows it, the changes that made it (from this
    /// node's change log), its status steps in stamp order, its refund requests and the
    /// conflicts whose subject is the order or one of its payments, refunds or movements.
    public func story(_ id: String) throws(NodeError) -> OrderStory {
        try read { r in
            let order = try masked(Self.requireOrder(id, r), r)
            let records = try r.changes(makingOrder: id)
            let changes = records.map { c in
                OrderStory.Change(
                    id: "\(c.origin.rawValue)/\(c.seq)", origin: c.origin.rawValue, at_millis: c.hlc.wallMillis,
                    kind: c.kind.rawValue, entity: c.entity, op: c.op.rawValue,
                    status: c.kind == .order ? c.fields["status"]?.stringValue : nil)
            }
            let steps: [OrderStory.Step] = records.compactMap { c in
                guard c.kind == .order, let status = c.fields["status"]?.stringValue else { return nil }
                return OrderStory.Step(
                    status: status, origin: c.origin.rawValue, at_millis: c.hlc.wallMillis,
                    carrier: c.fields["carrier"]?.stringValue, tracking: c.fields["tracking"]?.stringValue)
            }
            let requests = try r.registers(.refundRequest).map { try Self.refundRequestView($0.id, $0.fields) }
                .filter { $0.order == id }
            let entities = Set(records.map(\.entity)).union([id])
            let changeIDs = Set(changes.map(\.id))
            let conflicts = try r.conflicts().filter {
                entities.contains($0.subject) || changeIDs.contains($0.loser) || Self.names(order: id, $0.facts)
            }
            return OrderStory(
                order: order, changes: changes, steps: steps, refundRequests: requests, conflicts: conflicts)
        }
    }

    /// Whether a conflict's facts are about order `id`.
    static func names(order id: String, _ facts: ConflictFacts?) -> Bool {
        guard let facts else { return false }
        switch facts {
        case let .paidTwice(_, _, order, _, _), let .factBeatsCancel(order, _, _, _),
            let .refundExceedsPaid(_, _, order, _, _), let .lineRefundExceedsSold(_, _, order, _, _, _, _, _),
            let .pointsReturnExceedsUsed(_, _, order, _, _, _, _),
            let .pointsClawbackExceedsEarned(_, _, order, _, _, _, _):
            return order == id
        default: return false
        }
    }
}
