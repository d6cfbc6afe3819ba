import Replication

/// The stock rules for one (SKU, warehouse), as pure functions of its movements.
///
/// - **Count snapshot**: the latest count (by hlc, origin, seq) sets the balance as of its
///   clock; facts before it are absorbed, facts after it apply on top.
/// - **Facts before intentions**: counter sales, receipts, returns and shipments always keep
///   their stock. Reservations are then granted in (hlc, origin, seq) order while stock
///   lasts; a reservation that no longer fits is *displaced* (to be re-allocated to another
///   warehouse or back-ordered) and gets a conflict record.
/// - **Oversold**: when facts alone leave the balance below zero, the latest debits that make
///   up the deficit are flagged (the goods are gone; someone must recount or receive).
public enum StockLedger {
    public struct Evaluation: Sendable, Equatable {
        public var position: StockPosition
        public var displaced: [String]
        public var conflicts: [ConflictRecord]
    }

    ///
    /// Quantities are summed with checked arithmetic: movements whose total leaves 64 bits throw
    /// ``ArithmeticOverflow`` (the batch is refused) instead of trapping.
    public static func evaluate(_ movements: [StockMovement], sku: String, warehouse: String, scope: Scope)
        throws(ArithmeticOverflow) -> Evaluation
    {
        let sorted = movements.sorted { $0.stamp < $1.stamp }
        let subject = "stock:\(sku)@\(warehouse)"
        // Count snapshot: the latest count wins; earlier facts are absorbed into it.
        let lastCount = sorted.last { $0.reason == .count }
        var onHand: Int64 = lastCount?.quantity ?? 0
        var facts: [StockMovement] = []
        for m in sorted where m.reason.isFact && m.reason != .count {
            if let c = lastCount, m.stamp < c.stamp { continue }
            facts.append(m)
        }
        for m in facts { onHand = try Checked.add(onHand, m.quantity, "stock of \(sku) at \(warehouse) after \(m.id)") }
        // The final deficit is attributed to the latest debits (they took the last units that
        // were not there), so the flagged units add up to exactly the shortage.
        var crossings: [(StockMovement, Int64)] = []
        var deficit = max(0, try Checked.negate(onHand, "stock deficit of \(sku) at \(warehouse)"))
        for m in facts.reversed() where m.quantity < 0 && deficit > 0 {
            let share = min(deficit, try Checked.negate(m.quantity, "movement \(m.id)"))
            deficit -= share
            crossings.append((m, share))
        }
        var conflicts: [ConflictRecord] = []
        if onHand < 0 {
            for (m, shortfall) in crossings.reversed() {
                conflicts.append(
                    ConflictRecord(
                        .oversold(
                            move: m.id, reason: m.reason.rawValue, sku: sku, warehouse: warehouse, shortfall: shortfall),
                        subject: subject, winner: nil, loser: m.stamp.changeID, amount: shortfall, unit: "units",
                        scope: scope, createdHLC: m.stamp.hlc))
            }
        }
        // Reservations, in (hlc, origin, seq) order, after all facts.
        let released = Set(sorted.filter { $0.reason != .reallocate }.compactMap(\.releases))
        let reallocated = Set(sorted.filter { $0.reason == .reallocate }.compactMap(\.releases))
        var reserved: Int64 = 0
        var displaced: [String] = []
        for m in sorted where m.reason == .allocate && !released.contains(m.id) {
            let free = try Checked.subtract(onHand, reserved, "free stock of \(sku) at \(warehouse)")
            if !reallocated.contains(m.id) && free >= m.quantity {
                reserved = try Checked.add(reserved, m.quantity, "reserved stock of \(sku) at \(warehouse)")
            } else {
                displaced.append(m.id)
                conflicts.append(
                    ConflictRecord(
                        .allocationDisplaced(move: m.id, sku: sku, warehouse: warehouse, quantity: m.quantity),
                        subject: subject, winner: nil, loser: m.stamp.changeID, amount: m.quantity, unit: "units",
                        scope: scope, createdHLC: m.stamp.hlc))
            }
        }
        return Evaluation(
            position: StockPosition(onHand: onHand, reserved: reserved), displaced: displaced, conflicts: conflicts)
    }
}
