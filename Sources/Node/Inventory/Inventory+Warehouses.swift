import Commerce
import Replication
import Storage

extension Inventory {
    /// Adds a warehouse owned by central (its own stock rooms, cloud warehouses); stores get
    /// theirs with `fenxiao enroll --warehouse`.
    public func addCentralWarehouse(_ id: String, name: String?) throws(NodeError) -> String {
        try requireCentral("adding central warehouses")
        guard NodeID(id) != nil else {
            throw NodeError(.invalidInput, "warehouse id '\(id)' must be 1–32 letters, digits, '-' or '_'")
        }
        return try write(.manageStock, "warehouse.add", subject: id) { tx in
            if let owner = try tx.reader.warehouseOwner(id) {
                throw NodeError(.conflict, "warehouse \(id) already belongs to \(owner)")
            }
            try tx.emit(WarehouseRegister(owner: NodeID.central.rawValue, name: name ?? id), entity: id, scope: .global)
            return id
        }
    }
}
