import Commerce
import Foundation
import Replication
import Storage

/// The after-sale period, enforced where changes enter a node: every local write (any node)
/// and every pushed batch at central refuse a change that touches an order — a status change,
/// a payment, a refund — stamped after the order closed (`OrderClosing`). Nothing else can
/// write one, so once the stability frontier has passed an order's closing time it is final
/// everywhere, and a store may drop it (`NodeStore.pruneClosedOrders`).
enum OrderClosingCheck {
    /// The order `c` touches, for the kinds that change an order's rows (for a ledger entry its
    /// `ref`, which `check` treats as an order only when an order of that id is held).
    static func order(of c: ChangeRecord) -> String? {
        switch c.kind {
        case .order: return c.entity
        case .payment: return c.fields[PaymentChange.Field.order.rawValue]?.stringValue
        case .refund: return c.fields[RefundChange.Field.order.rawValue]?.stringValue
        // An entry on an order (points earned, redeemed, given back; stored value paid or
        // refunded): a node that folds the order's entries once it is final must never see
        // another one arrive.
        case .memberLedger: return c.fields[MemberLedgerChange.Field.ref.rawValue]?.stringValue
        default: return nil
        }
    }

    /// Refuses a refund request for order `id` once its after-sale period is over at `nowMillis`
    /// (a request is a register, not a change of the order: the check is the use case's).
    static func requireOpenForRequest(_ id: String, _ reader: StoreReader, nowMillis: Int64) throws {
        guard let closing = try reader.orderClosing(id), let days = closing.days else { return }
        let closed = OrderClosing.closesAtMillis(created: closing.created, days: days)
        guard nowMillis > closed else { return }
        let date = Self.date(closed)
        throw NodeError(
            .conflict,
            "order \(id) closed on \(date), at the end of its \(days)-day after-sale period: a refund can no longer be requested; nothing written"
        )
    }

    /// Refuses `c` when the order it touches is held and closed at its stamp: `.conflict` for a
    /// local write, `.forbidden` for a pushed change (refused content, which the store quarantines).
    static func check(_ c: ChangeRecord, _ reader: StoreReader, code: NodeError.Code = .conflict) throws {
        try check(c, code: code, closing: reader.orderClosing)
    }

    /// ``check(_:_:code:)`` with the order's closing looked up by `closing` (central's push
    /// check reads each order once a batch: a sale's order, payment and points all name it).
    static func check(
        _ c: ChangeRecord, code: NodeError.Code, closing lookup: (String) throws -> (created: HLC, days: Int64?)?
    ) throws {
        guard let order = order(of: c), let closing = try lookup(order),
            OrderClosing.isClosed(created: closing.created, days: closing.days, at: c.hlc)
        else { return }
        let date = Self.date(OrderClosing.closesAtMillis(created: closing.created, days: closing.days ?? 0))
        throw NodeError(
            code,
            """
            order \(order) closed on \(date), at the end of its \(closing.days ?? 0)-day after-sale period: \
            \(c.kind) \(c.stamp.changeID) comes after it and cannot change it; nothing written. \
            Make good with the member another way (a stored-value credit, `fenxiao member topup`)
            """)
    }

    /// An order's closing moment as the refusals name it (ISO 8601, UTC).
    static func date(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000).formatted(.iso8601)
    }
}
