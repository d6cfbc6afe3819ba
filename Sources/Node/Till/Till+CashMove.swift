import Commerce
import Foundation
import Replication
import Storage

/// A cash move as the till, `fenxiao shift cash` and the Z report show it.
public struct CashMoveView: Sendable, Equatable, Codable {
    public var id: String
    /// `in` or `out`.
    public var direction: String
    /// Positive fen; `direction` says which way.
    public var amount_cents: Int64
    public var reason: String
    public var by: String?
    public var at: Int64

    init(_ m: CashMove) {
        id = m.id
        direction = m.direction.rawValue
        amount_cents = m.amount.cents
        reason = m.reason
        by = m.by
        at = m.atMillis
    }
}

extension Till {
    /// Puts cash into (`.cashIn`) or takes it out of (`.cashOut`) the drawer of an open shift
    /// of this store, with a reason, by the acting user. Counted in the shift's expected cash;
    /// replicated in the shift register's `cash_moves` (the whole list, this entry appended).
    public func moveCash(
        shift id: String, _ direction: CashMove.Direction, amount: Money, reason: String
    ) throws(NodeError) -> CashMoveView {
        guard amount.cents > 0, amount.cents <= Limits.maxAmountCents else {
            throw NodeError(
                .invalidInput, "\(Field.amount) must be an amount in yuan above 0 (e.g. 200.00)", field: .amount)
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty, why.count <= CashMove.maxReason, !why.contains(where: \.isNewline) else {
            throw NodeError(
                .invalidInput,
                "\(Field.reason) must say why in one line of at most \(CashMove.maxReason) characters (e.g. 付供应商 / to the safe)",
                field: .reason)
        }
        return try node.write(.sell, direction == .cashIn ? "shift.cash_in" : "shift.cash_out", subject: id) { tx in
            try requireOpenShift(id, tx.reader)
            let existing = try Self.cashMoves(id, tx.reader)
            guard existing.count < CashMove.maxPerShift else {
                throw NodeError(
                    .conflict,
                    "shift \(id) already has \(CashMove.maxPerShift) cash moves; close it and open a new one",
                    field: .shift)
            }
            let move = CashMove(
                id: tx.newID("CM"), direction: direction, amount: amount, reason: why,
                by: try node.actingUser(tx.reader)?.id, atMillis: tx.nowMillis)
            try tx.emit(ShiftRegister(cashMoves: existing + [move]), entity: id, scope: .node(node.identity.node))
            return CashMoveView(move)
        }
    }

    /// The cash moves of a shift, oldest first.
    public func cashMoves(shift id: String) throws(NodeError) -> [CashMoveView] {
        try node.read(.sell) { r in
            _ = try Self.requireShift(id, r)
            return try Self.cashMoves(id, r).map(CashMoveView.init)
        }
    }

    static func cashMoves(_ id: String, _ r: StoreReader) throws -> [CashMove] {
        guard let fields = try r.register(.shift, id) else { return [] }
        return try ShiftRegister(fields: fields).cashMoves ?? []
    }
}
