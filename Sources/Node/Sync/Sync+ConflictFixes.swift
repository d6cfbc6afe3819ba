import Commerce
import Replication
import Storage

/// A follow-up head office takes on a conflict record besides closing it with a note: the
/// one the record's sentence suggests (`ConflictText`), through the same use cases as the CLI.
public enum ConflictFix: String, Sendable, CaseIterable, Codable {
    /// Re-allocate a displaced reservation to the warehouse with the most stock, or back-order
    /// it (`fenxiao stock reallocate`, for this record only).
    case reallocate
    /// Refund the customer (`fenxiao order refund`): the excess of an order paid twice; what is
    /// left of an order whose cancel lost, its goods restocked when nothing was refunded yet.
    case refund
    /// Write the loss off: a member's overdraft debt is credited back to the member's points or
    /// stored value; the excess of a double refund is accepted as lost (nothing to recover).
    case writeOff = "write_off"

    /// The fixes a record of merge rule `rule` offers.
    public static func offered(for rule: String) -> [ConflictFix] {
        switch rule {
        case "allocation_displaced": return [.reallocate]
        case "paid_twice", "fact_beats_cancel": return [.refund]
        case "overdraft", "refund_exceeds_paid", "line_refund_exceeds_sold": return [.writeOff]
        default: return []
        }
    }
}

extension Sync {
    /// Takes `fix` on open conflict `id` and resolves it in the same transaction, its note
    /// saying what was done (then `note`, when given). The fix needs its own permission as
    /// well: `manage_stock` to re-allocate, `refund` (within the role's limit) to refund,
    /// `manage_members` to credit a member's debt back.
    public func fix(conflict id: String, with fix: ConflictFix, note: String? = nil) throws(NodeError)
        -> ConflictView
    {
        if let note, note.count > 500 {
            throw NodeError(.invalidInput, "\(Field.note) is at most 500 characters")
        }
        let extra = note.flatMap { $0.isEmpty ? nil : $0 }
        let conflict = try read(.resolveConflicts) { r in try Self.requireOpen(id, fix, r) }
        if fix == .reallocate {
            guard let done = try node.inventory.reallocateDisplaced(only: conflict.id).first else {
                throw NodeError(.conflict, "conflict \(id) is no longer open")
            }
            return done
        }
        return try write(.resolveConflicts, "conflict.\(fix.rawValue)", subject: id) { tx in
            let conflict = try Self.requireOpen(id, fix, tx.reader)
            guard let facts = conflict.facts else {
                throw NodeError(.invalidInput, "conflict \(id) predates recorded facts; resolve it with a note")
            }
            let done: String
            switch (fix, facts) {
            case let (.refund, .paidTwice(_, _, order, excess, _)):
                try node.orders.performRefund(
                    &tx, order: order, cents: excess, reason: "paid twice (conflict \(id))", restock: false)
                done = "refunded \(Money(cents: excess)) of order \(order) to the customer"
            case let (.refund, .factBeatsCancel(order, _, _, _)):
                let o = try Orders.requireOrder(order, tx.reader)
                let left = o.paid_cents - o.refunded_cents
                guard left > 0 else { throw NodeError(.conflict, "order \(order) has nothing left to refund") }
                let restock = o.refunded_cents == 0
                try node.orders.performRefund(
                    &tx, order: order, cents: nil, reason: "cancel kept (conflict \(id))", restock: restock)
                done = "refunded \(Money(cents: left)) of order \(order)\(restock ? " and restocked its goods" : "")"
            case let (.writeOff, .overdraft(_, _, member, account, _, shortfall)):
                guard let ledger = MemberLedgerChange.Account(rawValue: account), shortfall > 0 else {
                    throw NodeError(.invalidInput, "conflict \(id) has no member debt to write off")
                }
                try check(.manageMembers, tx.reader)
                try tx.emit(
                    MemberLedgerChange(member: member, account: ledger, delta: shortfall, reason: "write_off", ref: id),
                    entity: tx.newID("WO"), scope: .global)
                let amount = ledger == .points ? "\(shortfall) points" : "\(Money(cents: shortfall))"
                done = "wrote off member \(member)'s debt of \(amount)"
            case let (.writeOff, .refundExceedsPaid(_, _, order, excess, _)),
                let (.writeOff, .lineRefundExceedsSold(_, _, order, _, _, excess, _, _)):
                done = "wrote off \(Money(cents: excess)) refunded twice on order \(order)"
            default:
                throw NodeError(.invalidInput, "conflict \(id) does not say what to \(fix.rawValue)")
            }
            try tx.emit(
                ConflictNoteRegister.resolved(extra.map { "\(done) — \($0)" } ?? done), entity: id, scope: .global)
            guard let view = try tx.flushed().conflicts().first(where: { $0.id == id }) else {
                throw NodeError(.notFound, "conflict \(id) vanished")
            }
            return view
        }
    }

    /// Open conflict `id`, refused unless `fix` is one its rule offers.
    static func requireOpen(_ id: String, _ fix: ConflictFix, _ r: StoreReader) throws -> ConflictView {
        guard let conflict = try r.conflicts().first(where: { $0.id == id }) else {
            throw NodeError(.notFound, "conflict \(id) does not exist here; list them with `fenxiao conflicts`")
        }
        guard conflict.status == "open" else {
            throw NodeError(.conflict, "conflict \(id) is already resolved: \(conflict.note ?? "")")
        }
        guard ConflictFix.offered(for: conflict.rule).contains(fix) else {
            throw NodeError(
                .invalidInput, "a \(conflict.rule) conflict cannot be fixed by \(Field.fix) \(fix.rawValue)")
        }
        return conflict
    }
}

extension Field {
    /// The follow-up taken on a conflict (`reallocate`, `refund`, `write_off`).
    public static let fix: Field = "fix"
}
