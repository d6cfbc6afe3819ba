import Replication

/// Transfers between warehouses: shipped with a `transfer_out`, received with a
/// `transfer_in`; a received quantity that differs from the shipped one is a discrepancy to
/// investigate (goods lost or miscounted in transit).
public enum TransferRule {
    public static func discrepancy(id: String, state: RegisterState, scope: Scope) -> ConflictRecord? {
        guard let transfer = try? TransferRegister(fields: state.fields), transfer.status == .received,
            let shipped = transfer.qty, let received = transfer.receivedQty, received != shipped,
            let stamp = state.stamps[TransferRegister.Field.receivedQty.rawValue]
        else { return nil }
        let sku = transfer.sku ?? "?"
        return ConflictRecord(
            .transferDiscrepancy(transfer: id, sku: sku, shipped: shipped, received: received),
            subject: "transfer:\(id)", winner: nil, loser: stamp.changeID, amount: shipped - received, unit: "units",
            scope: scope, createdHLC: stamp.hlc)
    }
}
