import Commerce
import Replication
import Storage

extension Inventory {
    /// The warehouse a command means: the one given, else the node's own.
    func resolveWarehouse(_ warehouse: String?, _ r: StoreReader) throws -> (String, Scope) {
        let w = warehouse ?? identity.node.rawValue
        guard let owner = try r.warehouseOwner(w) else {
            throw NodeError(
                .notFound, "warehouse \(w) is unknown here; create it at central and sync")
        }
        if identity.role == .store && owner != identity.node {
            throw NodeError(.forbidden, "warehouse \(w) belongs to \(owner); a store only moves its own stock")
        }
        return (w, .node(owner))
    }

    /// Records a stock movement (receive, adjust, count, return…) after validating it.
    public func move(
        sku: String, quantity: Int64, reason: StockReason, warehouse: String? = nil, note: String? = nil
    ) throws(NodeError) -> StockLevelView {
        switch reason {
        case .receive, .return, .transferIn:
            guard quantity > 0 else {
                throw NodeError(.invalidInput, "quantity must be positive for \(reason.rawValue)")
            }
        case .adjust:
            guard quantity != 0 else {
                throw NodeError(.invalidInput, "an adjustment of 0 changes nothing; give +N or -N")
            }
        case .count:
            guard quantity >= 0 else { throw NodeError(.invalidInput, "a stock count cannot be negative") }
        default:
            throw NodeError(.invalidInput, "use `fenxiao order` for \(reason.rawValue) movements")
        }
        guard quantity.magnitude <= 1_000_000 else {
            throw NodeError(.invalidInput, "quantity \(quantity) is implausibly large (limit 1,000,000 per movement)")
        }
        return try write(.manageStock, "stock.move") { tx in
            _ = try Catalog.requireSKU(sku, tx.reader)
            let (w, scope) = try resolveWarehouse(warehouse, tx.reader)
            if reason == .adjust {
                let level = try tx.reader.stockLevel(sku: sku, warehouse: w)
                guard level.on_hand + quantity >= 0 else {
                    throw NodeError(
                        .conflict,
                        "adjusting \(sku) at \(w) by \(quantity) would leave \(level.on_hand + quantity); count it instead"
                    )
                }
            }
            let id = tx.newID("MV")
            try tx.emit(
                StockMoveChange(sku: sku, warehouse: w, reason: reason, qty: quantity, ref: note), entity: id,
                scope: scope)
            return try tx.flushed().stockLevel(sku: sku, warehouse: w)
        }
    }

    public func levels(sku: String) throws(NodeError) -> [StockLevelView] {
        try read { r in
            _ = try Catalog.requireSKU(sku, r)
            let levels = try r.stockLevels(sku: sku)
            return levels.isEmpty ? [try r.stockLevel(sku: sku, warehouse: identity.node.rawValue)] : levels
        }
    }

    public func history(sku: String) throws(NodeError) -> [StockMoveView] {
        try read { r in
            _ = try Catalog.requireSKU(sku, r)
            return try r.stockHistory(sku: sku)
        }
    }

    /// Central's follow-up of displaced reservations: each open `allocation_displaced` conflict
    /// is re-allocated to the warehouse with the most available stock, or back-ordered. The
    /// decision is written as new changes and as the conflict's resolution note. With `conflict`,
    /// only that one (the console's one-click fix).
    public func reallocateDisplaced(only conflict: String? = nil) throws(NodeError) -> [ConflictView] {
        try requireCentral("re-allocating stock")
        return try write(.manageStock, "stock.reallocate") { tx in
            var resolved: [ConflictView] = []
            let open = try tx.reader.conflicts(status: "open").filter {
                $0.rule == "allocation_displaced" && (conflict == nil || $0.id == conflict)
            }
            for conflict in open {
                guard let move = try tx.reader.stockMove(writtenBy: conflict.loser) else { continue }
                let (sku, from, qty, ref) = (move.sku, move.warehouse, move.qty, move.ref)
                let candidates = try tx.flushed().stockLevels(sku: sku)
                    .filter { $0.warehouse != from && $0.available >= qty }
                    .sorted { ($0.available, $1.warehouse) > ($1.available, $0.warehouse) }
                try tx.emit(
                    StockMoveChange(
                        sku: sku, warehouse: from, reason: .reallocate, qty: qty, releases: move.id, ref: ref),
                    entity: tx.newID("MV"), scope: .node(try tx.reader.warehouseOwner(from) ?? identity.node))
                var note: String
                if let target = candidates.first, let owner = try tx.reader.warehouseOwner(target.warehouse) {
                    try tx.emit(
                        StockMoveChange(sku: sku, warehouse: target.warehouse, reason: .allocate, qty: qty, ref: ref),
                        entity: tx.newID("MV"), scope: .node(owner))
                    note = "re-allocated \(qty) × \(sku) to \(target.warehouse)"
                } else {
                    note = "no warehouse has \(qty) × \(sku) available: back-ordered"
                }
                try tx.emit(ConflictNoteRegister.resolved(note), entity: conflict.id, scope: .global)
                var done = conflict
                done.status = "resolved"
                done.note = note
                resolved.append(done)
            }
            return resolved
        }
    }
}
