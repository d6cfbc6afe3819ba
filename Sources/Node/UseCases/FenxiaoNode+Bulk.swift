import Commerce
import Replication
import Storage

extension FenxiaoNode {
    /// Registers many members in one transaction (imports, benchmark set-up).
    public func importMembers(_ members: [(id: String, name: String)]) throws(NodeError) {
        for m in members where SKUCode(m.id) == nil {
            throw NodeError(.invalidInput, "member id '\(m.id)' must be letters, digits, '-' or '_'")
        }
        try write(.manageMembers, "member.import") { tx in
            for m in members {
                var profile = MemberRegister(name: m.name)
                if try tx.reader.register(.member, m.id) == nil {  // new: registered here, as `upsertMember` does
                    profile.home = identity.node.rawValue
                    profile.registeredAtMillis = tx.nowMillis
                }
                try tx.emit(profile, entity: m.id, scope: .global)
            }
        }
    }

    /// Receives many (sku, warehouse, qty) lines in one transaction, e.g. a delivery note.
    public func receiveStock(_ lines: [(sku: String, warehouse: String, qty: Int64)], note: String) throws(NodeError) {
        for l in lines where l.qty <= 0 {
            throw NodeError(.invalidInput, "quantity for \(l.sku) must be positive")
        }
        try write(.manageStock, "stock.receive") { tx in
            for l in lines {
                let (w, scope) = try resolveWarehouse(l.warehouse, tx.reader)
                try tx.emit(
                    StockMoveChange(sku: l.sku, warehouse: w, reason: .receive, qty: l.qty, ref: note), entity: tx.newID("MV"),
                    scope: scope)
            }
        }
    }
}
