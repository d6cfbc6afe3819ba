import Replication

/// The merge rule for orders: **facts beat intentions**.
///
/// An order's status is derived from every status event it has, wherever it was written:
/// the furthest fact (paid < shipped < completed) wins; a cancel wins only when no node
/// recorded a payment. A cancel that lost is a conflict with a follow-up. Refunds are a
/// ledger per order whose total is capped at what was paid; the excess of concurrent offline
/// refunds is flagged as money to recover.
public enum OrderStateMachine {
    /// A status event of an order (its creation or a transition).
    public struct Event: Sendable, Equatable {
        public var status: OrderStatus
        public var stamp: ChangeStamp
        public init(status: OrderStatus, stamp: ChangeStamp) {
            self.status = status
            self.stamp = stamp
        }
    }

    /// A refund entry of an order.
    public struct Refund: Sendable, Equatable {
        public var id: String
        public var amount: Int64
        public var stamp: ChangeStamp
        public init(id: String, amount: Int64, stamp: ChangeStamp) {
            self.id = id
            self.amount = amount
            self.stamp = stamp
        }
    }

    public struct Outcome: Sendable, Equatable {
        public var status: OrderStatus
        /// Refunds that count, capped at the amount paid.
        public var refunded: Int64
        public var conflicts: [ConflictRecord]
    }

    /// A payment of an order.
    public struct Payment: Sendable, Equatable {
        public var id: String
        public var amount: Int64
        public var stamp: ChangeStamp
        public init(id: String, amount: Int64, stamp: ChangeStamp) {
            self.id = id
            self.amount = amount
            self.stamp = stamp
        }
    }

    /// Like ``materialize(order:events:paid:refunds:scope:)``, and also flags payments beyond
    /// the order total (the same order paid at two places offline) as `paid_twice`.
    public static func materialize(
        order: String, events: [Event], payments: [Payment], total: Int64, refunds: [Refund], scope: Scope
    ) -> Outcome {
        let paid = payments.reduce(0) { $0 + $1.amount }
        var outcome = materialize(order: order, events: events, paid: paid, refunds: refunds, scope: scope)
        guard total > 0, paid > total else { return outcome }
        var running: Int64 = 0
        for p in payments.sorted(by: { $0.stamp < $1.stamp }) {
            let before = running
            running += p.amount
            guard running > total else { continue }
            let excess = running - max(before, total)
            outcome.conflicts.append(
                ConflictRecord(
                    .paidTwice(
                        payment: p.id, at: p.stamp.origin.rawValue, order: order, excessCents: excess, totalCents: total
                    ),
                    subject: "order:\(order)", winner: nil, loser: p.stamp.changeID, amount: excess, unit: "cents",
                    scope: scope, createdHLC: p.stamp.hlc))
        }
        return outcome
    }

    public static func materialize(
        order: String, events: [Event], paid: Int64, refunds: [Refund], scope: Scope
    ) -> Outcome {
        let sorted = events.sorted { $0.stamp < $1.stamp }
        var best: Event?
        for e in sorted {
            guard let rank = e.status.factRank else { continue }
            if let b = best, let bRank = b.status.factRank, bRank >= rank { continue }
            best = e
        }
        let cancels = sorted.filter { $0.status == .cancelled }
        var conflicts: [ConflictRecord] = []
        var status: OrderStatus = best?.status ?? .pending
        let firstFact = sorted.first { ($0.status.factRank ?? 0) >= 1 }
        if let fact = firstFact {
            for c in cancels {
                conflicts.append(
                    ConflictRecord(
                        .factBeatsCancel(
                            order: order, cancelledAt: c.stamp.origin.rawValue, factAt: fact.stamp.origin.rawValue,
                            fact: fact.status.rawValue),
                        subject: "order:\(order)", winner: fact.stamp.changeID, loser: c.stamp.changeID, amount: paid,
                        unit: "cents", scope: scope, createdHLC: c.stamp.hlc))
            }
        } else if !cancels.isEmpty {
            status = .cancelled
        }
        var refunded: Int64 = 0
        for r in refunds.sorted(by: { $0.stamp < $1.stamp }) {
            let room = max(0, paid - refunded)
            if r.amount <= room {
                refunded += r.amount
            } else {
                refunded += room
                let excess = r.amount - room
                conflicts.append(
                    ConflictRecord(
                        .refundExceedsPaid(
                            refund: r.id, at: r.stamp.origin.rawValue, order: order, excessCents: excess,
                            paidCents: paid),
                        subject: "order:\(order)", winner: nil, loser: r.stamp.changeID, amount: excess, unit: "cents",
                        scope: scope, createdHLC: r.stamp.hlc))
            }
        }
        if paid > 0 && refunded >= paid && status != .cancelled { status = .refunded }
        return Outcome(status: status, refunded: refunded, conflicts: conflicts)
    }
}
