import Commerce
import Replication
import Storage

/// A transfer between warehouses, as listed.
public struct TransferView: Sendable, Equatable, Codable {
    public var id: String
    public var sku: String
    public var qty: Int64
    public var from: String
    public var to: String
    public var status: String
    public var received_qty: Int64?
}

extension Inventory {
    /// Ships stock to another warehouse: a `transfer_out` movement now, the goods in transit
    /// until the receiving warehouse records them.
    public func transfer(sku: String, quantity: Int64, from: String?, to: String) throws(NodeError) -> TransferView {
        guard quantity > 0, quantity <= 1_000_000 else {
            throw NodeError(.invalidInput, "quantity must be between 1 and 1,000,000")
        }
        return try write(.manageStock, "stock.transfer") { tx in
            _ = try Catalog.requireSKU(sku, tx.reader)
            let (source, sourceScope) = try resolveWarehouse(from, tx.reader)
            guard source != to else {
                throw NodeError(.invalidInput, "a transfer needs two different warehouses (both are \(to))")
            }
            guard try tx.reader.warehouseOwner(to) != nil else {
                throw NodeError(.notFound, "warehouse \(to) is unknown; check the name or run `fenxiao sync`")
            }
            let level = try tx.reader.stockLevel(sku: sku, warehouse: source)
            guard level.available >= quantity else {
                throw NodeError(
                    .conflict, "only \(level.available) × \(sku) available at \(source) (asked \(quantity))")
            }
            let id = tx.newID("TR")
            try tx.emit(
                TransferRegister.shipment(sku: sku, qty: quantity, from: source, to: to, atMillis: tx.nowMillis),
                entity: id,
                scope: .global)
            try tx.emit(
                StockMoveChange(sku: sku, warehouse: source, reason: .transferOut, qty: -quantity, ref: id),
                entity: "\(id)-out", scope: sourceScope)
            return try Self.requireTransfer(id, tx.flushed())
        }
    }

    /// Records the arrival of a transfer at its destination; a quantity other than the one
    /// shipped is kept and recorded as a `transfer_discrepancy` conflict.
    public func receiveTransfer(id: String, quantity: Int64?) throws(NodeError) -> TransferView {
        if let quantity, quantity < 0 || quantity > 1_000_000 {
            throw NodeError(.invalidInput, "quantity must be 0…1,000,000")
        }
        return try write(.manageStock, "stock.receive_transfer") { tx in
            let t = try Self.requireTransfer(id, tx.reader)
            guard t.status == TransferRegister.Status.inTransit.rawValue else {
                throw NodeError(.conflict, "transfer \(id) is \(t.status); it was already received")
            }
            let (destination, scope) = try resolveWarehouse(t.to, tx.reader)
            let received = quantity ?? t.qty
            if received > 0 {
                try tx.emit(
                    StockMoveChange(sku: t.sku, warehouse: destination, reason: .transferIn, qty: received, ref: id),
                    entity: tx.newID("MV"), scope: scope)
            }
            try tx.emit(TransferRegister.receipt(qty: received, atMillis: tx.nowMillis), entity: id, scope: .global)
            return try Self.requireTransfer(id, tx.flushed())
        }
    }

    /// Every transfer, or those with `status`.
    public func transfers(status: TransferRegister.Status? = nil) throws(NodeError) -> [TransferView] {
        try read { r in
            try r.registers(.transfer).map { try Self.transferView($0.id, $0.fields) }.filter {
                status == nil || $0.status == status?.rawValue
            }
        }
    }

    static func transferView(_ id: String, _ f: Fields) throws -> TransferView {
        let t = try TransferRegister(fields: f)
        return TransferView(
            id: id, sku: t.sku ?? "?", qty: t.qty ?? 0, from: t.from ?? "?", to: t.to ?? "?",
            status: t.status?.rawValue ?? "?",
            received_qty: t.receivedQty)
    }

    static func requireTransfer(_ id: String, _ r: StoreReader) throws -> TransferView {
        guard let f = try r.register(.transfer, id) else {
            throw NodeError(.notFound, "transfer \(id) is unknown here; check the id or run `fenxiao sync`")
        }
        return try transferView(id, f)
    }
}
