import Replication

/// Transfers between warehouses: shipped with a `transfer_out`, received with a
/// `transfer_in`; a received quantity that differs from the shipped one is a discrepancy to
/// investigate (goods lost or miscounted in transit).
public enum TransferRule {
    public static func discrepancy(id: String, state: RegisterState, scope: Scope) -> ConflictRecord? {
        guard state.fields["status"]?.stringValue == "received", let shipped = state.fields["qty"]?.intValue,
            let received = state.fields["received_qty"]?.intValue, received != shipped,
            let stamp = state.stamps["received_qty"]
        else { return nil }
        let sku = state.fields["sku"]?.stringValue ?? "?"
        return ConflictRecord(
            .transferDiscrepancy(transfer: id, sku: sku, shipped: shipped, received: received),
            subject: "transfer:\(id)", winner: nil, loser: stamp.changeID, amount: shipped - received, unit: "units",
            scope: scope, createdHLC: stamp.hlc)
    }
}
