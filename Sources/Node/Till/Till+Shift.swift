import Commerce
import Replication
import Storage

/// A till's shift as the till and `fenxiao shift` show it.
public struct ShiftView: Sendable, Equatable, Codable {
    public var id: String
    public var till: String
    public var store: String?
    public var status: String
    public var opened_by: String?
    public var opened_at: Int64?
    public var float_cents: Int64
    public var closed_by: String?
    public var closed_at: Int64?
    public var counted: [String: Int64]?
    public var difference_cents: Int64?
}

/// A shift's Z report: per method what was taken, given back and is expected, what was
/// counted at the close, and the shift's sales, refunds, discounts and points.
public struct ZReportView: Sendable, Equatable, Codable {
    public struct Method: Sendable, Equatable, Codable {
        public var method: String
        public var taken_cents: Int64
        public var refunded_cents: Int64
        /// Cash: float + taken − refunded + cash in − cash out; other methods: taken − refunded.
        public var expected_cents: Int64
        /// Counted at the close (nil: not counted, or the shift is still open).
        public var counted_cents: Int64?
        /// Counted − expected, where counted.
        public var difference_cents: Int64?
    }
    public var shift: ShiftView
    public var methods: [Method]
    public var orders: Int
    public var sales_cents: Int64
    public var refunds: Int
    public var refunds_cents: Int64
    public var discounts_cents: Int64
    /// Points redeemed as payment in this shift's sales.
    public var points_redeemed: Int64
    /// Points members earned on this shift's sales.
    public var points_earned: Int64
    /// Counted cash − expected cash (nil while open).
    public var cash_difference_cents: Int64?
    /// Cash put into / taken out of the drawer during the shift, and each move.
    public var cash_in_cents: Int64
    public var cash_out_cents: Int64
    public var cash_moves: [CashMoveView]
}

extension Till {
    /// Opens a shift at `till` with `float` in the drawer. One open shift per till; the till
    /// must be enrolled here. Replicates to central as a `shift` register in the store's scope.
    public func openShift(till: String, float: Money) throws(NodeError) -> ShiftView {
        try Self.validate(till)
        guard float.cents >= 0, float.cents <= Limits.maxAmountCents else {
            throw NodeError(.invalidInput, "\(Field.float) must be an amount in yuan, 0 or more (e.g. 500.00)")
        }
        guard node.identity.role == .store else {
            throw NodeError(.wrongRole, "shifts are opened at a store's till; run it on the store node")
        }
        guard let enrolled = try local({ try store.tills().first { $0.id == till } }), enrolled.revokedAt == nil else {
            throw NodeError(
                .notFound,
                "till \(till) is not enrolled here; a store manager enrols it with `fenxiao till add \(till)`")
        }
        return try node.write(.sell, "shift.open", subject: till) { tx in
            if let open = try Self.openShift(at: till, tx.reader) {
                throw NodeError(
                    .conflict,
                    "till \(till) already has shift \(open.id) open since \(clockTime(open.opened_at ?? 0)); close it first"
                )
            }
            let user = try node.actingUser(tx.reader)?.id
            let id = tx.newID("SH")
            try tx.emit(
                ShiftRegister(
                    till: till, store: node.identity.node.rawValue, status: .open, openedBy: user,
                    openedAtMillis: tx.nowMillis,
                    float: float),
                entity: id, scope: .node(node.identity.node))
            return try Self.requireShift(id, tx.flushed())
        }
    }

    /// Closes a shift with the cash counted (and, optionally, other methods' totals from the
    /// card terminal or the WeChat Pay / Alipay statements). Records expected and counted per
    /// method and the cash difference in the shift register, so head office sees it. A cash
    /// difference above the store's threshold (``differenceLimit()``, ¥50.00 by default) needs a
    /// store manager: the closing user, or one who approved (``FenxiaoNode/approved(by:)``).
    public func closeShift(_ id: String, counted: [PaymentMethod: Money]) throws(NodeError) -> ZReportView {
        guard let cash = counted[.cash], cash.cents >= 0 else {
            throw NodeError(
                .invalidInput, "closing a shift needs the cash \(Field.counted) in the drawer (e.g. 1234.50)")
        }
        for (_, amount) in counted where amount.cents < 0 || amount.cents > Limits.maxAmountCents {
            throw NodeError(.invalidInput, "\(Field.counted) amounts must be 0 or more")
        }
        return try node.write(.sell, "shift.close", subject: id) { tx in
            try requireOpenShift(id, tx.reader)
            let report = try Self.zReport(id, tx.reader)
            let expected = Dictionary(
                uniqueKeysWithValues: report.methods.map { ($0.method, Money(cents: $0.expected_cents)) })
            let difference = Money(cents: cash.cents - (expected["cash"]?.cents ?? 0))
            try checkDifference(&tx, shift: id, difference: difference)
            try tx.emit(
                ShiftRegister(
                    status: .closed, closedBy: try node.actingUser(tx.reader)?.id, closedAtMillis: tx.nowMillis,
                    counted: Dictionary(uniqueKeysWithValues: counted.map { ($0.key.rawValue, $0.value) }),
                    expected: expected,
                    difference: difference),
                entity: id, scope: .node(node.identity.node))
            return try Self.zReport(id, tx.flushed())
        }
    }

    /// The Z report of a shift (running totals while it is open).
    public func zReport(_ id: String) throws(NodeError) -> ZReportView {
        try node.read(.sell) { r in try Self.zReport(id, r) }
    }

    /// The open shift at `till`, if any.
    public func currentShift(till: String) throws(NodeError) -> ShiftView? {
        try node.read { r in try Self.openShift(at: till, r) }
    }

    /// The shifts this node holds, newest first (a store's own; at central, every store's).
    public func shifts(limit: Int = 100) throws(NodeError) -> [ShiftView] {
        try node.read(.sell) { r in
            try r.registers(.shift).map { try Self.view($0.id, $0.fields) }
                .sorted { ($0.opened_at ?? 0, $0.id) > ($1.opened_at ?? 0, $1.id) }.prefix(limit).map { $0 }
        }
    }

    /// Refuses a sale or refund in a shift that is not open at this store.
    func requireOpenShift(_ id: String, _ r: StoreReader) throws {
        let shift = try Self.requireShift(id, r)
        guard shift.store == node.identity.node.rawValue else {
            throw NodeError(.forbidden, "shift \(id) belongs to \(shift.store ?? "another store")", field: .shift)
        }
        guard shift.status == ShiftRegister.Status.open.rawValue else {
            throw NodeError(.conflict, "shift \(id) is closed; open a new shift at till \(shift.till)", field: .shift)
        }
    }

    static func openShift(at till: String, _ r: StoreReader) throws -> ShiftView? {
        try r.registers(.shift).lazy.map { try view($0.id, $0.fields) }
            .first { $0.till == till && $0.status == ShiftRegister.Status.open.rawValue }
    }

    static func requireShift(_ id: String, _ r: StoreReader) throws -> ShiftView {
        guard let fields = try r.register(.shift, id) else {
            throw NodeError(.notFound, "shift \(id) is unknown here; see `fenxiao shift list`", field: .shift)
        }
        return try view(id, fields)
    }

    static func view(_ id: String, _ fields: Fields) throws -> ShiftView {
        let s = try ShiftRegister(fields: fields)
        return ShiftView(
            id: id, till: s.till ?? "?", store: s.store, status: s.status?.rawValue ?? "open", opened_by: s.openedBy,
            opened_at: s.openedAtMillis, float_cents: s.float?.cents ?? 0, closed_by: s.closedBy,
            closed_at: s.closedAtMillis,
            counted: s.counted?.mapValues(\.cents), difference_cents: s.difference?.cents)
    }

    /// Sums the shift's payments and refund parts by method (``ZTotals``), with its orders'
    /// discounts and points.
    static func zReport(_ id: String, _ r: StoreReader) throws -> ZReportView {
        let shift = try requireShift(id, r)
        let money = try r.shiftMoney(id)
        let moves = try cashMoves(id, r)
        let totals = ZTotals(
            float: Money(cents: shift.float_cents), payments: money.payments.map { ($0.method, $0.cents) },
            refunds: money.refundParts, cashMoves: moves)
        let orderIDs = Set(money.payments.map(\.order))
        var discounts: Int64 = 0
        var sales: Int64 = 0
        var earned: Int64 = 0
        for order in orderIDs.sorted() {
            let o = try Orders.requireOrder(order, r)
            discounts += o.discount_cents
            sales += o.total_cents
            earned += try r.pointsEarned(order: order)
        }
        let counted = shift.counted ?? [:]
        let methods = Set(totals.expected.keys).union(counted.keys).sorted { a, b in
            (a == "cash" ? 0 : 1, a) < (b == "cash" ? 0 : 1, b)
        }
        let closed = shift.status == ShiftRegister.Status.closed.rawValue
        return ZReportView(
            shift: shift,
            methods: methods.map { m in
                let expected = totals.expected[m] ?? 0
                let c = closed ? counted[m] : nil
                return ZReportView.Method(
                    method: m, taken_cents: totals.taken[m] ?? 0, refunded_cents: totals.givenBack[m] ?? 0,
                    expected_cents: expected,
                    counted_cents: c, difference_cents: c.map { $0 - expected })
            },
            orders: orderIDs.count, sales_cents: sales, refunds: money.refunds.count,
            refunds_cents: money.refunds.reduce(0, +), discounts_cents: discounts,
            points_redeemed: totals.taken["points"] ?? 0, points_earned: earned,
            cash_difference_cents: closed ? shift.difference_cents : nil, cash_in_cents: totals.cashIn,
            cash_out_cents: totals.cashOut, cash_moves: moves.map(CashMoveView.init))
    }
}
